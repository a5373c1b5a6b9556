import { bboxOf, labelPoint } from "./polygon.js";
import type { RegionArea, RegionLevel, RegionProperties } from "./region.js";

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

/**
 * A feature as a RegionArea, trusted as it is: for layers this project
 * generates (the city-scale layer, several districts at once). A layer from
 * outside goes through importRegionLayer instead, which validates it.
 */
export function regionAreaOf(feature: RegionFeature): RegionArea {
  const polygons = polygonsOf(feature.geometry);
  return { ...feature.properties, polygons, bbox: bboxOf(polygons), labelAt: labelPoint(polygons) };
}

/** The areas of a trusted collection by level, each list in code order. */
export function regionAreasOf(collection: RegionFeatureCollection): Record<RegionLevel, RegionArea[]> {
  const out: Record<RegionLevel, RegionArea[]> = { district: [], street: [], community: [], grid: [] };
  for (const feature of collection.features) out[feature.properties.level].push(regionAreaOf(feature));
  for (const list of Object.values(out)) list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return out;
}
