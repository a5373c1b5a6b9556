import { levelOfCode, type LonLat, type RegionArea, type RegionLayer } from "../../../../shared/geo/region.js";

/*
 * The region layer turned once, at load, into the flat buffers deck.gl takes as
 * binary data: one Float64Array of positions and the start of each polygon or
 * ring. deck.gl tessellates a binary polygon layer when its `data` changes and
 * never again, so recolouring (updateTriggers) and position updates never pay
 * for it.
 */

export type DrillLevel = "street" | "community" | "grid";

/** Polygon parts (a MultiPolygon gives several), outer rings only: fills of the grid choropleth. */
export type PolygonBuffers = {
  length: number;
  /** length + 1 entries, in vertices. */
  startIndices: Uint32Array;
  positions: Float64Array;
  /** Area index (into `PreparedLevel.areas`) of each part, for colour accessors and picking. */
  partArea: Uint32Array;
};

/** Rings as open paths (first vertex repeated last), outer rings and holes alike: outlines. */
export type PathBuffers = {
  length: number;
  startIndices: Uint32Array;
  positions: Float64Array;
  ringArea: Uint32Array;
};

export type PreparedLevel = {
  areas: readonly RegionArea[];
  indexByCode: ReadonlyMap<string, number>;
  fill: PolygonBuffers;
  outline: PathBuffers;
};

export type PreparedRegion = {
  district: RegionArea;
  districtOutline: PathBuffers;
  streets: PreparedLevel;
  communities: PreparedLevel;
  grids: PreparedLevel;
  /** Parent indices, -1 where the parent is unknown. */
  gridCommunity: Int32Array;
  gridStreet: Int32Array;
  communityStreet: Int32Array;
};

const closedLength = (ring: readonly LonLat[]): number => {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  return closed ? ring.length : ring.length + 1;
};

function writeRing(ring: readonly LonLat[], out: Float64Array, at: number): number {
  let offset = at;
  for (const [lon, lat] of ring) {
    out[offset++] = lon;
    out[offset++] = lat;
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    out[offset++] = first[0];
    out[offset++] = first[1];
  }
  return offset;
}

/**
 * WARNING: fills keep the outer ring only. deck.gl's binary polygon format
 * carries no hole indices; a hole in a grid is drawn by the outline layer and
 * covered by the grid that fills it, which is how grid layers are cut.
 */
export function buildPolygonBuffers(areas: readonly RegionArea[]): PolygonBuffers {
  let parts = 0;
  let vertices = 0;
  for (const area of areas) {
    for (const polygon of area.polygons) {
      const outer = polygon[0];
      if (!outer || outer.length < 3) continue;
      parts++;
      vertices += closedLength(outer);
    }
  }
  const positions = new Float64Array(vertices * 2);
  const startIndices = new Uint32Array(parts + 1);
  const partArea = new Uint32Array(parts);
  let part = 0;
  let offset = 0;
  areas.forEach((area, index) => {
    for (const polygon of area.polygons) {
      const outer = polygon[0];
      if (!outer || outer.length < 3) continue;
      startIndices[part] = offset / 2;
      partArea[part] = index;
      offset = writeRing(outer, positions, offset);
      part++;
    }
  });
  startIndices[parts] = offset / 2;
  return { length: parts, startIndices, positions, partArea };
}

export function buildPathBuffers(areas: readonly RegionArea[]): PathBuffers {
  let rings = 0;
  let vertices = 0;
  for (const area of areas) {
    for (const polygon of area.polygons) {
      for (const ring of polygon) {
        if (ring.length < 2) continue;
        rings++;
        vertices += closedLength(ring);
      }
    }
  }
  const positions = new Float64Array(vertices * 2);
  const startIndices = new Uint32Array(rings + 1);
  const ringArea = new Uint32Array(rings);
  let index = 0;
  let offset = 0;
  areas.forEach((area, areaIndex) => {
    for (const polygon of area.polygons) {
      for (const ring of polygon) {
        if (ring.length < 2) continue;
        startIndices[index] = offset / 2;
        ringArea[index] = areaIndex;
        offset = writeRing(ring, positions, offset);
        index++;
      }
    }
  });
  startIndices[rings] = offset / 2;
  return { length: rings, startIndices, positions, ringArea };
}

function prepareLevel(areas: readonly RegionArea[]): PreparedLevel {
  return {
    areas,
    indexByCode: new Map(areas.map((area, index) => [area.code, index])),
    fill: buildPolygonBuffers(areas),
    outline: buildPathBuffers(areas),
  };
}

