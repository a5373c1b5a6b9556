import { FlyToInterpolator, type MapViewState, type PickingInfo } from "@deck.gl/core";
import { DeckGL, type DeckGLRef } from "@deck.gl/react";
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent, type PointerEvent } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import { deadlineState, indexCategories } from "../../../shared/domain/deadlines.js";
import { maskName } from "../../../shared/domain/masking.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { mapDrawnWithRegion } from "../state/first-frame.js";
import type { DataState } from "../state/data.js";
import { regionLayerFaults, useRegionLayer } from "../state/region.js";
import { useCoarseNow, useCoverage, useElementSize, useLiveUnits, useMapStats, usePacedData, usePixelScale, usePulse, useRegion, type LoadedRegion } from "./hooks.js";
import { classify, gridMetricValues, METRIC_BREAKS, METRIC_PALETTES, type GridMetric } from "./layers/choropleth.js";
import { baseMapAttribution, baseMapNotice, buildBaseMapLayers } from "./layers/base-map.js";
import { drawIncidentAtlas, drawUnitAtlas } from "./layers/icons.js";
import { buildIncidentLayers, labelObstacles } from "./layers/incident-layers.js";
import { buildIncidentMarkers, clusterIncidents, incidentDetail, type IncidentMarker } from "./layers/incidents.js";
import { areaPath, findArea, findAreaByCode } from "./layers/region.js";
import { staffPlace } from "./staff-place.js";
import { buildRegionLayers, gridsInSelection } from "./layers/region-layers.js";
import { buildUnitLayers, type SosMarker } from "./layers/unit-layers.js";
import { buildPatrolTrackLayers } from "./layers/patrol-track.js";
import { shiftPadding, useFitShift, useSelectedShift } from "./selected-shift.js";
import { UnitPatrolVerdict } from "../patrol/UnitPatrolVerdict.js";
import { Breadcrumb, MarkerLegend, MetricPanel, RegionFaultPanel, UnitCard, UnitStatusBar } from "./MapOverlays.js";
import { CLUSTER_LAYERS, describePick, pickAction } from "./picking.js";
import { useMergedUnits } from "./merged-units.js";
import { PushToWallButton } from "../wall/PushToWallButton.js";
import { separatingZoom, type UnitCluster } from "./layers/unit-clusters.js";
import { mapMessages } from "./messages.js";
import { LiveUnits } from "./live-units.js";
import { RedrawPacer } from "./redraw-pacing.js";
import { TRAIL_MIN_ZOOM } from "./layers/unit-layers.js";
import { buildReportPointLayers, keepPointInView } from "./report-point.js";
import { centreOn, fitBBox, MAX_ZOOM, MIN_ZOOM, visibleBounds } from "./viewport.js";
import "./map.css";

/* The wall's grid map; see `useMapStats` for the performance probe it publishes. */

type Camera = MapViewState & { transitionDuration?: number; transitionInterpolator?: FlyToInterpolator };
const FLY = { transitionDuration: 700, transitionInterpolator: new FlyToInterpolator({ speed: 2.4 }) };

export function MapView() {
  const { bridge } = useConsole();
  const region = useRegion(bridge);
  const faults = regionLayerFaults(useRegionLayer(bridge));
  const language = useUiSelector((s) => s.language);
  const text = useMessages(mapMessages);
  return (
    <div className="map-view" data-testid="map">
      <GridMap region={region.state === "ready" ? region.loaded : null} regionLoading={region.state === "loading"} />
      {region.state === "loading" && <div className="map-notice">{text.loading}</div>}
      {region.state === "error" && !faults?.length && <div className="map-notice error">{fill(text.regionFailed, { reason: region.reason })}</div>}
      {faults && faults.length > 0 && <RegionFaultPanel faults={faults} drawn={region.state === "ready" ? region.loaded.region.grids.areas.length : null} language={language} />}
    </div>
  );
}

/** No markers while the region loads: they would be made again with its grids a moment later (a city's 100,000 cases, twice). */
const NO_MARKERS: IncidentMarker[] = [];
/** How much of the map's right side the detail drawer covers, in rem: its 34rem (theme/cases.css .drawer) and its 0.5rem inset, plus 0.5rem. */
const DRAWER_COVER_REM = 35;

