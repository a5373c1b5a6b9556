import type { AreaGeometry, Position, RegionFeature, RegionFeatureCollection } from "../../shared/geo/geojson.js";
import type { RegionLevel } from "../../shared/geo/region.js";
import { extent, roundCoordinate } from "./cut.js";
import type { MultiPolygon } from "./cut.js";

/** GeoJSON geometry rounded to 6 decimals, with rings that rounding collapsed dropped. */
export function toGeometry(shape: MultiPolygon): AreaGeometry {
  const polygons: Position[][][] = [];
  for (const polygon of shape) {
    const rings: Position[][] = [];
    for (const ring of polygon) {
      const rounded: Position[] = [];
      for (const [x, y] of ring) {
        const point: Position = [roundCoordinate(x), roundCoordinate(y)];
        const last = rounded[rounded.length - 1];
        if (last === undefined || last[0] !== point[0] || last[1] !== point[1]) rounded.push(point);
      }
      const first = rounded[0];
      const last = rounded[rounded.length - 1];
      if (first !== undefined && last !== undefined && (first[0] !== last[0] || first[1] !== last[1])) rounded.push([first[0], first[1]]);
      if (rounded.length >= 4) rings.push(rounded);
      else if (rings.length === 0) break;
    }
    if (rings.length > 0) polygons.push(rings);
  }
  if (polygons.length === 0) throw new Error("shape vanished when rounded to 6 decimals");
  return polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] as Position[][] } : { type: "MultiPolygon", coordinates: polygons };
}

export function toFeature(level: RegionLevel, code: string, name: string, parentCode: string | undefined, shape: MultiPolygon): RegionFeature {
  const properties = parentCode === undefined ? { level, code, name } : { level, code, name, parentCode };
  return { type: "Feature", properties, geometry: toGeometry(shape) };
}

/** Reading order (north to south, then west to east) of shapes by their box centres. */
export function byReadingOrder(a: MultiPolygon, b: MultiPolygon): number {
  const [aMinX, aMinY, aMaxX, aMaxY] = extent(a);
  const [bMinX, bMinY, bMaxX, bMaxY] = extent(b);
  return bMinY + bMaxY - (aMinY + aMaxY) || aMinX + aMaxX - (bMinX + bMaxX);
}

const COMMUNITY_SUFFIX = /(社区居民委员会|社区居委会|居民委员会|居委会|村民委员会|村委会|委员会)$/;

/** "多福巷社区居委会" → "多福巷": the short name grid staff use. */
export function shortCommunityName(name: string): string {
  const short = name.replace(COMMUNITY_SUFFIX, "");
  return short === "" ? name : short;
}

export function gridName(communityName: string, sequence: number): string {
  return `${shortCommunityName(communityName)}第${sequence}网格`;
}

export function gridCode(communityCode: string, sequence: number): string {
  return `${communityCode}${String(sequence).padStart(3, "0")}`;
}

/** One feature per line: diffs of the committed layer stay readable and the file compact. */
export function serializeLayer(layer: RegionFeatureCollection): string {
  return `{"type":"FeatureCollection","features":[\n${layer.features.map((feature) => JSON.stringify(feature)).join(",\n")}\n]}\n`;
}
