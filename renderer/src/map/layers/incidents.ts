import type { IncidentView } from "../../../../shared/bridge/contract.js";
import { isOpen } from "../../../../shared/domain/lifecycle.js";
import type { IncidentStatus, Priority } from "../../../../shared/protocol/types.js";
import type { PreparedRegion } from "./region.js";

/*
 * Open cases as markers, and as counts per street or community when zoomed
 * out. Cases are few (hundreds to a few thousand) and change by delta, so
 * plain objects rebuilt when the incident map changes are cheap enough.
 */

export type IncidentMarker = {
  id: string;
  position: [number, number];
  priority: Priority;
  status: IncidentStatus;
  overdue: boolean;
  /** Urgent and created within `NEW_URGENT_MS`: drawn pulsing. */
  pulsing: boolean;
  gridIndex: number;
};

export const NEW_URGENT_MS = 30 * 60_000;

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };
export const PRIORITIES_BY_RANK: readonly Priority[] = ["low", "normal", "high", "urgent"];

export type MarkerInput = {
  now: number;
  isOverdue: (incident: IncidentView) => boolean;
  gridIndex: ReadonlyMap<string, number>;
  locate?: (lon: number, lat: number) => number;
};

/** Open cases as markers, least urgent first so that urgent ones draw on top. */
export function buildIncidentMarkers(incidents: Iterable<IncidentView>, input: MarkerInput): IncidentMarker[] {
  const markers: IncidentMarker[] = [];
  for (const incident of incidents) {
    if (!isOpen(incident.status) || !Number.isFinite(incident.lon) || !Number.isFinite(incident.lat)) continue;
    const created = Date.parse(incident.createdAt);
    const position: [number, number] = [incident.lon, incident.lat];
    let gridIndex = input.gridIndex.get(incident.gridCode) ?? -1;
    if (gridIndex < 0 && input.locate) gridIndex = input.locate(position[0], position[1]);
    markers.push({
      id: incident.id,
      position,
      priority: incident.priority,
      status: incident.status,
      overdue: input.isOverdue(incident),
      pulsing: incident.priority === "urgent" && incident.status === "reported" && Number.isFinite(created) && input.now - created < NEW_URGENT_MS,
      gridIndex,
    });
  }
  return markers.sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || Number(a.overdue) - Number(b.overdue));
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
