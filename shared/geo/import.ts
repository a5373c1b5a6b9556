import polygonClipping from "polygon-clipping";
import type { MultiPolygon as ClipMultiPolygon } from "polygon-clipping";
import { createGridIndex } from "./grid-index.js";
import { areaSquareMeters, bboxOf, labelPoint, pointInPolygons } from "./polygon.js";
import { CODE_LENGTH, levelOfCode, REGION_LEVELS, type PolygonRings, type RegionArea, type RegionLayer, type RegionLevel } from "./region.js";
import { checkAreaGeometry } from "./validate-geometry.js";

/*
 * Loading a deployment's own grid layer (GeoJSON, WGS84). Everything wrong is
 * reported at once, each fault naming the feature (index, code, name), so a
 * GIS technician can fix a layer in one round trip. Levels a layer leaves out
 * entirely (a layer of communities and grids only, say) are derived by
 * dissolving their children; a level that is present must hold every parent
 * its children name.
 */

/** Which property keys hold each field, for layers exported from another system. */
export type PropertyMapping = { code?: string; name?: string; level?: string; parentCode?: string };

export type RegionImportIssue = { feature: string; fault: string };

export type RegionImportResult = { ok: true; layer: RegionLayer; warnings: RegionImportIssue[] } | { ok: false; errors: RegionImportIssue[] };

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | undefined> = { district: undefined, street: "district", community: "street", grid: "community" };
/** About 10 m: boundaries drawn in different tools disagree by that much. */
const OUTSIDE_TOLERANCE_DEGREES = 1e-4;

