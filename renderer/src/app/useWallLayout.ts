import { useSyncExternalStore } from "react";
import { useDataSelector } from "../state/context.js";
import { minTextPx, wallShape, type WallShape } from "./wall-layout.js";

/* The window's size, read again on each resize (the only thing that changes a layout besides the setting). */
let cached: string | null = null;
function subscribe(listener: () => void): () => void {
  const onResize = () => {
    cached = null;
    listener();
  };
  window.addEventListener("resize", onResize);
  return () => window.removeEventListener("resize", onResize);
}
const readSize = (): string => (cached ??= `${window.innerWidth}x${window.innerHeight}`);

export type WallLayout = { shape: WallShape; minTextPx: number };

/** The operator wall's layout for this window and the configured `wallLayout`. */
export function useWallLayout(): WallLayout {
  const size = useSyncExternalStore(subscribe, readSize);
  const setting = useDataSelector((s) => s.settings?.wallLayout ?? "auto");
  const [width, height] = size.split("x").map(Number) as [number, number];
  return { shape: wallShape(width, height, setting), minTextPx: minTextPx(width, height) };
}
