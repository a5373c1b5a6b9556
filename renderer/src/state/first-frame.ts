/*
 * When the wall's map has first drawn its region with staff on it: the moment
 * the operator has a first complete picture (the queue's rows come before it). Work that the
 * first picture does not show, the situation panels at city scale, waits for
 * it instead of competing with it for the page's one thread.
 */

let drawn = false;
const waiting = new Set<() => void>();

/** Called by the map after each frame it draws with its region and staff; only the first counts. */
export function mapDrawnWithRegion(): void {
  if (drawn) return;
  drawn = true;
  const callbacks = [...waiting];
  waiting.clear();
  for (const callback of callbacks) callback();
}

/** Runs `callback` once the map has drawn its region (at once if it has); returns a cancel function. */
export function whenMapDrawn(callback: () => void): () => void {
  if (drawn) {
    callback();
    return () => undefined;
  }
  waiting.add(callback);
  return () => waiting.delete(callback);
}

/** For tests: as before any map drew. */
export function resetMapDrawn(): void {
  drawn = false;
  waiting.clear();
}
