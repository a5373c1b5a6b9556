import polygonClipping from "polygon-clipping";
import type { MultiPolygon as ClipMultiPolygon } from "polygon-clipping";
import type { FaultParams, RegionFaultCode, RegionImportIssue } from "./faults.js";
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
 *
 * A layer with some bad features is still drawn: a feature that cannot be
 * placed (unreadable, a broken ring, a duplicate code, no parent) is left out
 * with its fault, and so is everything inside it; one that can be placed but
 * is wrong (an overlap, a grid outside its community) is drawn and named. A
 * duty operator is better served by the good grids with the bad ones listed
 * than by a blank map. Only a layer with no grid left to draw fails whole.
 */

export type { RegionImportIssue } from "./faults.js";

/** Which property keys hold each field, for layers exported from another system. */
export type PropertyMapping = { code?: string; name?: string; level?: string; parentCode?: string };

/**
 * `ok` when there is something to draw; `errors` then lists what is wrong with
 * it (empty for a sound layer), `warnings` what was made up for it.
 */
export type RegionImportResult = { ok: true; layer: RegionLayer; warnings: RegionImportIssue[]; errors: RegionImportIssue[] } | { ok: false; errors: RegionImportIssue[] };

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | undefined> = { district: undefined, street: "district", community: "street", grid: "community" };
/** About 10 m: boundaries drawn in different tools disagree by that much. */
const OUTSIDE_TOLERANCE_DEGREES = 1e-4;

type Candidate = RegionArea & { label: string; index?: number };
type Where = { label: string; index?: number; code?: string; name?: string };

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

const LAYER: Where = { label: "(layer)" };

function issue(where: Where, code: RegionFaultCode, params: FaultParams, fault: string, omitted?: boolean): RegionImportIssue {
  const made: RegionImportIssue = { feature: where.label, fault, code, params };
  if (where.index !== undefined) made.index = where.index;
  if (where.code !== undefined) made.areaCode = where.code;
  if (where.name !== undefined) made.name = where.name;
  if (omitted !== undefined) made.omitted = omitted;
  return made;
}

function whereOf(area: Candidate): Where {
  const where: Where = { label: area.label, code: area.code, name: area.name };
  if (area.index !== undefined) where.index = area.index;
  return where;
}

