/*
 * The region layer: district → streets → communities → grids. Stored in
 * resources/region/*.geojson as one FeatureCollection whose features carry
 * `RegionProperties`; loaded and validated by shared/geo/import.ts (importRegionLayer).
 */

export type RegionLevel = "district" | "street" | "community" | "grid";

export const REGION_LEVELS: readonly RegionLevel[] = ["district", "street", "community", "grid"];
/** Division codes nest by prefix: a district's 6 digits, then 3 for its street, 3 for the community, 3 for the grid. */
export const CODE_LENGTH: Readonly<Record<RegionLevel, number>> = { district: 6, street: 9, community: 12, grid: 15 };

/** The level a division code's length says. */
export function levelOfCode(code: string): RegionLevel | undefined {
  return REGION_LEVELS.find((level) => CODE_LENGTH[level] === code.length);
}

export type RegionProperties = {
  level: RegionLevel;
  /** 6-digit district, 9-digit street, 12-digit community, 15-digit grid code. */
  code: string;
  name: string;
  /** The code of the enclosing area; absent for the district. */
  parentCode?: string;
};

/** [lon, lat] in WGS84. */
export type LonLat = [number, number];
export type Ring = LonLat[];
/** Outer ring first, holes after. */
export type PolygonRings = Ring[];

export type RegionArea = RegionProperties & {
  /** One or more polygons (MultiPolygon), each outer ring first. */
  polygons: PolygonRings[];
  /** A point inside the area for its label. */
  labelAt: LonLat;
  bbox: [number, number, number, number];
};

export type RegionLayer = {
  district: RegionArea;
  streets: RegionArea[];
  communities: RegionArea[];
  grids: RegionArea[];
};
