import type { RegionProperties } from "./region.js";

/*
 * The on-disk form of a region layer (resources/region/*.geojson): one
 * FeatureCollection in WGS84 whose features carry RegionProperties. The
 * generator writes it; importRegionLayer reads it (or a deployment's own).
 */

export type Position = [number, number];

export type PolygonGeometry = { type: "Polygon"; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: "MultiPolygon"; coordinates: Position[][][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export type RegionFeature = {
  type: "Feature";
  properties: RegionProperties;
  geometry: AreaGeometry;
};

export type RegionFeatureCollection = {
  type: "FeatureCollection";
  features: RegionFeature[];
};

/** Polygon and MultiPolygon as one list of polygons, each outer ring first. */
export function polygonsOf(geometry: AreaGeometry): Position[][][] {
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}
