import { tableMarkers, type CaseMarker, type MarkerTable } from "../../../../shared/domain/incident-markers.js";
import type { Priority } from "../../../../shared/protocol/types.js";
import type { PreparedRegion } from "./region.js";

/*
 * Open cases as markers, and as counts per street or community when zoomed
 * out. The engine keeps the markers as columns (electron/engine/grid-counts.ts)
 * and sends the slots that change; the objects deck.gl draws are made from
 * the page's table when it changes, at the pace of the map's redraws.
 */

/** An open case as the map draws it (shared/domain/incident-markers.ts: the engine works these out; a page never holds the cases). */
export type IncidentMarker = CaseMarker;

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };
export const PRIORITIES_BY_RANK: readonly Priority[] = ["low", "normal", "high", "urgent"];

/**
 * The engine's markers (a page's `MarkerTable`), least urgent first so that urgent ones draw on top. Their grids
 * are the engine's when its layer is the page's (`sameLayer`), else `gridOf` finds them from where they lie.
 */
export function markersOf(table: MarkerTable, sameLayer: boolean, gridOf: (lon: number, lat: number) => number): IncidentMarker[] {
  // Eight groups (priority, then overdue) in one pass instead of a sort of 100,000 markers at city scale; slot order within each.
  const groups: IncidentMarker[][] = Array.from({ length: 8 }, () => []);
  for (const marker of tableMarkers(table, sameLayer, gridOf)) (groups[PRIORITY_RANK[marker.priority] * 2 + Number(marker.overdue)] as IncidentMarker[]).push(marker);
  return groups.flat();
}

export type IncidentCluster = {
  code: string;
  name: string;
  position: [number, number];
  count: number;
  urgent: number;
  overdue: number;
  worst: Priority;
};

/** Open cases counted per street or community (through their grid), at the area's label point. */
export function clusterIncidents(markers: readonly IncidentMarker[], region: PreparedRegion, level: "street" | "community"): IncidentCluster[] {
  const parentOf = level === "street" ? region.gridStreet : region.gridCommunity;
  const areas = level === "street" ? region.streets.areas : region.communities.areas;
  const clusters = new Map<number, IncidentCluster>();
  for (const marker of markers) {
    if (marker.gridIndex < 0) continue;
    const index = parentOf[marker.gridIndex] ?? -1;
    const area = areas[index];
    if (!area) continue;
    let cluster = clusters.get(index);
    if (!cluster) {
      cluster = { code: area.code, name: area.name, position: area.labelAt, count: 0, urgent: 0, overdue: 0, worst: "low" };
      clusters.set(index, cluster);
    }
    cluster.count++;
    if (marker.priority === "urgent") cluster.urgent++;
    if (marker.overdue) cluster.overdue++;
    if (PRIORITY_RANK[marker.priority] > PRIORITY_RANK[cluster.worst]) cluster.worst = marker.priority;
  }
  return [...clusters.values()];
}

/** How markers are drawn at a zoom: counts per street, per community, or one marker per case. */
export function incidentDetail(zoom: number): "street" | "community" | "markers" {
  if (zoom < 13.6) return "street";
  if (zoom < 15) return "community";
  return "markers";
}
