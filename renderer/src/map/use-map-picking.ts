import type { PickingInfo } from "@deck.gl/core";
import type { DeckGLRef } from "@deck.gl/react";
import { useEffect, useRef, type MouseEvent, type PointerEvent, type RefObject } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import { useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import type { LoadedRegion } from "./hooks.js";
import type { GridMetric } from "./layers/choropleth.js";
import type { IncidentMarker, incidentDetail } from "./layers/incidents.js";
import { separatingZoom, type UnitCluster } from "./layers/unit-clusters.js";
import { mapMessages } from "./messages.js";
import { CLUSTER_LAYERS, describePick, pickAction } from "./picking.js";
import { FLY, type MapCamera } from "./use-map-camera.js";
import { centreOn, MAX_ZOOM } from "./viewport.js";

/*
 * Clicks and hovers on the map: what was picked, and what that does (picking.ts
 * decides, purely; here they are wired to the DOM, deck.gl and the camera).
 *
 * Clicks are taken from the DOM and picked with deck.pickObject rather than
 * through deck.gl's tap gesture: the gesture times the press by when its
 * handlers run, and on a busy software-rendered wall a click then reads as a
 * long press and is lost. A press that moved is a pan, not a click.
 */

export type MapPickingInput = {
  deckRef: RefObject<DeckGLRef | null>;
  container: HTMLDivElement | null;
  region: LoadedRegion | null;
  pixelScale: number;
  size: { width: number; height: number };
  camera: Pick<MapCamera, "initialViewState" | "shownView" | "setCamera">;
  detail: ReturnType<typeof incidentDetail>;
  metric: GridMetric;
  values: ArrayLike<number>;
  incidents: ReadonlyMap<string, IncidentView>;
};

export type MapPicking = {
  onPointerDown: (event: PointerEvent<HTMLDivElement>) => void;
  onClick: (event: MouseEvent<HTMLDivElement>) => void;
  getTooltip: (info: PickingInfo) => { text: string; className: string } | null;
};

export function useMapPicking({ deckRef, container, region, pixelScale, size, camera, detail, metric, values, incidents }: MapPickingInput): MapPicking {
  const { data, ui } = useConsole();
  const text = useMessages(mapMessages);
  const language = useUiSelector((s) => s.language);
  const area = useUiSelector((s) => s.area);
  const units = useDataSelector((s) => s.units);
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
      const view = camera.shownView.current ?? camera.initialViewState;
      camera.setCamera({ ...centreOn(cluster.position[0], cluster.position[1], separatingZoom(cluster, view.zoom, size.width, size.height, MAX_ZOOM), 0), ...FLY });
      return;
    }
    const info = picked ? { ...picked, coordinate } : { picked: false, index: -1, object: undefined, layer: null, coordinate };
    const action = pickAction(info, { picking: ui.getState().pickingLocation, region: region?.region ?? null, area, detail, unitBySlot: data.getState().unitBySlot });
    if (action) ui.update(action);
  };
  // The hovered case is held while it is hovered, for its title in the tooltip (on the next move once it has come).
  const hovered = useRef<{ id: string; release: () => void } | null>(null);
  useEffect(() => () => hovered.current?.release(), []);
  const hover = (id: string | null) => {
    if (hovered.current?.id === id) return;
    hovered.current?.release();
    hovered.current = id === null ? null : { id, release: data.hold([id]) };
  };
  const getTooltip = (info: PickingInfo) => {
    hover(info.picked && info.layer?.id === "incident-markers" ? (info.object as IncidentMarker).id : null);
    const described = describePick(info, { region: region?.region ?? null, values, metric, incidents, units, unitBySlot: data.getState().unitBySlot, language, text });
    return described ? { text: described, className: "map-tooltip" } : null;
  };
  return { onPointerDown, onClick, getTooltip };
}
