import type { Pair } from "polygon-clipping";
import { normalizeShape } from "./cut.js";
import type { MultiPolygon } from "./cut.js";

/*
 * District boundaries from beijing-districts.geojson. The source rings are
 * coarse and some touch themselves (Dongcheng's at one point, as SOURCES.md
 * warns): normalizeShape's union with nothing is the zero-width buffer that
 * splits such a ring into valid pieces before anything is clipped to it.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asPositions(value: unknown): Pair[] {
  if (!Array.isArray(value)) throw new Error("ring is not an array");
  return value.map((position: unknown): Pair => {
    if (!Array.isArray(position) || typeof position[0] !== "number" || typeof position[1] !== "number") throw new Error("position is not [lon, lat]");
    return [position[0], position[1]];
  });
}

function asPolygon(value: unknown): Pair[][] {
  if (!Array.isArray(value)) throw new Error("polygon is not an array");
  return value.map(asPositions);
}

/** Repaired district boundaries by 6-digit code: all of them, or only the one asked for (repair costs). */
export function districtShapes(geojsonText: string, only?: string): Map<string, MultiPolygon> {
  const root: unknown = JSON.parse(geojsonText);
  if (!isRecord(root) || !Array.isArray(root.features)) throw new Error("beijing-districts.geojson is not a FeatureCollection");
  const out = new Map<string, MultiPolygon>();
  for (const feature of root.features as unknown[]) {
    if (!isRecord(feature) || !isRecord(feature.properties) || !isRecord(feature.geometry)) continue;
    const code = String(feature.properties.code);
    if (only !== undefined && code !== only) continue;
    const { type, coordinates } = feature.geometry;
    const raw: MultiPolygon =
      type === "Polygon" ? [asPolygon(coordinates)] : type === "MultiPolygon" && Array.isArray(coordinates) ? coordinates.map(asPolygon) : [];
    if (raw.length === 0) throw new Error(`district ${code} has no polygon geometry`);
    out.set(code, normalizeShape(raw));
  }
  return out;
}
