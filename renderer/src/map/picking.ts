import type { PickingInfo } from "@deck.gl/core";
import type { IncidentView, UnitView } from "../../../shared/bridge/contract.js";
import { PRIORITY_NAMES, ROLE_NAMES, STATUS_NAMES, UNIT_STATUS_NAMES } from "../app/labels.js";
import { fill } from "../i18n/index.js";
import type { AreaSelection, Language, UiState } from "../state/ui.js";
import type { GridMetric } from "./layers/choropleth.js";
import type { IncidentCluster, IncidentMarker } from "./layers/incidents.js";
import { drillTarget, type PreparedRegion } from "./layers/region.js";
import type { UnitCluster } from "./layers/unit-clusters.js";
import type { SosMarker } from "./layers/unit-layers.js";
import type { mapMessages } from "./messages.js";

/*
 * What a click or a hover on the map means, by the layer picked. Pure, so the
 * rules (unit before case before area; picking mode swallows every click) are
 * tested without a canvas.
 */

export type PickContext = {
  picking: boolean;
  region: PreparedRegion | null;
  area: AreaSelection;
  detail: "street" | "community" | "markers";
  unitBySlot: readonly (string | undefined)[];
};

type Picked = Pick<PickingInfo, "picked" | "index" | "object" | "coordinate"> & { layer?: { id: string } | null };

const UNIT_LAYERS = new Set(["unit-bodies", "unit-headings", "unit-roles"]);
const SOS_LAYERS = new Set(["unit-sos-pulse", "unit-sos-labels"]);
/** A merged staff glyph: a click zooms in to separate it (MapView), which is a camera move, not a state change. */
export const CLUSTER_LAYERS: ReadonlySet<string> = new Set(["unit-clusters", "unit-cluster-counts"]);

export function pickAction(info: Picked, context: PickContext): Partial<UiState> | null {
  if (context.picking) {
    const [lon, lat] = info.coordinate ?? [];
    if (typeof lon !== "number" || typeof lat !== "number") return null;
    // In the grid layer's WGS84; the engine converts a report's point to the platform's space as it sends it.
    return { pickedLocation: { lon, lat }, pickingLocation: false };
  }
  if (!info.picked || !info.layer) return null;
  const id = info.layer.id;
  if (UNIT_LAYERS.has(id)) {
    const unitId = context.unitBySlot[info.index];
    return unitId ? { selectedUnitId: unitId } : null;
  }
  if (SOS_LAYERS.has(id)) {
    const unitId = context.unitBySlot[(info.object as SosMarker).slot];
    return unitId ? { selectedUnitId: unitId } : null;
  }
  if (id === "incident-markers") return { selectedIncidentId: (info.object as IncidentMarker).id };
  if (id === "incident-clusters" && context.detail !== "markers") {
    return { area: { level: context.detail, code: (info.object as IncidentCluster).code } };
  }
  if (id === "grid-fill" && context.region) {
    const grid = context.region.grids.fill.partArea[info.index];
    if (grid === undefined) return null;
    return { area: drillTarget(context.region, context.area, grid) };
  }
  return null;
}

export type DescribeContext = {
  region: PreparedRegion | null;
  values: ArrayLike<number>;
  metric: GridMetric;
  incidents: ReadonlyMap<string, IncidentView>;
  units: ReadonlyMap<string, UnitView>;
  unitBySlot: readonly (string | undefined)[];
  language: Language;
  text: (typeof mapMessages)["zh-CN"];
};

const METRIC_TEXT: Record<GridMetric, "metricOpen" | "metricOverdue" | "metricCoverage" | "metricWeekly"> = { open: "metricOpen", overdue: "metricOverdue", coverage: "metricCoverage", weekly: "metricWeekly" };

/** The hover text of a picked object, or null. */
export function describePick(info: Picked, c: DescribeContext): string | null {
  if (!info.picked || !info.layer) return null;
  const id = info.layer.id;
  const unitText = (unitId: string | undefined) => {
    const unit = unitId ? c.units.get(unitId) : undefined;
    return unit ? `${unit.name} · ${ROLE_NAMES[c.language][unit.role]} · ${UNIT_STATUS_NAMES[c.language][unit.status]}` : null;
  };
  if (UNIT_LAYERS.has(id)) return unitText(c.unitBySlot[info.index]);
  if (SOS_LAYERS.has(id)) return unitText(c.unitBySlot[(info.object as SosMarker).slot]);
  if (CLUSTER_LAYERS.has(id)) return `${fill(c.text.staffMerged, { count: (info.object as UnitCluster).count })}\n${c.text.clickToSeparate}`;
  if (id === "incident-markers") {
    const marker = info.object as IncidentMarker;
    // The title once the hovered case is held (useMapPicking holds it: the page holds no other cases); the marker's own facts at once.
    const incident = c.incidents.get(marker.id);
    const title = incident ? `${incident.title}\n` : "";
    const overdue = marker.overdue ? ` · ${c.text.metricOverdue}` : "";
    return `${title}${PRIORITY_NAMES[c.language][marker.priority]} · ${STATUS_NAMES[c.language][marker.status]}${overdue}\n${c.text.clickToOpen}`;
  }
  if (id === "incident-clusters") {
    const cluster = info.object as IncidentCluster;
    const parts = [fill(c.text.cases, { count: cluster.count })];
    if (cluster.urgent > 0) parts.push(fill(c.text.urgentCases, { count: cluster.urgent }));
    if (cluster.overdue > 0) parts.push(fill(c.text.overdueCases, { count: cluster.overdue }));
    return `${cluster.name}\n${parts.join(" · ")}`;
  }
  if (id === "grid-fill" && c.region) {
    const grid = c.region.grids.fill.partArea[info.index];
    const area = grid === undefined ? undefined : c.region.grids.areas[grid];
    if (!area || grid === undefined) return null;
    return `${area.name}\n${c.text[METRIC_TEXT[c.metric]]}: ${c.values[grid] ?? 0}`;
  }
  return null;
}
