import type { LayersList } from "@deck.gl/core";
import { useEffect, useMemo, useState } from "react";
import type { GridCounts, IncidentView } from "../../../shared/bridge/contract.js";
import { maskName } from "../../../shared/domain/masking.js";
import { useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import type { DataState } from "../state/data.js";
import { useCoverage, usePacedData, usePulse, type LoadedRegion } from "./hooks.js";
import { baseMapAttribution, baseMapNotice, buildBaseMapLayers } from "./layers/base-map.js";
import { classify, gridMetricValues, METRIC_BREAKS, METRIC_PALETTES, type GridMetric } from "./layers/choropleth.js";
import { drawIncidentAtlas, drawUnitAtlas } from "./layers/icons.js";
import { buildIncidentLayers, labelObstacles } from "./layers/incident-layers.js";
import { clusterIncidents, incidentDetail, markersOf, type IncidentMarker } from "./layers/incidents.js";
import { GlyphPace, growBounds, type Bounds, type GlyphObstacle } from "./layers/label-placement.js";
import { buildPatrolTrackLayers } from "./layers/patrol-track.js";
import { findArea } from "./layers/region.js";
import { buildRegionLayers, gridsInSelection } from "./layers/region-layers.js";
import { buildUnitLayers, staffGlyphObstacles, type SosMarker } from "./layers/unit-layers.js";
import type { LiveSnapshot } from "./live-units.js";
import { useMergedUnits } from "./merged-units.js";
import { mapMessages } from "./messages.js";
import type { RedrawPacer } from "./redraw-pacing.js";
import { buildReportPointLayers } from "./report-point.js";
import type { SelectedShift } from "./selected-shift.js";

/*
 * The map's layer data: what deck.gl draws, built from the data store (cases,
 * staff, the engine's grid counts, patrol coverage) and the view's state
 * (metric, zoom, selection). The grid choropleth draws the engine's counts
 * (electron/engine/grid-counts.ts) for the case metrics; the page counts its
 * cases itself only until they arrive, or if they are for another layer.
 */

/** No markers while the region loads: they would be made again with its grids a moment later (a city's 100,000 cases, twice). */
const NO_MARKERS: IncidentMarker[] = [];
const NO_GRID = () => -1;
const selectIncidents = (state: DataState) => state.incidents;
const selectMarkers = (state: DataState) => state.markers;
const selectGridCounts = (state: DataState) => state.gridCounts;

export type MapLayersInput = {
  region: LoadedRegion | null;
  regionLoading: boolean;
  metric: GridMetric;
  zoom: number;
  pixelScale: number;
  live: LiveSnapshot;
  pacer: RedrawPacer;
  selectedShift: SelectedShift | null;
  /** The box whose area names are placed (label-placement.ts `labelScope`); null: every name. */
  scope?: Bounds | null;
};

export type MapLayers = {
  layers: LayersList;
  markers: IncidentMarker[];
  detail: ReturnType<typeof incidentDetail>;
  /** The shown metric's value per grid, in the layer's grid order (what the colours and the tooltips read). */
  values: Uint32Array;
  incidents: ReadonlyMap<string, IncidentView>;
  staff: ReturnType<typeof useMergedUnits>;
  baseMapShown: boolean;
  attribution: string | null | undefined;
  baseMapProblem: string | null | undefined;
};

export function useMapLayers({ region, regionLoading, metric, zoom, pixelScale, live, pacer, selectedShift, scope = null }: MapLayersInput): MapLayers {
  const { bridge, data } = useConsole();
  const text = useMessages(mapMessages);
  const language = useUiSelector((s) => s.language);
  const area = useUiSelector((s) => s.area);
  const selectedIncidentId = useUiSelector((s) => s.selectedIncidentId);
  const selectedUnitId = useUiSelector((s) => s.selectedUnitId);
  const reportPoint = useUiSelector((s) => s.pickedLocation);
  const briefing = useUiSelector((s) => s.briefing);
  const units = useDataSelector((s) => s.units);
  const settings = useDataSelector((s) => s.settings);
  const staff = useMergedUnits(live, zoom, pixelScale);
  const incidents = usePacedData(data, selectIncidents, pacer);
  const markerTable = usePacedData(data, selectMarkers, pacer);
  // The engine's counts reach the grids at the pace of the map's redraws, as the cases do.
  const gridCounts = usePacedData(data, selectGridCounts, pacer);
  const coverage = useCoverage(bridge, metric === "coverage" || metric === "weekly");

  const incidentAtlas = useMemo(() => drawIncidentAtlas(language), [language]);
  const unitAtlas = useMemo(() => drawUnitAtlas(language), [language]);

  // Everything reaches the page in the grid layer's WGS84: the engine converts a GCJ-02 feed where it enters (electron/engine/feed-space.ts).
  // Overdue and pulsing are the engine's too (on its case clock): the markers change when they do, not with this page's clock.
  const markers = useMemo(
    () => (regionLoading ? NO_MARKERS : markersOf(markerTable, region !== null && markerTable.layer === region.gridKey, region?.locate ?? NO_GRID)),
    [regionLoading, markerTable, region],
  );
  const detail = incidentDetail(zoom);
  const clusters = useMemo(() => (region && detail !== "markers" ? clusterIncidents(markers, region.region, detail) : []), [markers, region, detail]);
  // Made once per change of cases or of zoom band: area names are placed again only when the circles in their box change (region-layers.ts).
  const obstacles = useMemo(() => labelObstacles(clusters, markers, detail), [clusters, markers, detail]);
  // Area names keep clear of the staff glyphs in their box too: a new staff picture at most every 2 s, a new zoom or box at once.
  const glyphs = usePacedGlyphs(staff, live, zoom, scope);
  const pulsingMarkers = useMemo(() => markers.filter((m) => m.pulsing), [markers]);

  const values = useGridValues(metric, region, gridCounts, markers, coverage);
  const classes = useMemo(() => classify(values, METRIC_BREAKS[metric]), [values, metric]);
  const inSelection = useMemo(() => (region ? gridsInSelection(region.region, area) : new Uint8Array(0)), [region, area]);
  const colorKey = useMemo(() => `${metric}:${checksum(classes)}:${area?.code ?? ""}`, [metric, classes, area]);
  const selectedArea = region && area ? (findArea(region.region, area.level, area.code) ?? null) : null;

  const sos = useMemo<SosMarker[]>(() => {
    const bySlot = data.getState().unitBySlot;
    return live.sos.map(({ slot, position }) => {
      const unit = units.get(bySlot[slot] ?? "");
      const name = unit ? (briefing ? maskName(unit.name) : unit.name) : "";
      return { slot, position, label: `SOS ${text.sos} ${name}`.trim() };
    });
  }, [live, units, data, briefing, text]);
  const pulse = usePulse(sos.length > 0 || pulsingMarkers.length > 0, pacer);

  const selectedIncident = markers.find((m) => m.id === selectedIncidentId) ?? null;
  const selectedUnit = selectedUnitId ? units.get(selectedUnitId) : undefined;
  const selectedSlot = selectedUnit && selectedUnit.slot < live.length && (live.radii[selectedUnit.slot] ?? 0) > 0 ? selectedUnit.slot : -1;
  const selectedUnitPosition: [number, number] | null = selectedSlot >= 0 ? [live.positions[selectedSlot * 2] as number, live.positions[selectedSlot * 2 + 1] as number] : null;

  const baseMap = useMemo(() => buildBaseMapLayers(settings?.map, pixelScale), [settings, pixelScale]);
  const unitLayers = buildUnitLayers({
    data: staff.data,
    version: live.version,
    merged: staff.merged,
    roster: live.roster,
    rosterKey: String(live.rosterVersion),
    trails: live.trails,
    sos,
    pulse,
    selected: selectedUnitPosition ? { position: selectedUnitPosition } : null,
    atlas: unitAtlas,
    atlasKey: language,
    zoom,
    pixelScale,
  });
  const regionLayers = region
    ? buildRegionLayers({ region: region.region, data: region.deck, gridClasses: classes, palette: METRIC_PALETTES[metric], inSelection, colorKey, selectedArea, zoom, pixelScale, obstacles, glyphs, scope })
    : { base: [], labels: [] };
  const layers: LayersList = [
    ...baseMap,
    ...regionLayers.base,
    ...unitLayers.under,
    ...buildIncidentLayers({ markers, clusters, pulsing: pulsingMarkers, pulse, selected: selectedIncident, atlas: incidentAtlas, atlasKey: language, overdueWord: text.overdueBadge, zoom, pixelScale }),
    // Under the area names: an area picked by search sits at its label point, whose name stays readable over the ring.
    ...buildReportPointLayers(reportPoint, pixelScale),
    ...regionLayers.labels,
    ...(selectedShift ? buildPatrolTrackLayers({ ...selectedShift, pixelScale }) : []),
    ...unitLayers.over,
  ];

  return {
    layers,
    markers,
    detail,
    values,
    incidents,
    staff,
    baseMapShown: baseMap.length > 0,
    attribution: baseMapAttribution(settings?.map),
    baseMapProblem: baseMapNotice(settings?.map, text),
  };
}

const NO_GLYPHS: GlyphObstacle[] = [];

/**
 * The staff glyphs the area names keep clear of (unit-layers.ts
 * `staffGlyphObstacles`, those in the names' box grown by their reach): made
 * from a new staff picture at most every GLYPH_PLACEMENT_INTERVAL (names are
 * placed against each, which costs the main thread), at once for a new zoom
 * or box; the latest picture held back is taken when the interval ends.
 */
function usePacedGlyphs(staff: ReturnType<typeof useMergedUnits>, live: LiveSnapshot, zoom: number, scope: Bounds | null): readonly GlyphObstacle[] {
  const [pace] = useState(() => new GlyphPace<GlyphObstacle[]>());
  const [, wake] = useState(0);
  const { value, wait } = pace.pick([staff, live, zoom, scope], `${zoom}|${scope?.join(",") ?? ""}`, () =>
    staffGlyphObstacles(staff.merged, live.positions, zoom, scope ? growBounds(scope, zoom, 400) : null),
  );
  // The picture held back is taken when the interval ends, even if no newer one comes.
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => wake((n) => n + 1), wait);
    return () => clearTimeout(timer);
  }, [wait, staff, live]);
  return value ?? NO_GLYPHS;
}

