import type { PolygonRings, RegionArea, RegionLayer, RegionLevel } from "../../../../shared/geo/region.js";

/*
 * A rectangular region (streets split into communities split into grids) for
 * the map's tests and its preview page, and for measuring the layer builders at
 * city scale before the real generator (scripts/region) is at hand. Not shipped.
 */

export type SyntheticRegionOptions = {
  west?: number;
  south?: number;
  /** Degrees per street cell. */
  cell?: number;
  streets?: [number, number];
  communities?: [number, number];
  grids?: [number, number];
};

const rect = (west: number, south: number, east: number, north: number): PolygonRings[] => [
  [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
];

function area(level: RegionLevel, code: string, name: string, bbox: [number, number, number, number], parentCode?: string): RegionArea {
  const [w, s, e, n] = bbox;
  const out: RegionArea = { level, code, name, polygons: rect(w, s, e, n), labelAt: [(w + e) / 2, (s + n) / 2], bbox };
  if (parentCode !== undefined) out.parentCode = parentCode;
  return out;
}

function split(bbox: [number, number, number, number], [cols, rows]: [number, number]): [number, number, number, number][] {
  const [w, s, e, n] = bbox;
  const dx = (e - w) / cols;
  const dy = (n - s) / rows;
  const out: [number, number, number, number][] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.push([w + c * dx, n - (r + 1) * dy, w + (c + 1) * dx, n - r * dy]);
  return out;
}

export function syntheticRegion(options: SyntheticRegionOptions = {}): RegionLayer {
  const { west = 116.38, south = 39.86, cell = 0.02, streets = [3, 3], communities = [3, 3], grids = [2, 2] } = options;
  const bbox: [number, number, number, number] = [west, south, west + cell * streets[0], south + cell * streets[1]];
  const layer: RegionLayer = { district: area("district", "110101", "东城区", bbox), streets: [], communities: [], grids: [] };
  split(bbox, streets).forEach((streetBox, s) => {
    const streetCode = `110101${String(s + 1).padStart(3, "0")}`;
    layer.streets.push(area("street", streetCode, `第${s + 1}街道`, streetBox, "110101"));
    split(streetBox, communities).forEach((communityBox, c) => {
      const communityCode = `${streetCode}${String(c + 1).padStart(3, "0")}`;
      layer.communities.push(area("community", communityCode, `${s + 1}-${c + 1}社区`, communityBox, streetCode));
      split(communityBox, grids).forEach((gridBox, g) => {
        layer.grids.push(area("grid", `${communityCode}${String(g + 1).padStart(3, "0")}`, `${s + 1}-${c + 1}-${g + 1}网格`, gridBox, communityCode));
      });
    });
  });
  return layer;
}