function readFeature(feature: unknown, index: number, keys: Required<PropertyMapping>, errors: RegionImportIssue[]): Candidate | undefined {
  const properties = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
  const code = text(properties[keys.code]);
  const name = text(properties[keys.name]);
  const where: Where = { label: `#${index}${code === undefined ? "" : ` ${code}`}${name === undefined ? "" : ` ${name}`}`, index };
  if (code !== undefined) where.code = code;
  if (name !== undefined) where.name = name;
  const fail = (faultCode: RegionFaultCode, params: FaultParams, fault: string): undefined => {
    errors.push(issue(where, faultCode, params, fault, true));
    return undefined;
  };
  if (!isRecord(feature) || feature.type !== "Feature") return fail("notFeature", {}, "is not a GeoJSON Feature");
  if (code === undefined) return fail("noCode", { property: keys.code }, `has no code (property "${keys.code}")`);
  if (name === undefined) return fail("noName", { property: keys.name }, `has no name (property "${keys.name}")`);
  const level = levelOf(properties[keys.level], code);
  if (level === undefined) {
    const given = text(properties[keys.level]);
    return given === undefined
      ? fail("noLevel", { property: keys.level }, `has no level (property "${keys.level}") and its code has no level's length (6, 9, 12 or 15 digits)`)
      : fail("badLevel", { level: given, levels: REGION_LEVELS.join(", ") }, `level "${given}" is not one of ${REGION_LEVELS.join(", ")}`);
  }
  if (!/^\d+$/.test(code) || code.length !== CODE_LENGTH[level]) {
    return fail("badCode", { code, digits: CODE_LENGTH[level], level }, `code "${code}" is not a ${CODE_LENGTH[level]}-digit ${level} code`);
  }
  const parentLevel = PARENT_LEVEL[level];
  const impliedParent = parentLevel === undefined ? undefined : code.slice(0, CODE_LENGTH[parentLevel]);
  const givenParent = text(properties[keys.parentCode]);
  if (givenParent !== undefined && parentLevel !== undefined && givenParent !== impliedParent) {
    return fail("parentMismatch", { level, code, parentLevel, parentCode: givenParent }, `${level} code ${code} does not start with its ${parentLevel} code ${givenParent}`);
  }
  const geometry = checkAreaGeometry(feature.geometry);
  if (!geometry.ok) return fail(geometry.code, geometry.params, geometry.fault);
  const area: Candidate = {
    label: where.label,
    index,
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
function outsideFault(child: Candidate, parent: RegionArea, parentLevel: RegionLevel): RegionImportIssue | null {
  const what = parentLevel === "district" ? `the district ${parent.code}` : `its ${parentLevel} ${parent.code}`;
  const params = { parentLevel, parentCode: parent.code };
  if (!pointInPolygons(child.labelAt[0], child.labelAt[1], parent.polygons)) return issue(whereOf(child), "outsideParent", params, `lies outside ${what}`, false);
  const [minLon, minLat, maxLon, maxLat] = child.bbox;
  const [west, south, east, north] = parent.bbox;
  const overshoot = Math.max(west - minLon, south - minLat, maxLon - east, maxLat - north);
  if (overshoot <= OUTSIDE_TOLERANCE_DEGREES) return null;
  const meters = Math.round(overshoot * 111_000);
  return issue(whereOf(child), "beyondParent", { ...params, meters }, `reaches about ${meters} m beyond the bounds of ${what}`, false);
}

/**
 * A level the layer leaves out, made by dissolving the children that name
 * each parent. Should the union fail on degenerate input (polygon-clipping
 * throws on some), the children's polygons stand in undissolved: still right
 * for containment, only drawn with inner edges; a warning says which.
 */
function dissolve(children: readonly Candidate[], level: RegionLevel, warnings: RegionImportIssue[]): Candidate[] {
  const groups = new Map<string, Candidate[]>();
  for (const child of children) {
    const code = child.parentCode ?? "";
    const group = groups.get(code);
    if (group === undefined) groups.set(code, [child]);
    else group.push(child);
  }
  return [...groups].map(([code, members]) => {
    const label = `(derived ${level} ${code})`;
    const parts = members.map((m) => m.polygons as ClipMultiPolygon);
    const [first, ...rest] = parts;
    let polygons: PolygonRings[] = parts.flat();
    try {
      if (first !== undefined) polygons = polygonClipping.union(first, ...rest);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warnings.push(issue({ label, code }, "dissolveFailed", { level, code, error: reason }, `its children could not be dissolved (${reason}); drawn as their union of parts`));
    }
    const parentLevel = PARENT_LEVEL[level];
    const area: Candidate = { label, level, code, name: code, polygons, labelAt: labelPoint(polygons), bbox: bboxOf(polygons) };
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
    return { ok: false, errors: [issue(LAYER, "notFeatureCollection", {}, "is not a GeoJSON FeatureCollection")] };
  }

  const positions = countPositions(geojson.features);
  if (positions > MAX_LAYER_POSITIONS) {
    return { ok: false, errors: [issue(LAYER, "layerTooLarge", { positions, max: MAX_LAYER_POSITIONS }, `has ${positions} positions; at most ${MAX_LAYER_POSITIONS} (simplify the layer)`)] };
  }

  const byLevel: Record<RegionLevel, Candidate[]> = { district: [], street: [], community: [], grid: [] };
  const seen = new Map<string, string>();
  (geojson.features as unknown[]).forEach((feature, index) => {
    const area = readFeature(feature, index, keys, errors);
    if (area === undefined) return;
    const previous = seen.get(area.code);
    if (previous !== undefined) {
      errors.push(issue(whereOf(area), "duplicateCode", { code: area.code, other: previous }, `code ${area.code} is already used by feature ${previous}`, true));
      return;
    }
    seen.set(area.code, area.label);
    byLevel[area.level].push(area);
  });

  // Codes of areas not drawn, so that their children say their parent was left out, not that it is missing.
  const omitted = new Set(errors.flatMap((e) => (e.areaCode === undefined ? [] : [e.areaCode])));
  for (const extra of byLevel.district.slice(1)) {
    const kept = byLevel.district[0]?.label ?? "";
    errors.push(issue(whereOf(extra), "extraDistrict", { other: kept }, `a layer holds one district, and ${kept} is already it`, true));
  }
  byLevel.district = byLevel.district.slice(0, 1);

  // Bottom up, a level the layer leaves out is derived from the one below.
  const resolved: Record<RegionLevel, Candidate[]> = { district: [], street: [], community: [], grid: byLevel.grid };
  for (const level of ["community", "street", "district"] as const) {
    const child = REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1] as RegionLevel;
    if (byLevel[level].length > 0) {
      resolved[level] = byLevel[level];
      continue;
    }
    resolved[level] = dissolve(resolved[child], level, warnings);
    if (resolved[level].length > 0) {
      warnings.push(issue(LAYER, "derivedLevel", { level, count: resolved[level].length, child }, `has no ${level} features: derived ${resolved[level].length} from the ${child} features`));
    }
  }
  if (resolved.district.length > 1) {
    // Streets of several districts: the district with the most grids is drawn, the others' areas are left out below.
    const grids = (code: string) => byLevel.grid.filter((g) => g.code.startsWith(code)).length;
    const codes = resolved.district.map((d) => d.code);
    resolved.district = [[...resolved.district].sort((a, b) => grids(b.code) - grids(a.code))[0] as Candidate];
    for (const code of codes) if (code !== resolved.district[0]?.code) omitted.add(code);
    errors.push(
      issue(LAYER, "manyDistricts", { count: codes.length, codes: codes.join(", "), kept: resolved.district[0]?.code ?? "" }, `its streets belong to ${codes.length} districts (${codes.join(", ")}); a layer covers one`),
    );
  }

  // Top down, an area whose parent is not in the layer (or was left out) is left out too.
  for (const level of ["street", "community", "grid"] as const) {
    const parentLevel = PARENT_LEVEL[level] as RegionLevel;
    const parents = new Map(resolved[parentLevel].map((p) => [p.code, p]));
    resolved[level] = resolved[level].filter((area) => {
      const parentCode = area.parentCode ?? "?";
      if (parents.has(parentCode)) return true;
      omitted.add(area.code);
      // A derived area left out says nothing itself: its children each say why.
      if (area.index === undefined) return false;
      const params = { parentLevel, parentCode };
      errors.push(
        omitted.has(parentCode)
          ? issue(whereOf(area), "parentLeftOut", params, `its ${parentLevel} ${parentCode} is left out of the layer`, true)
          : issue(whereOf(area), "parentMissing", params, `its ${parentLevel} ${parentCode} is not in the layer`, true),
      );
      return false;
    });
    if (level === "grid" && byLevel.community.length > 0) {
      for (const grid of resolved.grid) {
        const fault = outsideFault(grid, parents.get(grid.parentCode ?? "") as RegionArea, "community");
        if (fault !== null) errors.push(fault);
      }
    }
  }
  const district = resolved.district[0];
  if (district !== undefined && byLevel.district.length > 0) {
    for (const grid of resolved.grid) {
      const fault = outsideFault(grid, district, "district");
      if (fault !== null) errors.push(fault);
    }
  }

  // Cheap overlap check: a grid's interior point must lie in no other grid.
  // It catches duplicated or misplaced geometry, not slivers along edges.
  const index = createGridIndex(resolved.grid);
  for (const grid of resolved.grid) {
    const others = index.locateAll(grid.labelAt[0], grid.labelAt[1]).filter((code) => code !== grid.code);
    if (others.length > 0) errors.push(issue(whereOf(grid), "overlaps", { others: others.join(", ") }, `overlaps grid ${others.join(", ")}`, false));
  }

  if (resolved.grid.length === 0 || district === undefined) {
    errors.push(issue(LAYER, "noGrids", {}, errors.some((e) => e.omitted === true) ? "has no grid that can be drawn" : "has no grid features"));
    return { ok: false, errors };
  }
  const strip = ({ label: _label, index: _index, ...area }: Candidate): RegionArea => area;
  for (const grid of resolved.grid) {
    if (areaSquareMeters(grid.polygons) < 100) warnings.push(issue(whereOf(grid), "tinyGrid", {}, "covers less than 100 m²: a digitizing leftover?"));
  }
  return {
    ok: true,
    layer: {
      district: strip(district),
      streets: resolved.street.map(strip).sort(byCode),
      communities: resolved.community.map(strip).sort(byCode),
      grids: resolved.grid.map(strip).sort(byCode),
    },
    warnings,
    errors,
  };
}
