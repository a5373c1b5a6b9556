import { useSyncExternalStore } from "react";

/*
 * The root font size in px. The wall scales rem with the viewport (16 px at
 * 1920×1080); SVG charts need pixel sizes for axis widths and ticks, so they
 * read it here and redraw when the window is resized.
 *
 * Read once and again after each resize (the only thing that moves it), not
 * on every render: a style read inside a render that follows DOM changes (a
 * new row in the queue) forces a style recalculation of the whole page there
 * and then.
 */

let cached: number | null = null;

function subscribe(listener: () => void): () => void {
  const onResize = () => {
    cached = null;
    listener();
  };
  window.addEventListener("resize", onResize);
  return () => window.removeEventListener("resize", onResize);
}

const read = (): number => (cached ??= Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);

export function useRem(): number {
  return useSyncExternalStore(subscribe, read);
}
