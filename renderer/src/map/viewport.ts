import { WebMercatorViewport } from "@deck.gl/core";

/*
 * Camera helpers: fit a bounding box into the map's pixel size, and the
 * zoom band the map uses for each drill level.
 */

export type Camera = { longitude: number; latitude: number; zoom: number; pitch: 0; bearing: 0 };

export const MAX_ZOOM = 19;
export const MIN_ZOOM = 9;

/** Pixels kept clear on each side; a number is the same on all four. */
export type Padding = number | { top: number; bottom: number; left: number; right: number };

export function fitBBox(bbox: readonly [number, number, number, number], width: number, height: number, padding: Padding = 40, maxZoom = 17.5): Camera {
  const sides = typeof padding === "number" ? { top: padding, bottom: padding, left: padding, right: padding } : padding;
  const w = Math.max(width, sides.left + sides.right + 10);
  const h = Math.max(height, sides.top + sides.bottom + 10);
  const [west, south, east, north] = bbox;
  // A degenerate box (a point) would ask for infinite zoom.
  const span = 1e-4;
  const viewport = new WebMercatorViewport({ width: w, height: h });
  const fitted = viewport.fitBounds(
    [
      [Math.min(west, east - span), Math.min(south, north - span)],
      [Math.max(east, west + span), Math.max(north, south + span)],
    ],
    { padding: sides },
  );
  return { longitude: fitted.longitude, latitude: fitted.latitude, zoom: Math.min(maxZoom, Math.max(MIN_ZOOM, fitted.zoom)), pitch: 0, bearing: 0 };
}

/**
 * Centre on a point, zooming in to at least `minZoom` but never out. With
 * `coveredRight`, the map's right-hand `coveredRight` pixels are under a panel
 * (the case's detail drawer): the point goes to the middle of what is left.
 */
export function centreOn(lon: number, lat: number, currentZoom: number, minZoom = 16, coveredRight = 0): Camera {
  const zoom = Math.max(currentZoom, minZoom);
  // Half the covered width east of the point, in degrees at this zoom (512-px Web Mercator world).
  const shift = ((coveredRight / 2) * 360) / (512 * 2 ** zoom);
  return { longitude: lon + shift, latitude: lat, zoom, pitch: 0, bearing: 0 };
}

/** The lon/lat box a view shows, grown by `margin` of its size on each side. */
export function visibleBounds(view: { longitude: number; latitude: number; zoom: number }, width: number, height: number, margin = 0.25): [number, number, number, number] | null {
  if (!(width > 0 && height > 0)) return null;
  const [west, south, east, north] = new WebMercatorViewport({ ...view, width, height }).getBounds();
  const dx = (east - west) * margin;
  const dy = (north - south) * margin;
  return [west - dx, south - dy, east + dx, north + dy];
}
