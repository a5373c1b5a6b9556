import { useSyncExternalStore } from "react";
import { resizeStore } from "../theme/resize-store.js";

/*
 * The root font size in px. The wall scales rem with the viewport (16 px at
 * 1920×1080); SVG charts need pixel sizes for axis widths and ticks, so they
 * read it here and redraw when the window is resized.
 */
const rem = resizeStore((): number => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);

export function useRem(): number {
  return useSyncExternalStore(rem.subscribe, rem.read);
}
