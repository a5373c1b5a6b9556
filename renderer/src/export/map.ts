import { communityOf } from "../../../shared/domain/kpi-breakdown.js";
import type { LonLat, RegionArea, RegionLayer } from "../../../shared/geo/region.js";

/*
 * The export's map: a static drawing of the region layer, areas shaded by
 * their open cases, as SVG paths. Vector on paper, the same in Electron's
 * printToPDF and in a headless browser, and nothing to wait for (a deck.gl
 * canvas needs WebGL, tiles and a frame captured at the right moment).
 * Shading goes by grid, or by community when a city's grids would be too
 * small to read at A4.
 */

export type MapArea = { code: string; d: string; shade: number; overdue: boolean };
export type MapLabel = { x: number; y: number; text: string };
export type ExportMap = {
  width: number;
  height: number;
  level: "grid" | "community";
  areas: MapArea[];
  /** Street boundaries drawn over the shading. */
  streets: string[];
  labels: MapLabel[];
  /** Upper bounds of the shades 1…4 (shade 0 is no open case). */
  breaks: number[];
};

/** Beyond this many grids, shading goes by community. */
const GRID_LIMIT = 2500;

/**
 * `counts`: the engine's open and overdue cases per grid, in the layer's grid order (GridCounts for this layer),
 * or null when it has none for it (the map is then drawn unshaded).
 */
export function buildExportMap(layer: RegionLayer, counts: { open: ArrayLike<number>; overdue: ArrayLike<number> } | null, width = 1000, maxHeight = 620): ExportMap {
  const byCommunity = layer.grids.length > GRID_LIMIT || layer.grids.length === 0;
  const areas = byCommunity ? layer.communities : layer.grids;
  const keyOf = byCommunity ? communityOf : (code: string) => code;
  const open = new Map<string, number>();
  const overdue = new Set<string>();
  if (counts) {
    layer.grids.forEach((grid, index) => {
      const cases = counts.open[index] ?? 0;
      if (cases === 0) return;
      const key = keyOf(grid.code);
      open.set(key, (open.get(key) ?? 0) + cases);
      if ((counts.overdue[index] ?? 0) > 0) overdue.add(key);
    });
  }
  const breaks = quartileBreaks([...open.values()]);

  const [minLon, minLat, maxLon, maxLat] = layer.district.bbox;
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-9, (maxLon - minLon) * kx);
  const spanY = Math.max(1e-9, maxLat - minLat);
  const pad = 8;
  const scale = Math.min((width - 2 * pad) / spanX, (maxHeight - 2 * pad) / spanY);
  const height = Math.round(spanY * scale + 2 * pad);
  const offsetX = (width - spanX * scale) / 2;
  const project = ([lon, lat]: LonLat): [number, number] => [offsetX + (lon - minLon) * kx * scale, pad + (maxLat - lat) * scale];

  return {
    width,
    height,
    level: byCommunity ? "community" : "grid",
    areas: areas.map((area) => {
      const count = open.get(area.code) ?? 0;
      return { code: area.code, d: pathOf(area, project), shade: shadeOf(count, breaks), overdue: overdue.has(area.code) };
    }),
    streets: layer.streets.map((street) => pathOf(street, project)),
    labels: layer.streets.map((street) => {
      const [x, y] = project(street.labelAt);
      return { x: round(x), y: round(y), text: street.name };
    }),
    breaks,
  };
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** An SVG path of every ring, rounded to a tenth of a unit, with repeated points dropped. */
export function pathOf(area: Pick<RegionArea, "polygons">, project: (point: LonLat) => [number, number]): string {
  const parts: string[] = [];
  for (const polygon of area.polygons) {
    for (const ring of polygon) {
      let last = "";
      const points: string[] = [];
      for (const point of ring) {
        const [x, y] = project(point);
        const text = `${round(x)} ${round(y)}`;
        if (text !== last) points.push(text);
        last = text;
      }
      if (points.length >= 3) parts.push(`M${points.join("L")}Z`);
    }
  }
  return parts.join("");
}

/** Four shades of the positive counts by quartile, each break at least one above the last. */
export function quartileBreaks(counts: number[]): number[] {
  const positive = counts.filter((n) => n > 0).sort((a, b) => a - b);
  if (positive.length === 0) return [1, 2, 3, 4];
  const at = (q: number) => positive[Math.min(positive.length - 1, Math.floor(q * (positive.length - 1)))] ?? 1;
  const breaks: number[] = [];
  for (const q of [0.25, 0.5, 0.75, 1]) breaks.push(Math.max(at(q), (breaks.at(-1) ?? 0) + 1));
  return breaks;
}

export function shadeOf(count: number, breaks: readonly number[]): number {
  if (count <= 0) return 0;
  const index = breaks.findIndex((upper) => count <= upper);
  return index === -1 ? breaks.length : index + 1;
}