/** The engine's counts of `metric` when they are for this layer's grids, else null (coverage and weekly are never counted by it). */
export function engineGridValues(metric: GridMetric, counts: GridCounts | null, layerKey: string, gridCount: number): Uint32Array | null {
  if (!counts || (metric !== "open" && metric !== "overdue") || counts.layer !== layerKey) return null;
  const values = counts[metric];
  return values.length === gridCount ? values : null;
}

/** The shown metric per grid: the engine's counts for open and overdue (from the markers when it has none for this layer), the patrol summary's visits for coverage and weekly. */
function useGridValues(metric: GridMetric, region: LoadedRegion | null, counts: GridCounts | null, markers: readonly IncidentMarker[], coverage: ReturnType<typeof useCoverage>): Uint32Array {
  const fromEngine = region ? engineGridValues(metric, counts, region.gridKey, region.region.grids.areas.length) : null;
  const counted = fromEngine !== null;
  const own = useMemo(
    () => (region && !counted ? gridMetricValues(metric, { markers, coverage, gridIndex: region.region.grids.indexByCode, gridCount: region.region.grids.areas.length }) : null),
    [metric, markers, coverage, region, counted],
  );
  return fromEngine ?? own ?? EMPTY;
}

const EMPTY = new Uint32Array(0);

/** FNV-1a over the class array: a cheap update trigger that changes when any grid's colour does. */
function checksum(values: Uint8Array): number {
  let hash = 2166136261;
  for (let i = 0; i < values.length; i++) hash = Math.imul(hash ^ (values[i] as number), 16777619);
  return hash >>> 0;
}
