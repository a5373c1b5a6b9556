import { pointInPolygons } from "./polygon.js";
import type { RegionArea, RegionLayer } from "./region.js";

/*
 * Which grid a WGS84 point falls in: a uniform bin index over the grids'
 * bounding boxes, then ray casting against the few candidates of one bin.
 * Built once per layer; a lookup touches a handful of polygons, so a city
 * layer of 30,000 grids answers hundreds of thousands of lookups a second.
 */

export type GridIndex = {
  /** The code of the grid containing the point, or null outside every grid. */
  locate(lon: number, lat: number): string | null;
  /** Every grid containing the point: more than one only where grids overlap (a broken layer). */
  locateAll(lon: number, lat: number): string[];
  /**
   * The same answer as `locate`, trying the grid `hint` first: a walker's
   * next fix is most often in the grid of the last one (one polygon test
   * instead of a bin's). Where grids overlap, the hint wins.
   */
  locateFrom(hint: string | null | undefined, lon: number, lat: number): string | null;
};

/** Aim for about this many grids per bin: few candidates without a huge table. */
const GRIDS_PER_BIN = 2;

export function createGridIndex(layer: Pick<RegionLayer, "grids"> | readonly RegionArea[]): GridIndex {
  const grids: readonly RegionArea[] = Array.isArray(layer) ? layer : (layer as Pick<RegionLayer, "grids">).grids;
  if (grids.length === 0) return { locate: () => null, locateAll: () => [], locateFrom: () => null };
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const grid of grids) {
    minLon = Math.min(minLon, grid.bbox[0]);
    minLat = Math.min(minLat, grid.bbox[1]);
    maxLon = Math.max(maxLon, grid.bbox[2]);
    maxLat = Math.max(maxLat, grid.bbox[3]);
  }
  const width = Math.max(maxLon - minLon, 1e-9);
  const height = Math.max(maxLat - minLat, 1e-9);
  const bins = Math.max(1, grids.length / GRIDS_PER_BIN);
  const columns = Math.max(1, Math.min(4096, Math.round(Math.sqrt((bins * width) / height))));
  const rows = Math.max(1, Math.min(4096, Math.round(bins / columns)));
  const column = (lon: number): number => Math.min(columns - 1, Math.max(0, Math.floor(((lon - minLon) / width) * columns)));
  const row = (lat: number): number => Math.min(rows - 1, Math.max(0, Math.floor(((lat - minLat) / height) * rows)));

  const eachBin = (grid: RegionArea, visit: (bin: number) => void): void => {
    for (let r = row(grid.bbox[1]); r <= row(grid.bbox[3]); r++) {
      for (let c = column(grid.bbox[0]); c <= column(grid.bbox[2]); c++) visit(r * columns + c);
    }
  };

  // Compressed-row layout: one count pass, one fill pass, no per-bin arrays.
  const boxes = new Float64Array(grids.length * 4);
  const starts = new Uint32Array(columns * rows + 1);
  grids.forEach((grid, index) => {
    boxes.set(grid.bbox, index * 4);
    eachBin(grid, (bin) => {
      starts[bin + 1] = (starts[bin + 1] ?? 0) + 1;
    });
  });
  for (let i = 1; i < starts.length; i++) starts[i] = (starts[i] ?? 0) + (starts[i - 1] ?? 0);
  const members = new Uint32Array(starts[starts.length - 1] ?? 0);
  const next = starts.slice(0, columns * rows);
  grids.forEach((grid, index) => {
    eachBin(grid, (bin) => {
      const at = next[bin] ?? 0;
      members[at] = index;
      next[bin] = at + 1;
    });
  });

  const visit = (lon: number, lat: number, found: (grid: RegionArea) => boolean): void => {
    if (!(lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat)) return;
    const bin = row(lat) * columns + column(lon);
    for (let i = starts[bin] ?? 0, end = starts[bin + 1] ?? 0; i < end; i++) {
      const index = members[i] ?? 0;
      const at = index * 4;
      if (lon < (boxes[at] ?? 0) || lat < (boxes[at + 1] ?? 0) || lon > (boxes[at + 2] ?? 0) || lat > (boxes[at + 3] ?? 0)) continue;
      const grid = grids[index] as RegionArea;
      if (pointInPolygons(lon, lat, grid.polygons) && found(grid)) return;
    }
  };

  const byCode = new Map(grids.map((grid) => [grid.code, grid]));
  const locate = (lon: number, lat: number): string | null => {
    let code: string | null = null;
    visit(lon, lat, (grid) => {
      code = grid.code;
      return true;
    });
    return code;
  };

  return {
    locate,
    locateFrom(hint: string | null | undefined, lon: number, lat: number): string | null {
      const grid = hint ? byCode.get(hint) : undefined;
      if (grid && lon >= grid.bbox[0] && lat >= grid.bbox[1] && lon <= grid.bbox[2] && lat <= grid.bbox[3] && pointInPolygons(lon, lat, grid.polygons)) return grid.code;
      return locate(lon, lat);
    },
    locateAll(lon: number, lat: number): string[] {
      const codes: string[] = [];
      visit(lon, lat, (grid) => {
        codes.push(grid.code);
        return false;
      });
      return codes;
    },
  };
}
