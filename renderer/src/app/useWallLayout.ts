import { useSyncExternalStore } from "react";
import { useDataSelector } from "../state/context.js";
import { resizeStore } from "../theme/resize-store.js";
import { minTextPx, wallShape, type WallShape } from "./wall-layout.js";

/* The window's size, read again on each resize (the only thing that changes a layout besides the setting). */
const windowSize = resizeStore((): string => `${window.innerWidth}x${window.innerHeight}`);

export type WallLayout = { shape: WallShape; minTextPx: number };

/** The operator wall's layout for this window and the configured `wallLayout`. */
export function useWallLayout(): WallLayout {
  const size = useSyncExternalStore(windowSize.subscribe, windowSize.read);
  const setting = useDataSelector((s) => s.settings?.wallLayout ?? "auto");
  const [width, height] = size.split("x").map(Number) as [number, number];
  return { shape: wallShape(width, height, setting), minTextPx: minTextPx(width, height) };
}
