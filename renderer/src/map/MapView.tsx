import type { MapViewState } from "@deck.gl/core";
import { DeckGL, type DeckGLRef } from "@deck.gl/react";
import { useCallback, useRef, useState } from "react";
import { useClock } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { regionLayerFaults, useRegionLayer } from "../state/region.js";
import { useCoarseNow, useElementSize, useLiveUnits, useMapStats, usePixelScale, useRegion, type LoadedRegion } from "./hooks.js";
import type { GridMetric } from "./layers/choropleth.js";
import { areaPath, findArea } from "./layers/region.js";
import { useSelectedShift } from "./selected-shift.js";
import { UnitPatrolVerdict } from "../patrol/UnitPatrolVerdict.js";
import { Breadcrumb, MarkerLegend, MetricPanel, RegionFaultPanel, UnitCard, UnitStatusBar } from "./MapOverlays.js";
import { PushToWallButton } from "../wall/PushToWallButton.js";
import { mapMessages } from "./messages.js";
import { LiveUnits } from "./live-units.js";
import { RedrawPacer } from "./redraw-pacing.js";
import { useMapCamera } from "./use-map-camera.js";
import { useMapLayers } from "./use-map-layers.js";
import { useMapPicking } from "./use-map-picking.js";
import "./map.css";

/*
 * The wall's grid map; see `useMapStats` for the performance probe it
 * publishes. GridMap composes its camera (use-map-camera.ts), its layer data
 * (use-map-layers.ts) and its picking (use-map-picking.ts, rules in picking.ts).
 */

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

function GridMap({ region, regionLoading }: { region: LoadedRegion | null; regionLoading: boolean }) {
  const { data, ui } = useConsole();
  const text = useMessages(mapMessages);
  const language = useUiSelector((s) => s.language);
  const area = useUiSelector((s) => s.area);
  const selectedUnitId = useUiSelector((s) => s.selectedUnitId);
  const picking = useUiSelector((s) => s.pickingLocation);
  const units = useDataSelector((s) => s.units);
  const settings = useDataSelector((s) => s.settings);
  const [metric, setMetric] = useState<GridMetric>("open");
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const size = useElementSize(container);
  const pixelScale = usePixelScale();
  const now = useCoarseNow(15_000, useClock());

  const probe = useMapStats();
  const onMeasured = useCallback((ms: number, shown: number) => probe.update(ms, shown), [probe]);
  const [liveUnits] = useState(() => new LiveUnits());
  const [pacer] = useState(() => new RedrawPacer());
  const live = useLiveUnits(data, liveUnits, pacer, onMeasured);
  const selectedShift = useSelectedShift(selectedUnitId, language);

  const camera = useMapCamera({ region, regionLoading, homeCode: settings?.map?.homeArea, size, pixelScale, liveUnits, selectedShift });
  const { layers, detail, values, incidents, staff, baseMapShown, attribution, baseMapProblem } = useMapLayers({
    region,
    regionLoading,
    metric,
    zoom: camera.zoom,
    pixelScale,
    live,
    pacer,
    selectedShift,
    scope: camera.labelScope,
  });
  const selectedUnit = selectedUnitId ? units.get(selectedUnitId) : undefined;

  const deckRef = useRef<DeckGLRef>(null);
  const canvasElement = useRef<HTMLDivElement | null>(null);
  const setCanvasElement = useCallback((element: HTMLDivElement | null) => {
    canvasElement.current = element;
    setContainer(element);
  }, []);
  const { onPointerDown, onClick, getTooltip } = useMapPicking({ deckRef, container, region, pixelScale, size, camera, detail, metric, values, incidents });
  const { homeBBox, homeMissing } = camera;

  const path = region ? areaPath(region.region, area) : [];
  return (
    <div ref={setCanvasElement} className={`map-canvas${picking ? " picking" : ""}`} data-zoom={camera.zoom} data-staff-glyphs={staff.merged.glyphs} onPointerDown={onPointerDown} onClick={onClick}>
      {size.width > 0 && (
        <DeckGL
          ref={deckRef}
          width={size.width}
          height={size.height}
          initialViewState={camera.initialViewState}
          controller={{ doubleClickZoom: false, dragRotate: false }}
          layers={layers}
          getTooltip={getTooltip}
          getCursor={({ isDragging, isHovering }) => (picking ? "crosshair" : isDragging ? "grabbing" : isHovering ? "pointer" : "grab")}
          onViewStateChange={({ viewState, interactionState }) => camera.onViewStateChange(viewState as MapViewState, interactionState)}
          onAfterRender={() => {
            probe.frame();
            publishHomeBox(deckRef.current?.deck?.getViewports()[0], homeBBox, canvasElement.current);
            pacer.drawn(performance.now());
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
      {baseMapShown && attribution && <div className="map-attribution">{fill(text.tileAttribution, { source: attribution })}</div>}
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