function parents(children: readonly RegionArea[], parentIndex: ReadonlyMap<string, number>): Int32Array {
  const out = new Int32Array(children.length).fill(-1);
  children.forEach((child, index) => {
    const parent = child.parentCode === undefined ? undefined : parentIndex.get(child.parentCode);
    if (parent !== undefined) out[index] = parent;
  });
  return out;
}

/** Everything the map draws of the region, computed once per loaded layer. */
export function prepareRegion(layer: RegionLayer): PreparedRegion {
  const streets = prepareLevel(layer.streets);
  const communities = prepareLevel(layer.communities);
  const grids = prepareLevel(layer.grids);
  const gridCommunity = parents(layer.grids, communities.indexByCode);
  const communityStreet = parents(layer.communities, streets.indexByCode);
  const gridStreet = new Int32Array(layer.grids.length).fill(-1);
  layer.grids.forEach((grid, index) => {
    const community = gridCommunity[index] ?? -1;
    // A grid may hang straight off a street in layers without communities.
    const direct = grid.parentCode === undefined ? undefined : streets.indexByCode.get(grid.parentCode);
    gridStreet[index] = community >= 0 ? (communityStreet[community] ?? -1) : (direct ?? -1);
  });
  return { district: layer.district, districtOutline: buildPathBuffers([layer.district]), streets, communities, grids, gridCommunity, gridStreet, communityStreet };
}

export function levelOf(region: PreparedRegion, level: DrillLevel): PreparedLevel {
  return level === "street" ? region.streets : level === "community" ? region.communities : region.grids;
}

/** The area a code names at a level, or undefined. */
export function findArea(region: PreparedRegion, level: DrillLevel, code: string): RegionArea | undefined {
  const prepared = levelOf(region, level);
  const index = prepared.indexByCode.get(code);
  return index === undefined ? undefined : prepared.areas[index];
}

/** A street (9 digits) or community (12 digits) by its code alone. */
export function findAreaByCode(region: PreparedRegion, code: string): RegionArea | undefined {
  const level = levelOfCode(code);
  return level === undefined || level === "district" ? undefined : findArea(region, level, code);
}

/** The chain from the district down to the selected area, for the breadcrumb. */
export function areaPath(region: PreparedRegion, selection: { level: DrillLevel; code: string } | null): { level: DrillLevel | "district"; area: RegionArea }[] {
  const path: { level: DrillLevel | "district"; area: RegionArea }[] = [{ level: "district", area: region.district }];
  if (!selection) return path;
  const grid = selection.level === "grid" ? region.grids.indexByCode.get(selection.code) : undefined;
  let community = selection.level === "community" ? region.communities.indexByCode.get(selection.code) : undefined;
  if (grid !== undefined) community = (region.gridCommunity[grid] ?? -1) >= 0 ? region.gridCommunity[grid] : undefined;
  let street = selection.level === "street" ? region.streets.indexByCode.get(selection.code) : undefined;
  if (community !== undefined) street = (region.communityStreet[community] ?? -1) >= 0 ? region.communityStreet[community] : undefined;
  else if (grid !== undefined) street = (region.gridStreet[grid] ?? -1) >= 0 ? region.gridStreet[grid] : undefined;
  const push = (level: DrillLevel, areas: readonly RegionArea[], index: number | undefined) => {
    const area = index === undefined ? undefined : areas[index];
    if (area) path.push({ level, area });
  };
  push("street", region.streets.areas, street);
  push("community", region.communities.areas, community);
  push("grid", region.grids.areas, grid);
  return path;
}

/**
 * What a click on grid `gridIndex` selects: one level below the current
 * selection when the click falls inside it (district → street → community →
 * grid), the clicked grid's area at the same level when it falls outside.
 */
export function drillTarget(region: PreparedRegion, selection: { level: DrillLevel; code: string } | null, gridIndex: number): { level: DrillLevel; code: string } | null {
  const grid = region.grids.areas[gridIndex];
  if (!grid) return selection;
  const street = region.streets.areas[region.gridStreet[gridIndex] ?? -1];
  const community = region.communities.areas[region.gridCommunity[gridIndex] ?? -1];
  const pick = (...candidates: [DrillLevel, RegionArea | undefined][]) => {
    for (const [level, area] of candidates) if (area) return { level, code: area.code };
    return { level: "grid" as const, code: grid.code };
  };
  if (selection === null) return pick(["street", street], ["community", community]);
  if (selection.level === "street") return street?.code === selection.code ? pick(["community", community]) : pick(["street", street], ["community", community]);
  if (selection.level === "community") return community?.code === selection.code ? pick() : pick(["community", community]);
  return pick();
}