type Candidate = RegionArea & { label: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

function levelOf(raw: unknown, code: string | undefined): RegionLevel | undefined {
  const given = text(raw)?.toLowerCase();
  if (given !== undefined) return REGION_LEVELS.find((level) => level === given);
  return code === undefined ? undefined : levelOfCode(code);
}

function readFeature(feature: unknown, index: number, keys: Required<PropertyMapping>, errors: RegionImportIssue[]): Candidate | undefined {
  const properties = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
  const code = text(properties[keys.code]);
  const name = text(properties[keys.name]);
  const label = `#${index}${code === undefined ? "" : ` ${code}`}${name === undefined ? "" : ` ${name}`}`;
  const fail = (fault: string): undefined => {
    errors.push({ feature: label, fault });
    return undefined;
  };
  if (!isRecord(feature) || feature.type !== "Feature") return fail("is not a GeoJSON Feature");
  if (code === undefined) return fail(`has no code (property "${keys.code}")`);
  if (name === undefined) return fail(`has no name (property "${keys.name}")`);
  const level = levelOf(properties[keys.level], code);
  if (level === undefined) {
    const given = text(properties[keys.level]);
    return fail(given === undefined ? `has no level (property "${keys.level}") and its code has no level's length (6, 9, 12 or 15 digits)` : `level "${given}" is not one of ${REGION_LEVELS.join(", ")}`);
  }
  if (!/^\d+$/.test(code) || code.length !== CODE_LENGTH[level]) return fail(`code "${code}" is not a ${CODE_LENGTH[level]}-digit ${level} code`);
  const parentLevel = PARENT_LEVEL[level];
  const impliedParent = parentLevel === undefined ? undefined : code.slice(0, CODE_LENGTH[parentLevel]);
  const givenParent = text(properties[keys.parentCode]);
  if (givenParent !== undefined && parentLevel !== undefined && givenParent !== impliedParent) {
    return fail(`${level} code ${code} does not start with its ${parentLevel} code ${givenParent}`);
  }
  const geometry = checkAreaGeometry(feature.geometry);
  if (!geometry.ok) return fail(geometry.fault);
  const area: Candidate = {
    label,
    level,
    code,
    name,
    polygons: geometry.polygons,
    labelAt: labelPoint(geometry.polygons),
    bbox: bboxOf(geometry.polygons),
  };
  if (impliedParent !== undefined) area.parentCode = impliedParent;
  return area;
}

/** Why a child is not inside its parent, or null when it is. */
function outsideFault(child: RegionArea, parent: RegionArea, what: string): string | null {
  if (!pointInPolygons(child.labelAt[0], child.labelAt[1], parent.polygons)) return `lies outside ${what}`;
  const [minLon, minLat, maxLon, maxLat] = child.bbox;
  const [west, south, east, north] = parent.bbox;
  const overshoot = Math.max(west - minLon, south - minLat, maxLon - east, maxLat - north);
  if (overshoot <= OUTSIDE_TOLERANCE_DEGREES) return null;
  return `reaches about ${Math.round(overshoot * 111_000)} m beyond the bounds of ${what}`;
}

/**
 * A level the layer leaves out, made by dissolving the children that name
 * each parent. Should the union fail on degenerate input (polygon-clipping
 * throws on some), the children's polygons stand in undissolved: still right
 * for containment, only drawn with inner edges; a warning says which.
 */
function dissolve(children: readonly RegionArea[], level: RegionLevel, warnings: RegionImportIssue[]): RegionArea[] {
  const groups = new Map<string, RegionArea[]>();
  for (const child of children) {
    const code = child.parentCode ?? "";
    const group = groups.get(code);
    if (group === undefined) groups.set(code, [child]);
    else group.push(child);
  }
  return [...groups].map(([code, members]) => {
    const parts = members.map((m) => m.polygons as ClipMultiPolygon);
    const [first, ...rest] = parts;
    let polygons: PolygonRings[] = parts.flat();
    try {
      if (first !== undefined) polygons = polygonClipping.union(first, ...rest);
    } catch (error) {
      warnings.push({ feature: `(derived ${level} ${code})`, fault: `its children could not be dissolved (${error instanceof Error ? error.message : String(error)}); drawn as their union of parts` });
    }
    const parentLevel = PARENT_LEVEL[level];
    const area: RegionArea = { level, code, name: code, polygons, labelAt: labelPoint(polygons), bbox: bboxOf(polygons) };
    if (parentLevel !== undefined) area.parentCode = code.slice(0, CODE_LENGTH[parentLevel]);
    return area;
  });
}

function byCode(a: RegionArea, b: RegionArea): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** Positions a whole layer may have: a city's 30,000 grids at some 100 each, with room to spare. */
export const MAX_LAYER_POSITIONS = 10_000_000;

/** Positions in every ring of every feature, counted before anything is checked, so an oversized layer costs one pass. */
export function countPositions(features: readonly unknown[]): number {
  let count = 0;
  for (const feature of features) {
    const geometry = isRecord(feature) ? feature.geometry : undefined;
    if (!isRecord(geometry) || !Array.isArray(geometry.coordinates)) continue;
    const polygons: unknown[] = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) if (Array.isArray(polygon)) for (const ring of polygon) if (Array.isArray(ring)) count += ring.length;
  }
  return count;
}

