import { WebMercatorViewport } from "@deck.gl/core";
import { ScatterplotLayer } from "@deck.gl/layers";
import { centreOn, type Camera } from "./viewport.js";

/*
 * The open phone-in report's point (ui.pickedLocation): a ring and a dot on
 * the map, kept in view beside the report drawer. Pure, so where the map
 * moves is tested without a canvas.
 */

type Point = { lon: number; lat: number };

const RING: [number, number, number, number] = [240, 228, 66, 255];
const DOT: [number, number, number, number] = [240, 228, 66, 230];
const HALO: [number, number, number, number] = [10, 16, 28, 230];

export function buildReportPointLayers(point: Point | null, pixelScale: number): ScatterplotLayer<Point>[] {
  if (!point) return [];
  const common = { data: [point], getPosition: (d: Point): [number, number] => [d.lon, d.lat], radiusUnits: "pixels" as const, radiusScale: pixelScale, lineWidthUnits: "pixels" as const, lineWidthScale: pixelScale, pickable: false };
  return [
    new ScatterplotLayer<Point>({ ...common, id: "report-point-ring", getRadius: 16, filled: false, stroked: true, getLineColor: RING, getLineWidth: 3 }),
    new ScatterplotLayer<Point>({ ...common, id: "report-point-dot", getRadius: 5, filled: true, stroked: true, getFillColor: DOT, getLineColor: HALO, getLineWidth: 2 }),
  ];
}

/** A report's point asks for street level: zoom in to at least this when the form asks to bring it into view. */
const FOCUS_ZOOM = 16;
/** Pixels kept clear around the point from the map's edges and the drawer's. */
const MARGIN = 40;

/**
 * Where the camera goes so the point can be seen beside a drawer covering the
 * map's right `coveredRight` pixels: nowhere (null) if it already is and
 * nothing asked for focus; centred in what is left otherwise, at the zoom the
 * operator had (or street level for `focus`).
 */
export function keepPointInView(point: Point & { focus?: boolean }, view: Pick<Camera, "longitude" | "latitude" | "zoom">, width: number, height: number, coveredRight: number): Camera | null {
  if (!(width > 0 && height > 0)) return null;
  const [x, y] = new WebMercatorViewport({ longitude: view.longitude, latitude: view.latitude, zoom: view.zoom, width, height }).project([point.lon, point.lat]) as [number, number];
  const seen = x >= MARGIN && x <= width - coveredRight - MARGIN && y >= MARGIN && y <= height - MARGIN;
  if (seen && !point.focus) return null;
  return centreOn(point.lon, point.lat, view.zoom, point.focus ? FOCUS_ZOOM : view.zoom, Math.min(width / 2, coveredRight));
}
