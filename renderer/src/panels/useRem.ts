import { useSyncExternalStore } from "react";

/*
 * The root font size in px. The wall scales rem with the viewport (16 px at
 * 1920×1080); SVG charts need pixel sizes for axis widths and ticks, so they
 * read it here and redraw when the window is resized.
 */

function subscribe(listener: () => void): () => void {
  window.addEventListener("resize", listener);
  return () => window.removeEventListener("resize", listener);
}

const read = (): number => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

export function useRem(): number {
  return useSyncExternalStore(subscribe, read);
}
