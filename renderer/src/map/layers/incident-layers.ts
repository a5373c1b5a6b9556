import type { Layer } from "@deck.gl/core";
import { IconLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { IconAtlas } from "./icons.js";
import { incidentIconId, MAP_FONT } from "./icons.js";
import type { IncidentCluster, IncidentMarker } from "./incidents.js";
import { incidentDetail } from "./incidents.js";
import type { LabelObstacle } from "./label-placement.js";

/*
 * Case layers. At street and community zoom, counts per area stand in for the
 * markers, except urgent cases, which always show on their own. Pulsing is a
 * radius accessor over a phase that a slow timer advances: only the few
 * pulsing objects are re-evaluated, nothing is rebuilt.
 */

export type IncidentLayerInput = {
  markers: readonly IncidentMarker[];
  clusters: readonly IncidentCluster[];
  pulsing: readonly IncidentMarker[];
  pulse: number;
  selected: IncidentMarker | null;
  atlas: IconAtlas;
  atlasKey: string;
  /** Prefix of the overdue count under an area's case count ("超" / "late "). */
  overdueWord: string;
  zoom: number;
  /** Root font size / 16 (pixel-scale.ts): marker, ring and label sizes follow the wall's rem. */
  pixelScale: number;
};

export const OVERDUE_RING: [number, number, number, number] = [204, 121, 167, 255];
const MARKER_SIZE = 30;
/** A cluster's radius in design pixels (before the pixel scale): grows with the square root of its count. */
export const clusterRadius = (count: number): number => 13 + 4 * Math.sqrt(count);

/** What area names keep clear of (label-placement.ts), and how many cases each area has (the busiest are named first). */
export type LabelObstacles = { obstacles: LabelObstacle[]; counts: ReadonlyMap<string, number> };
export const NO_LABEL_OBSTACLES: LabelObstacles = { obstacles: [], counts: new Map() };

/** The count circles of a zoom and the urgent cases drawn on their own beside them; none where every case has its marker. */
export function labelObstacles(clusters: readonly IncidentCluster[], markers: readonly IncidentMarker[], detail: ReturnType<typeof incidentDetail>): LabelObstacles {
  if (detail === "markers") return NO_LABEL_OBSTACLES;
  const obstacles: LabelObstacle[] = clusters.map((c) => ({ code: c.code, position: c.position, radius: clusterRadius(c.count), badge: c.overdue > 0 }));
  for (const m of markers) if (m.priority === "urgent") obstacles.push({ code: `case:${m.id}`, position: m.position, radius: MARKER_SIZE / 2 + 5, badge: false });
  return { obstacles, counts: new Map(clusters.map((c) => [c.code, c.count])) };
}

export function buildIncidentLayers(input: IncidentLayerInput): Layer[] {
  const { markers, clusters, pulsing, pulse, selected, atlas, atlasKey, overdueWord, zoom, pixelScale } = input;
  const detail = incidentDetail(zoom);
  const individual = detail === "markers" ? markers : markers.filter((m) => m.priority === "urgent");
  const overdue = individual.filter((m) => m.overdue);
  return [
    new ScatterplotLayer<IncidentCluster>({
      id: "incident-clusters",
      data: detail === "markers" ? [] : clusters,
      getPosition: (d) => d.position,
      getRadius: (d) => clusterRadius(d.count),
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      getFillColor: [28, 44, 66, 225],
      stroked: true,
      getLineColor: [200, 214, 230, 255],
      getLineWidth: 2,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      pickable: true,
    }),
    new TextLayer<IncidentCluster>({
      id: "incident-cluster-labels",
      data: detail === "markers" ? [] : clusters,
      getPosition: (d) => d.position,
      getText: (d) => String(d.count),
      getSize: 16,
      sizeUnits: "pixels",
      sizeScale: pixelScale,
      getColor: [255, 255, 255, 255],
      fontFamily: MAP_FONT,
      fontWeight: 700,
      characterSet: "0123456789",
      getTextAnchor: "middle",
      getAlignmentBaseline: "center",
    }),
    new TextLayer<IncidentCluster>({
      id: "incident-cluster-overdue",
      data: detail === "markers" ? [] : clusters.filter((c) => c.overdue > 0),
      getPosition: (d) => d.position,
      getText: (d) => `${overdueWord}${d.overdue}`,
      getSize: 13,
      sizeUnits: "pixels",
      sizeScale: pixelScale,
      getColor: [255, 255, 255, 255],
      background: true,
      getBackgroundColor: OVERDUE_RING,
      backgroundPadding: [4 * pixelScale, pixelScale],
      getPixelOffset: (d) => [0, clusterRadius(d.count) * pixelScale],
      fontFamily: MAP_FONT,
      fontWeight: 700,
      characterSet: "auto",
      updateTriggers: { getText: overdueWord, getPixelOffset: pixelScale },
    }),
    new ScatterplotLayer<IncidentMarker>({
      id: "incident-overdue",
      data: overdue,
      getPosition: (d) => d.position,
      getRadius: MARKER_SIZE / 2 + 5,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      filled: false,
      stroked: true,
      getLineColor: OVERDUE_RING,
      getLineWidth: 4,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
    }),
    new ScatterplotLayer<IncidentMarker>({
      id: "incident-pulse",
      data: pulsing,
      getPosition: (d) => d.position,
      getRadius: 14 + 24 * pulse,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      filled: false,
      stroked: true,
      getLineColor: [255, 120, 40, Math.round(255 * (1 - pulse))],
      getLineWidth: 3,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      updateTriggers: { getRadius: pulse, getLineColor: pulse },
    }),
    new IconLayer<IncidentMarker>({
      id: "incident-markers",
      data: individual,
      getPosition: (d) => d.position,
      iconAtlas: `atlas:incidents:${atlasKey}`,
      iconMapping: atlas.mapping,
      fetch: () => atlas.canvas,
      getIcon: (d) => incidentIconId(d.priority, d.status),
      getSize: MARKER_SIZE,
      sizeUnits: "pixels",
      sizeScale: pixelScale,
      pickable: true,
      updateTriggers: { getIcon: atlasKey },
    }),
    new ScatterplotLayer<IncidentMarker>({
      id: "incident-selected",
      data: selected ? [selected] : [],
      getPosition: (d) => d.position,
      getRadius: MARKER_SIZE / 2 + 11,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      filled: false,
      stroked: true,
      getLineColor: [0, 229, 255, 255],
      getLineWidth: 4,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
    }),
  ];
}
