/*
 * A value read from the window (its size, the root font size), read once and
 * again after each resize (the only thing that moves it), not on every
 * render: a style read inside a render that follows DOM changes (a new row in
 * the queue) forces a style recalculation of the whole page there and then.
 * For `useSyncExternalStore(store.subscribe, store.read)`.
 */
export function resizeStore<T>(readFromWindow: () => T): { subscribe: (listener: () => void) => () => void; read: () => T } {
  let cached: { value: T } | null = null;
  return {
    subscribe(listener) {
      const onResize = () => {
        cached = null;
        listener();
      };
      window.addEventListener("resize", onResize);
      return () => window.removeEventListener("resize", onResize);
    },
    read: () => (cached ??= { value: readFromWindow() }).value,
  };
}
