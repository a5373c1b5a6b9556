import { FlyToInterpolator, type MapViewState } from "@deck.gl/core";
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from "react";
import { useConsole, useUiSelector } from "../state/context.js";
import type { LoadedRegion } from "./hooks.js";
import { findArea, findAreaByCode } from "./layers/region.js";
import { labelScope, type Bounds } from "./layers/label-placement.js";
import { TRAIL_MIN_ZOOM } from "./layers/unit-layers.js";
import type { LiveUnits } from "./live-units.js";
import { keepPointInView } from "./report-point.js";
import { shiftPadding, useFitShift, type SelectedShift } from "./selected-shift.js";
import { staffPlace } from "./staff-place.js";
import { markerPlace } from "../../../shared/domain/incident-markers.js";
import { centreOn, fitBBox, MAX_ZOOM, MIN_ZOOM, visibleBounds } from "./viewport.js";

/*
 * The map's camera: the view deck.gl starts from and flies to, framing the
 * home area (refitted on resize until the operator moves the map), following
 * the drill-down and the selection made anywhere on the wall, and going back
 * to the view from before a case or a staff member was opened.
 */

export type Camera = MapViewState & { transitionDuration?: number; transitionInterpolator?: FlyToInterpolator };
export const FLY = { transitionDuration: 700, transitionInterpolator: new FlyToInterpolator({ speed: 2.4 }) };
/** How much of the map's right side the detail drawer covers, in rem: its 34rem (theme/cases.css .drawer) and its 0.5rem inset, plus 0.5rem. */
const DRAWER_COVER_REM = 35;

export type MapCameraInput = {
  region: LoadedRegion | null;
  regionLoading: boolean;
  /** The configured home area's code (settings.map.homeArea), if any. */
  homeCode: string | undefined;
  size: { width: number; height: number };
  pixelScale: number;
  liveUnits: LiveUnits;
  selectedShift: SelectedShift | null;
};

export type MapCamera = {
  /** WARNING: deck.gl jumps to `initialViewState` whenever its identity changes: it stays memoised here. */
  initialViewState: Camera;
  /** The zoom the layers' level of detail follows, to a tenth. */
  zoom: number;
  homeBBox: readonly [number, number, number, number] | null;
  /** The configured home area's code when the layer lacks it (the map says so). */
  homeMissing: string | null;
  setCamera: (next: Camera & Partial<typeof FLY>) => void;
  /** Where the map was shown last (deck.gl owns the view between our camera moves). */
  shownView: MutableRefObject<Camera | null>;
  onViewStateChange: (view: MapViewState, interaction: { isDragging?: boolean; isPanning?: boolean; isZooming?: boolean; inTransition?: boolean }) => void;
  /** The box whose area names are placed (label-placement.ts `labelScope`): new only when the view leaves it, or zooms well in. */
  labelScope: Bounds | null;
};

