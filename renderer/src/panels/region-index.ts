/*
 * What the panels need of the region layer: names by code and the list of
 * grids. Only feature properties are read (the map owns the geometry), and
 * leniently: a feature without a code or name is skipped, not fatal.
 */

export type RegionIndex = { names: ReadonlyMap<string, string>; gridCodes: readonly string[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

export function regionIndex(geojson: unknown): RegionIndex {
  const names = new Map<string, string>();
  const gridCodes: string[] = [];
  const features = isRecord(geojson) && Array.isArray(geojson.features) ? (geojson.features as unknown[]) : [];
  for (const feature of features) {
    const props = isRecord(feature) && isRecord(feature.properties) ? feature.properties : null;
    if (!props || typeof props.code !== "string" || typeof props.name !== "string") continue;
    names.set(props.code, props.name);
    if (props.level === "grid") gridCodes.push(props.code);
  }
  return { names, gridCodes };
}
