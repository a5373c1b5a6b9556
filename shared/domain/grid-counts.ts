import type { IncidentView } from "../bridge/contract.js";
import { deadlineState, type CategoryIndex, type DeadlineInput } from "./deadlines.js";
import { isOpen } from "./lifecycle.js";

/*
 * Cases per grid for the map's case metrics (open, overdue): the reference
 * the engine's incremental counts (electron/engine/grid-counts.ts) are held to,
 * and what a page counts itself while it has no counts from the engine.
 */

/** The map metrics counted from cases; coverage and weekly come from the patrol summary. */
export const CASE_GRID_METRICS = ["open", "overdue"] as const;
export type CaseGridMetric = (typeof CASE_GRID_METRICS)[number];

/** What the counts read of a case. */
export type GridCountCase = Pick<IncidentView, "id" | "status" | "gridCode" | "lon" | "lat"> & DeadlineInput;

export type IncidentFilter<T extends GridCountCase = IncidentView> = (incident: T) => boolean;

/** Cases per grid index; cases naming a grid the layer does not know fall to `locate` (point in polygon) or are left out. */
export function countIncidentsByGrid<T extends GridCountCase>(
  incidents: Iterable<T>,
  gridIndex: ReadonlyMap<string, number>,
  gridCount: number,
  include: IncidentFilter<T>,
  /** Takes the feed's lon/lat (the caller converts a GCJ-02 feed). */
  locate?: (lon: number, lat: number) => number,
): Uint32Array {
  const counts = new Uint32Array(gridCount);
  for (const incident of incidents) {
    if (!include(incident)) continue;
    const index = gridOfCase(incident, gridIndex, gridCount, locate);
    if (index >= 0) counts[index] = (counts[index] as number) + 1;
  }
  return counts;
}

/** The grid index a case counts in, or -1: its own grid code, else the grid its point lies in. */
export function gridOfCase(incident: Pick<GridCountCase, "gridCode" | "lon" | "lat">, gridIndex: ReadonlyMap<string, number>, gridCount: number, locate?: (lon: number, lat: number) => number): number {
  let index = gridIndex.get(incident.gridCode);
  if (index === undefined && locate) {
    const found = locate(incident.lon, incident.lat);
    if (found >= 0) index = found;
  }
  return index !== undefined && index < gridCount ? index : -1;
}

/** Open cases, or open overdue cases, per grid: the full recomputation. */
export function caseGridCounts<T extends GridCountCase>(
  metric: CaseGridMetric,
  input: { incidents: Iterable<T>; gridIndex: ReadonlyMap<string, number>; gridCount: number; isOverdue: IncidentFilter<T>; locate?: (lon: number, lat: number) => number },
): Uint32Array {
  const { incidents, gridIndex, gridCount, isOverdue, locate } = input;
  const include: IncidentFilter<T> = metric === "open" ? (i) => isOpen(i.status) : (i) => isOpen(i.status) && isOverdue(i);
  return countIncidentsByGrid(incidents, gridIndex, gridCount, include, locate);
}

/** The overdue rule both the engine and a page count with. */
export const overdueAt =
  (categories: CategoryIndex, now: number): IncidentFilter<GridCountCase> =>
  (incident) =>
    deadlineState(incident, categories, now).overdue;

/**
 * The identity of a layer's grids as counted: their number and an FNV-1a hash
 * of their codes in order. A page draws the engine's counts only on grids
 * with the same key (the same layer, the same order).
 */
export function gridLayerKey(grids: readonly { code: string }[]): string {
  let hash = 2166136261;
  for (const grid of grids) {
    for (let i = 0; i < grid.code.length; i++) hash = Math.imul(hash ^ grid.code.charCodeAt(i), 16777619);
    hash = Math.imul(hash ^ 0x2c, 16777619);
  }
  return `${grids.length}:${(hash >>> 0).toString(16)}`;
}