export function useMapCamera({ region, regionLoading, homeCode, size, pixelScale, liveUnits, selectedShift }: MapCameraInput): MapCamera {
  const { data, ui } = useConsole();
  const selectedUnitId = useUiSelector((s) => s.selectedUnitId);
  const shiftFocus = useUiSelector((s) => s.shiftFocusUnitId);
  const reportPoint = useUiSelector((s) => s.pickedLocation);
  // The home area is the configured mapHomeArea (the sub-center's own street), else the district; a code the layer lacks leaves the district, and says so.
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
  const homeCamera = useMemo<Camera | null>(
    () => (homeBBox && homeWidth > 0 ? fitBBox(homeBBox, homeWidth, homeHeight, Math.round(40 * pixelScale)) : null),
    [homeBBox, homeWidth, homeHeight, pixelScale],
  );
  // The layers' level of detail follows the zoom deck.gl reports once the map moves; until then, the first view's own.
  const [movedZoom, setZoom] = useState<number | null>(null);
  const zoom = movedZoom ?? Math.round((homeCamera?.zoom ?? 12) * 10) / 10;

  const [camera, setCameraState] = useState<(Camera & { move: number }) | null>(null);
  /*
   * WARNING: deck.gl compares a new initialViewState with the last one by
   * value, not identity, and ignores an equal one. Flying to the same case
   * again (在地图上显示 after the operator moved the map) asks for the same
   * place as before: each move carries its own number so it is never equal.
   */
  const moves = useRef(0);
  const setCamera = useCallback((next: Camera & Partial<typeof FLY>) => setCameraState({ ...next, move: ++moves.current }), []);
  // Where the map was shown last, and where to go back to when the case (or the staff member asked for) is closed.
  const shownView = useRef<Camera | null>(null);
  const beforeFocus = useRef<Camera | null>(null);
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
  const [movedScope, setLabelScope] = useState<{ from: Camera; scope: Bounds | null } | null>(null);
  const firstScope = useMemo(() => labelScope(initialViewState, size.width, size.height, null), [initialViewState, size.width, size.height]);
  // The view deck.gl reports after our last camera move, else that move's own.
  const scope = movedScope && movedScope.from === initialViewState ? movedScope.scope : firstScope;
  const latestScope = useRef(scope);
  useEffect(() => {
    latestScope.current = scope;
  }, [scope]);
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
    let waitingFor: string | null = null;
    let lookedIn: unknown = null;
    const flyWhenKnown = () => {
      if (waitingFor === null) return;
      const state = data.getState();
      // The engine has no such case: nothing to fly to.
      if (state.missing.has(waitingFor)) {
        waitingFor = null;
        return;
      }
      const held = state.incidents.get(waitingFor);
      // The markers are looked through once per table, not on every update (positions come many times a second).
      const fromMarker = held || state.markers === lookedIn ? null : markerPlace(state.markers, waitingFor);
      lookedIn = state.markers;
      const place = held ? ([held.lon, held.lat] as const) : fromMarker;
      if (!place) return;
      waitingFor = null;
      // Opening one case after another keeps the view from before the first.
      beforeFocus.current ??= shownView.current;
      const [lon, lat] = place;
      // The detail drawer opens over the map's right side (34rem wide, 0.5rem from the edge): the case goes to the middle of the rest.
      setCamera({ ...centreOn(lon, lat, 0, 16, Math.min(size.width / 2, DRAWER_COVER_REM * 16 * pixelScale)), ...FLY });
    };
    let last = ui.getState();
    const offUi = ui.subscribe(() => {
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
        // An open case's marker says where it is at once; a closed one is known once the detail holds it.
        waitingFor = next.selectedIncidentId;
        lookedIn = null;
        flyWhenKnown();
      }
      if (next.selectedIncidentId !== waitingFor) waitingFor = null;
      last = next;
    });
    const offData = data.subscribe(flyWhenKnown);
    return () => {
      offUi();
      offData();
    };
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

  const onViewStateChange = (view: MapViewState, interaction: { isDragging?: boolean; isPanning?: boolean; isZooming?: boolean; inTransition?: boolean }) => {
    // The operator's hand, or one of our camera moves (a transition): from now on a resize keeps the view. deck.gl
    // also reports a resize here, with no interaction, and that must not count as a move.
    const moved = interaction.isDragging || interaction.isPanning || interaction.isZooming || interaction.inTransition;
    if (moved && !frozenHomeSize) setFrozenHomeSize({ width: size.width, height: size.height });
    shownView.current = { longitude: view.longitude, latitude: view.latitude, zoom: view.zoom, pitch: 0, bearing: 0 };
    liveUnits.setTrailScope(view.zoom >= TRAIL_MIN_ZOOM, visibleBounds(view, size.width, size.height));
    const rounded = Math.round(view.zoom * 10) / 10;
    if (rounded !== zoom) setZoom(rounded);
    const nextScope = labelScope(view, size.width, size.height, latestScope.current);
    if (nextScope !== latestScope.current) {
      latestScope.current = nextScope;
      setLabelScope({ from: initialViewState, scope: nextScope });
    }
  };

  return { initialViewState, zoom, homeBBox, homeMissing, setCamera, shownView, onViewStateChange, labelScope: scope };
}
