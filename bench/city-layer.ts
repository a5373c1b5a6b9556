import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildCityLayer } from "../scripts/region/city.js";
import { regionAreaOf, type RegionFeatureCollection } from "../shared/geo/geojson.js";
import type { Place } from "./fixtures.js";
import { REPO } from "./processes.js";

/*
 * A console-sized city layer: the console loads one district per layer
 * (importRegionLayer refuses several), so the city's ~30,000 grids are cut
 * inside one real district, Chaoyang (110105, ~770 communities), with
 * scripts/region/city.ts's own generator. Same grid count as the whole city,
 * denser per square kilometre: what the map must import, index and draw.
 */

export const CITY_DISTRICT = "110105";

export function consoleCityLayer(targetGrids: number): { layer: RegionFeatureCollection; grids: number; places: Place[] } {
  const data = path.join(REPO, "resources", "data");
  const csv = readFileSync(path.join(data, "beijing-divisions.csv"), "utf8").split("\n");
  const rows = csv.filter((line, index) => index === 0 || line.startsWith(CITY_DISTRICT));
  const communities = rows.filter((line) => line.split(",")[2] === "community").length;
  const perCommunity = Math.max(1, Math.min(999, Math.ceil(targetGrids / Math.max(1, communities))));
  const layer = buildCityLayer({ divisionsCsv: rows.join("\n"), districtsGeojson: readFileSync(path.join(data, "beijing-districts.geojson"), "utf8") }, perCommunity);
  const places: Place[] = [];
  for (const feature of layer.features) {
    if (feature.properties.level !== "grid") continue;
    const [lon, lat] = regionAreaOf(feature).labelAt;
    places.push({ gridCode: feature.properties.code, lon, lat });
  }
  return { layer, grids: places.length, places };
}

export function writeLayer(file: string, layer: RegionFeatureCollection): void {
  writeFileSync(file, JSON.stringify(layer));
}
