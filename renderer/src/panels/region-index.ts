import type { RegionLayerResult } from "../../../shared/bridge/contract.js";

/*
 * What the panels need of the region layer: names by code and the list of
 * grids (the map owns the geometry). Areas the importer derived for a level
 * the layer left out are named by their code and add no name; a layer that
 * did not load gives an empty index (areas then show by code).
 */

export type RegionIndex = { names: ReadonlyMap<string, string>; gridCodes: readonly string[] };

export function regionIndex(result: RegionLayerResult): RegionIndex {
  const names = new Map<string, string>();
  if (!result.ok) return { names, gridCodes: [] };
  const { district, streets, communities, grids } = result.layer;
  for (const area of [district, ...streets, ...communities, ...grids]) {
    if (area.name !== area.code) names.set(area.code, area.name);
  }
  return { names, gridCodes: grids.map((grid) => grid.code) };
}