export function importRegionLayer(geojson: unknown, mapping: PropertyMapping = {}): RegionImportResult {
  const keys: Required<PropertyMapping> = { code: "code", name: "name", level: "level", parentCode: "parentCode", ...mapping };
  const errors: RegionImportIssue[] = [];
  const warnings: RegionImportIssue[] = [];
  if (!isRecord(geojson) || geojson.type !== "FeatureCollection" || !Array.isArray(geojson.features)) {
    return { ok: false, errors: [{ feature: "(layer)", fault: "is not a GeoJSON FeatureCollection" }] };
  }

  const positions = countPositions(geojson.features);
  if (positions > MAX_LAYER_POSITIONS) {
    return { ok: false, errors: [{ feature: "(layer)", fault: `has ${positions} positions; at most ${MAX_LAYER_POSITIONS} (simplify the layer)` }] };
  }

  const byLevel: Record<RegionLevel, Candidate[]> = { district: [], street: [], community: [], grid: [] };
  const seen = new Map<string, string>();
  (geojson.features as unknown[]).forEach((feature, index) => {
    const area = readFeature(feature, index, keys, errors);
    if (area === undefined) return;
    const previous = seen.get(area.code);
    if (previous !== undefined) {
      errors.push({ feature: area.label, fault: `code ${area.code} is already used by feature ${previous}` });
      return;
    }
    seen.set(area.code, area.label);
    byLevel[area.level].push(area);
  });

  if (byLevel.grid.length === 0) errors.push({ feature: "(layer)", fault: "has no grid features" });
  for (const extra of byLevel.district.slice(1)) {
    errors.push({ feature: extra.label, fault: `a layer holds one district, and ${byLevel.district[0]?.label ?? ""} is already it` });
  }

  // Top down: each present level must hold its children's parents; an absent one is derived.
  const resolved: Record<RegionLevel, RegionArea[]> = { district: [], street: [], community: [], grid: byLevel.grid };
  for (const level of ["community", "street", "district"] as const) {
    const child = REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1] as RegionLevel;
    if (byLevel[level].length > 0) {
      resolved[level] = byLevel[level];
      continue;
    }
    resolved[level] = dissolve(resolved[child], level, warnings);
    if (resolved[level].length > 0) warnings.push({ feature: "(layer)", fault: `has no ${level} features: derived ${resolved[level].length} from the ${child} features` });
  }
  if (resolved.district.length > 1) {
    errors.push({ feature: "(layer)", fault: `its streets belong to ${resolved.district.length} districts (${resolved.district.map((d) => d.code).join(", ")}); a layer covers one` });
  }

  for (const level of ["street", "community", "grid"] as const) {
    const parentLevel = PARENT_LEVEL[level] as RegionLevel;
    const parents = new Map(resolved[parentLevel].map((p) => [p.code, p]));
    for (const area of byLevel[level]) {
      const parent = parents.get(area.parentCode ?? "");
      if (parent === undefined) {
        errors.push({ feature: area.label, fault: `its ${parentLevel} ${area.parentCode ?? "?"} is not in the layer` });
      } else if (level === "grid" && byLevel.community.length > 0) {
        const fault = outsideFault(area, parent, `its community ${parent.code}`);
        if (fault !== null) errors.push({ feature: area.label, fault });
      }
    }
  }
  const district = resolved.district[0];
  if (district !== undefined && byLevel.district.length > 0) {
    for (const grid of byLevel.grid) {
      const fault = outsideFault(grid, district, `the district ${district.code}`);
      if (fault !== null) errors.push({ feature: grid.label, fault });
    }
  }

  // Cheap overlap check: a grid's interior point must lie in no other grid.
  // It catches duplicated or misplaced geometry, not slivers along edges.
  const index = createGridIndex(byLevel.grid);
  for (const grid of byLevel.grid) {
    const others = index.locateAll(grid.labelAt[0], grid.labelAt[1]).filter((code) => code !== grid.code);
    if (others.length > 0) errors.push({ feature: grid.label, fault: `overlaps grid ${others.join(", ")}` });
  }

  if (errors.length > 0 || district === undefined) return { ok: false, errors };
  const strip = ({ label: _label, ...area }: RegionArea & { label?: string }): RegionArea => area;
  const tiny = resolved.grid.filter((g) => areaSquareMeters(g.polygons) < 100);
  for (const grid of tiny) warnings.push({ feature: (grid as Candidate).label, fault: "covers less than 100 m²: a digitizing leftover?" });
  return {
    ok: true,
    layer: {
      district: strip(district),
      streets: resolved.street.map(strip).sort(byCode),
      communities: resolved.community.map(strip).sort(byCode),
      grids: resolved.grid.map(strip).sort(byCode),
    },
    warnings,
  };
}
