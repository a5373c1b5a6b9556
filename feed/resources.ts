import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { parseCategories, parseDepartments } from "../shared/domain/reference.js";
import type { Category, Department } from "../shared/bridge/contract.js";
import type { GeoJsonCollection, SimRegion } from "./region.js";
import { regionFromCollection, RegionError } from "./region.js";
import { divisionLayer, parseDivisions } from "./region-synthetic.js";

/*
 * Reads what the feed needs from the repo: reference tables and the region
 * layer. The only file in feed/ that knows where they live.
 */

export type Scale = "street" | "district" | "city";
export const SCALES: readonly Scale[] = ["street", "district", "city"];

export const DEFAULT_RESOURCES_DIR = fileURLToPath(new URL("../resources", import.meta.url));
const CITY_LAYER_MODULE = fileURLToPath(new URL("../scripts/region/city.ts", import.meta.url));

/** The street whose 34 grids make the "street" scale (东直门街道). */
export const STREET_SCALE_CODE = "110101009";
export const DONGCHENG = "110101";
/** Scope code for the whole city (Beijing's municipal districts). */
export const CITY_SCOPE = "110100";

export type Reference = { categories: Category[]; departments: Department[] };

export function loadReference(resourcesDir = DEFAULT_RESOURCES_DIR): Reference {
  const data = join(resourcesDir, "data");
  return {
    categories: parseCategories(readFileSync(join(data, "event-categories.csv"), "utf8")),
    departments: parseDepartments(readFileSync(join(data, "departments.csv"), "utf8")),
  };
}

function divisionFallback(resourcesDir: string, districtCodes: string[] | "all", streetCode?: string): GeoJsonCollection {
  const divisions = parseDivisions(readFileSync(join(resourcesDir, "data", "beijing-divisions.csv"), "utf8"));
  const districts = JSON.parse(readFileSync(join(resourcesDir, "data", "beijing-districts.geojson"), "utf8")) as GeoJsonCollection;
  const codes = districtCodes === "all" ? divisions.filter((d) => d.level === "district").map((d) => d.code) : districtCodes;
  const options: Parameters<typeof divisionLayer>[0] = { divisions, districts, districtCodes: codes };
  if (streetCode) options.streetCode = streetCode;
  return divisionLayer(options);
}

const isCollection = (value: unknown): value is GeoJsonCollection =>
  typeof value === "object" && value !== null && (value as { type?: unknown }).type === "FeatureCollection" && Array.isArray((value as { features?: unknown }).features);

async function cityLayer(resourcesDir: string): Promise<GeoJsonCollection> {
  if (existsSync(CITY_LAYER_MODULE)) {
    const module: unknown = await import(pathToFileURL(CITY_LAYER_MODULE).href);
    const generate = (module as { generateCityLayer?: unknown }).generateCityLayer;
    if (typeof generate === "function") {
      const layer: unknown = await (generate as () => unknown)();
      if (isCollection(layer)) return layer;
    }
  }
  return divisionFallback(resourcesDir, "all");
}

/**
 * The grids for a scale: the generated Dongcheng layer (resources/region) for
 * street and district, the city generator for city; each falls back to a
 * layer built from the division table when its file is missing.
 */
export async function loadRegion(scale: Scale, resourcesDir = DEFAULT_RESOURCES_DIR): Promise<SimRegion> {
  const dongcheng = join(resourcesDir, "region", "dongcheng.geojson");
  if (scale === "city") {
    const region = regionFromCollection(await cityLayer(resourcesDir));
    return { ...region, districtCode: CITY_SCOPE, districtName: "北京市" };
  }
  const streetCode = scale === "street" ? STREET_SCALE_CODE : undefined;
  const options = streetCode ? { streetCode } : {};
  if (existsSync(dongcheng)) {
    const layer: unknown = JSON.parse(readFileSync(dongcheng, "utf8"));
    if (!isCollection(layer)) throw new RegionError(`${dongcheng} is not a FeatureCollection`);
    return regionFromCollection(layer, options);
  }
  return regionFromCollection(divisionFallback(resourcesDir, [DONGCHENG], streetCode), options);
}
