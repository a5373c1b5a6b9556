import type { WallLayoutSetting } from "../../../shared/bridge/contract.js";

/*
 * Which layout the operator wall takes: by the window's shape, unless the
 * configuration names one (`wallLayout`). rem follows the shorter side (see
 * theme.css), so a wider wall of the same height gets more columns, not
 * bigger ones: 16:9 keeps KPIs | map | queue with the alert ticker along the
 * bottom; 21:9 turns the ticker into an attention column beside the queue;
 * 32:9 adds the patrol checks as a column and lays the KPI panel out in two
 * (tiles and the category mix | the 7-day trend and the department ledger);
 * 48:9 also shows the patrol assessment table.
 */

export type WallShape = Exclude<WallLayoutSetting, "auto">;

export const WALL_SHAPES: readonly WallShape[] = ["16:9", "21:9", "32:9", "48:9"];

/** The width-to-height ratios halfway (geometrically) between the shapes' own: 16:9 = 1.78, 21:9 = 2.37, 32:9 = 3.56, 48:9 = 5.33. */
const SHAPE_LIMITS: readonly [number, WallShape][] = [
  [Math.sqrt((16 / 9) * (21 / 9)), "16:9"],
  [Math.sqrt((21 / 9) * (32 / 9)), "21:9"],
  [Math.sqrt((32 / 9) * (48 / 9)), "32:9"],
];

export function wallShape(width: number, height: number, setting: WallLayoutSetting = "auto"): WallShape {
  if (setting !== "auto") return setting;
  if (!(width > 0 && height > 0)) return "16:9";
  const ratio = width / height;
  for (const [limit, shape] of SHAPE_LIMITS) if (ratio < limit) return shape;
  return "48:9";
}

/** theme.css's root font size: 16 px at 1920×1080, following the shorter side, never under 10 px. */
export function rootFontPx(width: number, height: number): number {
  return Math.max(10, Math.min(width / 120, height / 67.5));
}

/**
 * The smallest text the wall may show, in px: 0.875rem, which is 14 px at
 * 1080p (DESIGN.md's floor for text read from 5 m) and 28 px on any wall
 * 2160 px high (4K, 21:9, 32:9, 48:9).
 */
export const MIN_TEXT_REM = 0.875;
export function minTextPx(width: number, height: number): number {
  return MIN_TEXT_REM * rootFontPx(width, height);
}

/** A CSS class suffix for a shape: "32:9" → "32x9". */
export const shapeClass = (shape: WallShape): string => shape.replace(":", "x");
