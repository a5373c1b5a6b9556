import type { CoverageSummary } from "../../../../shared/bridge/contract.js";
import { WEEKLY_MINIMUM_VISITS, weekDates } from "../../../../shared/domain/coverage.js";

/*
 * The grid choropleth: one value per grid, one class per value, one colour per
 * class. deck.gl reads the colour through an accessor over these arrays with
 * an update trigger, so a metric switch or a new count recolours the grids
 * without handing deck.gl new polygon data (which it would tessellate again).
 */

export const GRID_METRICS = ["open", "overdue", "coverage", "weekly"] as const;
export type GridMetric = (typeof GRID_METRICS)[number];

export type Rgba = [number, number, number, number];

/** Lower bounds of classes 1..n; class 0 holds values below the first bound. */
export const METRIC_BREAKS: Readonly<Record<GridMetric, readonly number[]>> = {
  open: [1, 3, 6, 10],
  overdue: [1, 2, 4, 7],
  coverage: [1, 3, 6, 10],
  // The weekly rule's own bound is a class edge: below it reads dark, at or above it light.
  weekly: [1, WEEKLY_MINIMUM_VISITS, 6, 10],
};

const hex = (value: string, alpha: number): Rgba => [parseInt(value.slice(1, 3), 16), parseInt(value.slice(3, 5), 16), parseInt(value.slice(5, 7), 16), alpha];

/*
 * Sequential ramps whose lightness rises with the value (inferno for case
 * counts, viridis for patrol visits), so the order reads without hue and
 * survives every common colour-vision deficiency and a greyscale print.
 */
export const METRIC_PALETTES: Readonly<Record<GridMetric, readonly Rgba[]>> = {
  open: [hex("#1c2533", 90), hex("#420a68", 170), hex("#932667", 180), hex("#dd513a", 190), hex("#fca50a", 200)],
  overdue: [hex("#1c2533", 90), hex("#57106e", 170), hex("#a52c60", 180), hex("#ed6925", 190), hex("#fbb61a", 200)],
  coverage: [hex("#440154", 170), hex("#3b528b", 160), hex("#21918c", 160), hex("#5ec962", 170), hex("#fde725", 180)],
  weekly: [hex("#440154", 190), hex("#3b528b", 170), hex("#21918c", 160), hex("#5ec962", 170), hex("#fde725", 180)],
};

/** Patrol visits per grid index over the summary's last seven Beijing days (the weekly rule's week). */
export function weeklyVisitsByGrid(summary: CoverageSummary | null, gridIndex: ReadonlyMap<string, number>, gridCount: number): Uint32Array {
  const visits = new Uint32Array(gridCount);
  if (!summary) return visits;
  for (const date of weekDates(summary.today)) {
    for (const [code, count] of Object.entries(summary.visitsByDay[date] ?? {})) {
      const index = gridIndex.get(code);
      if (index !== undefined && Number.isFinite(count) && count > 0) visits[index] = (visits[index] as number) + Math.floor(count);
    }
  }
  return visits;
}

/** Patrol visits per grid index on the summary's day (Beijing). */
export function coverageByGrid(summary: CoverageSummary | null, gridIndex: ReadonlyMap<string, number>, gridCount: number): Uint32Array {
  const visits = new Uint32Array(gridCount);
  const today = summary?.visitsByDay[summary.today];
  if (!today) return visits;
  for (const [code, count] of Object.entries(today)) {
    const index = gridIndex.get(code);
    if (index !== undefined && Number.isFinite(count) && count > 0) visits[index] = Math.floor(count);
  }
  return visits;
}

export function classOf(value: number, breaks: readonly number[]): number {
  let k = 0;
  while (k < breaks.length && value >= (breaks[k] as number)) k++;
  return k;
}

export function classify(values: ArrayLike<number>, breaks: readonly number[], out = new Uint8Array(values.length)): Uint8Array {
  for (let i = 0; i < values.length; i++) out[i] = classOf(values[i] as number, breaks);
  return out;
}

export type GridMetricInput = {
  /** The map's markers of open cases, each with its grid in this layer (incidents.ts `markersOf`). */
  markers: readonly { gridIndex: number; overdue: boolean }[];
  coverage: CoverageSummary | null;
  gridIndex: ReadonlyMap<string, number>;
  gridCount: number;
};

/** The value of `metric` for every grid, in grid order. */
export function gridMetricValues(metric: GridMetric, input: GridMetricInput): Uint32Array {
  const { markers, coverage, gridIndex, gridCount } = input;
  if (metric === "coverage") return coverageByGrid(coverage, gridIndex, gridCount);
  if (metric === "weekly") return weeklyVisitsByGrid(coverage, gridIndex, gridCount);
  // The engine's counts are what the map draws (use-map-layers.ts); these, from the markers, only when it has none for this layer.
  const counts = new Uint32Array(gridCount);
  for (const marker of markers) {
    if (marker.gridIndex < 0 || marker.gridIndex >= gridCount || (metric === "overdue" && !marker.overdue)) continue;
    counts[marker.gridIndex] = (counts[marker.gridIndex] as number) + 1;
  }
  return counts;
}

export type LegendEntry = { label: string; color: Rgba };

/** "0", "1–2", …, "≥10": the legend of a metric, in class order. */
export function legendEntries(metric: GridMetric): LegendEntry[] {
  const breaks = METRIC_BREAKS[metric];
  const palette = METRIC_PALETTES[metric];
  return palette.map((color, k) => {
    const low = k === 0 ? 0 : (breaks[k - 1] as number);
    const high = k < breaks.length ? (breaks[k] as number) - 1 : null;
    const label = high === null ? `≥${low}` : high === low ? `${low}` : `${low}–${high}`;
    return { label, color };
  });
}