function GridMap({ region, regionLoading }: { region: LoadedRegion | null; regionLoading: boolean }) {
  const { bridge, data, ui } = useConsole();
  const text = useMessages(mapMessages);
  const language = useUiSelector((s) => s.language);
  const area = useUiSelector((s) => s.area);
  const selectedIncidentId = useUiSelector((s) => s.selectedIncidentId);
  const selectedUnitId = useUiSelector((s) => s.selectedUnitId);
  const picking = useUiSelector((s) => s.pickingLocation);
  const reportPoint = useUiSelector((s) => s.pickedLocation);
  const briefing = useUiSelector((s) => s.briefing);
  const units = useDataSelector((s) => s.units);
  const settings = useDataSelector((s) => s.settings);
  const [metric, setMetric] = useState<GridMetric>("open");
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const size = useElementSize(container);
  // The home area is the configured mapHomeArea (the sub-center's own street), else the district; a code the layer lacks leaves the district, and says so.
  const homeCode = settings?.map?.homeArea;
  const homeArea = region && homeCode ? (findAreaByCode(region.region, homeCode) ?? null) : null;
  const homeMissing = region && !regionLoading && homeCode && !homeArea ? homeCode : null;
  const homeBBox = region ? (homeArea ?? region.region.district).bbox : null;
  /*
   * The home area fills the map's panel at whatever size the panel has until
   * the operator moves the map or the console flies somewhere: a window that
   * goes fullscreen on a wall, or a layout that changes with it, frames it
   * again; after that, resizes keep the operator's view.
   */
  const [frozenHomeSize, setFrozenHomeSize] = useState<{ width: number; height: number } | null>(null);
  const homeWidth = frozenHomeSize?.width ?? size.width;
  const homeHeight = frozenHomeSize?.height ?? size.height;
  const pixelScale = usePixelScale();
  const homeCamera = useMemo<Camera | null>(
    () => (homeBBox && homeWidth > 0 ? fitBBox(homeBBox, homeWidth, homeHeight, Math.round(40 * pixelScale)) : null),
    [homeBBox, homeWidth, homeHeight, pixelScale],
  );
  // The layers' level of detail follows the zoom deck.gl reports once the map moves; until then, the first view's own.
  const [movedZoom, setZoom] = useState<number | null>(null);
  const zoom = movedZoom ?? Math.round((homeCamera?.zoom ?? 12) * 10) / 10;
  const now = useCoarseNow(15_000);
  const coverage = useCoverage(bridge, metric === "coverage" || metric === "weekly");

  const probe = useMapStats();
  const onMeasured = useCallback((ms: number, shown: number) => probe.update(ms, shown), [probe]);
  const [liveUnits] = useState(() => new LiveUnits());
  const [pacer] = useState(() => new RedrawPacer());
  const live = useLiveUnits(data, liveUnits, pacer, onMeasured);
  const staff = useMergedUnits(live, zoom, pixelScale);
  const incidents = usePacedData(data, selectIncidents, pacer);

  const incidentAtlas = useMemo(() => drawIncidentAtlas(language), [language]);
  const unitAtlas = useMemo(() => drawUnitAtlas(language), [language]);

  // Everything reaches the page in the grid layer's WGS84: the engine converts a GCJ-02 feed where it enters (electron/engine/feed-space.ts).
  const categories = useMemo(() => indexCategories(settings?.categories ?? []), [settings]);
  const isOverdue = useCallback((incident: IncidentView) => deadlineState(incident, categories, now).overdue, [categories, now]);
  const markers = useMemo(
    () =>
      regionLoading
        ? NO_MARKERS
        : buildIncidentMarkers(incidents.values(), {
            now,
            isOverdue,
            gridIndex: region?.region.grids.indexByCode ?? new Map(),
            ...(region ? { locate: region.locate } : {}),
          }),
    [regionLoading, incidents, now, isOverdue, region],
  );
  const detail = incidentDetail(zoom);
  const clusters = useMemo(() => (region && detail !== "markers" ? clusterIncidents(markers, region.region, detail) : []), [markers, region, detail]);
  // Made once per change of cases or of zoom band: area names are placed again only then, or at a new zoom (region-layers.ts).
  const obstacles = useMemo(() => labelObstacles(clusters, markers, detail), [clusters, markers, detail]);
  const pulsingMarkers = useMemo(() => markers.filter((m) => m.pulsing), [markers]);

  const values = useMemo(
    () =>
      region
        ? gridMetricValues(metric, { incidents: incidents.values(), coverage, gridIndex: region.region.grids.indexByCode, gridCount: region.region.grids.areas.length, isOverdue, locate: region.locate })
        : new Uint32Array(0),
    [metric, incidents, coverage, region, isOverdue],
  );
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

  const selectedShift = useSelectedShift(selectedUnitId, language);
  const shiftFocus = useUiSelector((s) => s.shiftFocusUnitId);

  const [camera, setCameraState] = useState<(Camera & { move: number }) | null>(null);
  /*
   * WARNING: deck.gl compares a new initialViewState with the last one by
   * value, not identity, and ignores an equal one. Flying to the same case
   * again (在地图上显示 after the operator moved the map) asks for the same
   * place as before: each move carries its own number so it is never equal.
   */
  const moves = useRef(0);
  const setCamera = useCallback((next: Camera & Partial<typeof FLY>) => setCameraState({ ...next, move: ++moves.current }), []);
  // Where the map was shown last (deck.gl owns the view between our camera moves), and where to go back to when the case (or the staff member asked for) is closed.
  const shownView = useRef<Camera | null>(null);
  const beforeFocus = useRef<Camera | null>(null);
  // WARNING: deck.gl jumps to `initialViewState` whenever its identity changes: it must stay memoised.
  const initialViewState = useMemo<Camera>(
    () => ({ ...(camera ?? homeCamera ?? { longitude: 116.41, latitude: 39.91, zoom: 12 }), minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM }),
    [camera, homeCamera],
  );
  useEffect(() => {
    shownView.current = { longitude: initialViewState.longitude, latitude: initialViewState.latitude, zoom: initialViewState.zoom, pitch: 0, bearing: 0 };
  }, [initialViewState]);
  useEffect(() => {
    liveUnits.setTrailScope(initialViewState.zoom >= TRAIL_MIN_ZOOM, visibleBounds(initialViewState, size.width, size.height));
  }, [liveUnits, initialViewState, size.width, size.height]);
  // A staff member opened from the patrol check list: their judged shift is shown whole, once its track arrives.
  const fitShift = useCallback(
    (bounds: [number, number, number, number]) => {
      beforeFocus.current ??= shownView.current;
      setCamera({ ...fitBBox(bounds, size.width, size.height, shiftPadding(size.height, pixelScale)), ...FLY });
    },
    [size.width, size.height, pixelScale, setCamera],
  );
  useFitShift(size.width > 0 && shiftFocus !== null && shiftFocus === selectedUnitId ? selectedShift : null, fitShift);
  // Follow the drill-down and the selection made anywhere on the wall (the queue too).
  useEffect(() => {
    if (!region || size.width === 0) return;
    let last = ui.getState();
    return ui.subscribe(() => {
      const next = ui.getState();
      if (next.area !== last.area) {
        const target = next.area ? findArea(region.region, next.area.level, next.area.code) : null;
        beforeFocus.current = null;
        setCamera({ ...fitBBox(target?.bbox ?? region.region.district.bbox, size.width, size.height), ...FLY });
      } else if (next.selectedUnitId && next.focusRequest !== last.focusRequest) {
        // A staff member asked for (the 查看 of an SOS in the ticker): fly to their last fix. A click on a dot selects without moving the map.
        const place = staffPlace(data.getState(), next.selectedUnitId);
        if (place) {
          beforeFocus.current ??= shownView.current;
          const [lon, lat] = place;
          setCamera({ ...centreOn(lon, lat, 0, 16), ...FLY });
        }
      } else if (beforeFocus.current && ((next.selectedIncidentId !== last.selectedIncidentId && !next.selectedIncidentId) || (next.selectedUnitId !== last.selectedUnitId && !next.selectedUnitId && !next.selectedIncidentId))) {
        // The case, or the staff member asked for, is closed: back to the view the operator had before (the district, a street…).
        setCamera({ ...beforeFocus.current, ...FLY });
        beforeFocus.current = null;
      } else if ((next.selectedIncidentId !== last.selectedIncidentId || next.focusRequest !== last.focusRequest) && next.selectedIncidentId) {
        const incident = data.getState().incidents.get(next.selectedIncidentId);
        if (incident) {
          // Opening one case after another keeps the view from before the first.
          beforeFocus.current ??= shownView.current;
          const { lon, lat } = incident;
          // The detail drawer opens over the map's right side (34rem wide, 0.5rem from the edge): the case goes to the middle of the rest.
          setCamera({ ...centreOn(lon, lat, 0, 16, Math.min(size.width / 2, DRAWER_COVER_REM * 16 * pixelScale)), ...FLY });
        }
      }
      last = next;
    });
  }, [ui, data, region, size.width, size.height, pixelScale, setCamera]);

  // The open report's point stays in view beside its drawer; a search result is flown to at street level.
  const reportPointKey = reportPoint ? `${reportPoint.lon.toFixed(6)},${reportPoint.lat.toFixed(6)},${reportPoint.focus === true}` : null;
  useEffect(() => {
    const point = ui.getState().pickedLocation;
    const view = shownView.current;
    if (!point || !view || reportPointKey === null) return;
    const next = keepPointInView(point, view, size.width, size.height, DRAWER_COVER_REM * 16 * pixelScale);
    if (next) setCamera({ ...next, ...FLY });
  }, [ui, reportPointKey, size.width, size.height, pixelScale, setCamera]);

  const baseMap = useMemo(() => buildBaseMapLayers(settings?.map, pixelScale), [settings, pixelScale]);
  const attribution = baseMapAttribution(settings?.map);
  const baseMapProblem = baseMapNotice(settings?.map, text);
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
    ? buildRegionLayers({ region: region.region, data: region.deck, gridClasses: classes, palette: METRIC_PALETTES[metric], inSelection, colorKey, selectedArea, zoom, pixelScale, obstacles })
    : { base: [], labels: [] };
  const layers = [
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

  /*
   * Clicks are taken from the DOM and picked with deck.pickObject rather than
   * through deck.gl's tap gesture: the gesture times the press by when its
   * handlers run, and on a busy software-rendered wall a click then reads as a
   * long press and is lost. A press that moved is a pan, not a click.
   */
  const deckRef = useRef<DeckGLRef>(null);
  const canvasElement = useRef<HTMLDivElement | null>(null);
  const setCanvasElement = useCallback((element: HTMLDivElement | null) => {
    canvasElement.current = element;
    setContainer(element);
  }, []);
  const pressAt = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    pressAt.current = { x: event.clientX, y: event.clientY };
  };
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const deck = deckRef.current?.deck;
    const press = pressAt.current;
    if (!(event.target instanceof HTMLCanvasElement) || !deck || !container) return;
    // The pan threshold and the pick radius scale with the markers they are about.
    if (press && Math.hypot(event.clientX - press.x, event.clientY - press.y) > 6 * pixelScale) return;
    const rect = container.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const coordinate = deck.getViewports()[0]?.unproject([x, y]);
    const picked = ui.getState().pickingLocation ? null : deck.pickObject({ x, y, radius: Math.round(4 * pixelScale) });
    if (picked?.layer && CLUSTER_LAYERS.has(picked.layer.id)) {
      // A merged staff glyph: zoom in on it until its members come apart.
      const cluster = picked.object as UnitCluster;
      const view = shownView.current ?? initialViewState;
      setCamera({ ...centreOn(cluster.position[0], cluster.position[1], separatingZoom(cluster, view.zoom, size.width, size.height, MAX_ZOOM), 0), ...FLY });
      return;
    }
    const info = picked ? { ...picked, coordinate } : { picked: false, index: -1, object: undefined, layer: null, coordinate };
    const action = pickAction(info, { picking: ui.getState().pickingLocation, region: region?.region ?? null, area, detail, unitBySlot: data.getState().unitBySlot });
    if (action) ui.update(action);
  };
  const getTooltip = (info: PickingInfo) => {
    const described = describePick(info, { region: region?.region ?? null, values, metric, incidents, units, unitBySlot: data.getState().unitBySlot, language, text });
    return described ? { text: described, className: "map-tooltip" } : null;
  };

  const path = region ? areaPath(region.region, area) : [];
  return (
    <div ref={setCanvasElement} className={`map-canvas${picking ? " picking" : ""}`} data-zoom={zoom} data-staff-glyphs={staff.merged.glyphs} onPointerDown={onPointerDown} onClick={onClick}>
      {size.width > 0 && (
        <DeckGL
          ref={deckRef}
          width={size.width}
          height={size.height}
          initialViewState={initialViewState}
          controller={{ doubleClickZoom: false, dragRotate: false }}
          layers={layers}
          getTooltip={getTooltip}
          getCursor={({ isDragging, isHovering }) => (picking ? "crosshair" : isDragging ? "grabbing" : isHovering ? "pointer" : "grab")}
          onViewStateChange={({ viewState, interactionState }) => {
            const view = viewState as MapViewState;
            // The operator's hand, or one of our camera moves (a transition): from now on a resize keeps the view. deck.gl
            // also reports a resize here, with no interaction, and that must not count as a move.
            const moved = interactionState.isDragging || interactionState.isPanning || interactionState.isZooming || interactionState.inTransition;
            if (moved && !frozenHomeSize) setFrozenHomeSize({ width: size.width, height: size.height });
            shownView.current = { longitude: view.longitude, latitude: view.latitude, zoom: view.zoom, pitch: 0, bearing: 0 };
            liveUnits.setTrailScope(view.zoom >= TRAIL_MIN_ZOOM, visibleBounds(view, size.width, size.height));
            const rounded = Math.round(view.zoom * 10) / 10;
            if (rounded !== zoom) setZoom(rounded);
          }}
          onAfterRender={() => {
            probe.frame();
            publishHomeBox(deckRef.current?.deck?.getViewports()[0], homeBBox, canvasElement.current);
            pacer.drawn(performance.now());
            // The first complete picture: the region with staff on it (a roster without positions waits for the fallback).
            if (region && live.shown > 0) mapDrawnWithRegion();
          }}
        />
      )}
      {path.length > 0 && <Breadcrumb path={path} text={text} onSelect={(i) => ui.update({ area: i === 0 ? null : { level: path[i]?.level as "street", code: path[i]?.area.code ?? "" } })} />}
      {area?.level === "grid" && (
        <div className="map-panel map-grid-wall" data-testid="map-grid-panel" data-grid-code={area.code}>
          <PushToWallButton kind="grid" id={area.code} />
        </div>
      )}
      <MetricPanel metric={metric} onMetric={setMetric} text={text} />
      <MarkerLegend language={language} text={text} />
      <UnitStatusBar shown={live.shown} stale={live.stale} sos={live.sos.length} text={text} />
      {baseMap.length > 0 && attribution && <div className="map-attribution">{fill(text.tileAttribution, { source: attribution })}</div>}
      {(baseMapProblem || homeMissing) && (
        <div className="map-notices">
          {baseMapProblem && (
            <div className="map-notice" role="status" data-testid="base-map-notice">
              {baseMapProblem}
            </div>
          )}
          {homeMissing && (
            <div className="map-notice" role="status" data-testid="map-home-notice">
              {fill(text.homeAreaMissing, { code: homeMissing })}
            </div>
          )}
        </div>
      )}
      {picking && <div className="map-pick-hint">✚ {text.pickHint}</div>}
      {selectedUnit && (
        <UnitCard
          unit={selectedUnit}
          fixAt={selectedUnit.slot < data.getState().positions.length ? (data.getState().positions.at[selectedUnit.slot] ?? 0) : 0}
          now={now}
          gridName={region ? findArea(region.region, "grid", selectedUnit.gridCode)?.name : undefined}
          language={language}
          text={text}
          onClose={() => ui.update({ selectedUnitId: null })}
        >
          <UnitPatrolVerdict unitId={selectedUnit.id} />
          <PushToWallButton kind="unit" id={selectedUnit.id} className="map-unit-wall" />
        </UnitCard>
      )}
    </div>
  );
}

const selectIncidents = (state: DataState) => state.incidents;

/**
 * Where the home area's box lies in the map as drawn: `data-home-box` =
 * "x,y,width,height" in CSS px from the map's top left, through deck.gl's own
 * viewport, so a test (and a person in the inspector) can see how much of the
 * panel the home area fills. Written to the DOM directly: it changes with
 * every frame of a pan, which must not re-render the map.
 */
function publishHomeBox(viewport: { project: (xy: number[]) => number[] } | undefined, bbox: readonly [number, number, number, number] | null, element: HTMLDivElement | null): void {
  if (!viewport || !bbox || !element) return;
  const [west, south, east, north] = bbox;
  const [left = 0, top = 0] = viewport.project([west, north]);
  const [right = 0, bottom = 0] = viewport.project([east, south]);
  const box = [left, top, right - left, bottom - top].map(Math.round).join(",");
  if (element.dataset.homeBox !== box) element.dataset.homeBox = box;
}

/** FNV-1a over the class array: a cheap update trigger that changes when any grid's colour does. */
function checksum(values: Uint8Array): number {
  let hash = 2166136261;
  for (let i = 0; i < values.length; i++) hash = Math.imul(hash ^ (values[i] as number), 16777619);
  return hash >>> 0;
}
