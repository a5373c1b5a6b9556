import type { DeploymentAddress } from "./address-list.js";
import { CODE_LENGTH, type LonLat, type RegionArea, type RegionLayer } from "./region.js";

/*
 * Places by name, for people: a grid named with its community and street
 * instead of its 15-digit code, and a search over the grid layer's names, the
 * deployment's address list (address-list.ts) and past case addresses for a
 * phone-in report. Pure; built once per layer (and
 * per batch of cases), answered per keystroke.
 */

/** What a search result is: an area of the layer, a place of the deployment's list, or where a past case was. */
export type PlaceKind = "grid" | "community" | "street" | "listed" | "address";

/** `name` as a person reads it; `fullName` as the layer has it (a search for 居委会 finds the community too). */
type NamedArea = { level: "street" | "community" | "grid"; name: string; fullName: string; parentCode: string | undefined; labelAt: LonLat };

/** The layer's streets, communities and grids by code. */
export type AreaNames = ReadonlyMap<string, NamedArea>;

export function areaNames(layer: Pick<RegionLayer, "streets" | "communities" | "grids">): AreaNames {
  const names = new Map<string, NamedArea>();
  const add = (area: RegionArea, level: NamedArea["level"]) => {
    // The importer names an area it derived for a level the layer left out by its code: that is no name.
    if (area.name !== area.code) names.set(area.code, { level, name: displayName(level, area.name), fullName: area.name, parentCode: area.parentCode, labelAt: area.labelAt });
  };
  for (const area of layer.streets) add(area, "street");
  for (const area of layer.communities) add(area, "community");
  for (const area of layer.grids) add(area, "grid");
  return names;
}

/** 多福巷社区居委会 is the committee; the place a person names is 多福巷社区. */
function displayName(level: NamedArea["level"], name: string): string {
  return level === "community" && name.endsWith("社区居委会") ? name.slice(0, -"居委会".length) : name;
}

/** A grid as a person reads it; `grid` null where the layer lacks the code. */
export type GridName = { code: string; grid: string | null; community: string | null; street: string | null };

/** The enclosing community or street of an area, with its code: by the area's parent link, else by the code's prefix. */
function parentOf(names: AreaNames, code: string, level: "community" | "street"): { code: string; area: NamedArea } | undefined {
  let at: string | undefined = code;
  // Up the parent links (a grid's parent is its community, whose parent is the street).
  for (let step = 0; at !== undefined && step < 3; step++) {
    at = names.get(at)?.parentCode;
    const area = at === undefined ? undefined : names.get(at);
    if (at !== undefined && area?.level === level) return { code: at, area };
  }
  // Division codes nest by prefix: a layer without parent links still names the community and street.
  const prefix = code.slice(0, CODE_LENGTH[level]);
  const area = code.length > CODE_LENGTH[level] ? names.get(prefix) : undefined;
  return area?.level === level ? { code: prefix, area } : undefined;
}

export function nameGrid(names: AreaNames, code: string): GridName {
  const grid = names.get(code);
  if (grid?.level !== "grid") return { code, grid: null, community: null, street: null };
  return { code, grid: grid.name, community: parentOf(names, code, "community")?.area.name ?? null, street: parentOf(names, code, "street")?.area.name ?? null };
}

/**
 * The words for a grid: `full` is 永铁苑第1网格 · 永铁苑社区 · 天坛街道 (forms, the
 * case's detail); `short` the grid's own name (a queue row). A code the layer
 * lacks reads as `unknown`; the code itself belongs in a tooltip (`gridTitle`).
 */
export function gridLabel(name: GridName, form: "full" | "short", unknown: string): string {
  if (name.grid === null) return unknown;
  if (form === "short") return name.grid;
  return [name.grid, name.community, name.street].filter((part): part is string => part !== null).join(" · ");
}

/** The tooltip: the full name and the code. */
export function gridTitle(name: GridName, unknown: string): string {
  return name.code === "" ? unknown : `${gridLabel(name, "full", unknown)}\n${name.code}`;
}

/** Any area (street, community or grid) by name, for a filter chip; its code where the layer does not name it. */
export function areaLabel(names: AreaNames, code: string): string | null {
  const area = names.get(code);
  if (!area) return null;
  if (area.level === "grid") return gridLabel(nameGrid(names, code), "full", code);
  const street = area.level === "community" ? parentOf(names, code, "street") : undefined;
  return street ? `${area.name} · ${street.area.name}` : area.name;
}

/* ---------- search ---------- */

/** A past case's place: its address, where it was and when it was reported (epoch ms). */
export type PastAddress = { address: string; lon: number; lat: number; at: number };

export type Place = {
  kind: PlaceKind;
  /** What the operator reads: the area's name, or the address. */
  name: string;
  /** Where it is: an area's parent names; a listed place's street address or other names; empty for a past case's address. */
  context: string;
  /** What goes in the form's address field, where it is not `name` (a listed place with a street address). */
  address?: string;
  /** An area's label point, or the case's place: WGS84, the grid layer's space. */
  lon: number;
  lat: number;
};

export type Gazetteer = {
  /**
   * Areas first (streets, communities, grids; shorter names first), then the deployment's addresses in
   * the list's order, then past cases' addresses, most recent first: the order within each rank. A
   * listed place's key holds its name and its aliases, each after ALIAS_MARK.
   */
  places: readonly Place[];
  keys: readonly string[];
};

/** Case, width and spaces do not matter: ＡＢ１ matches ab1, 东四 十条 matches 东四十条. */
export function normaliseQuery(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

const KIND_ORDER: Record<PlaceKind, number> = { street: 0, community: 1, grid: 2, listed: 3, address: 4 };
/** Between a listed place's name and its aliases in its key: a query (typed text) never holds it, and a match right after it starts a name. */
const ALIAS_MARK = "\u0001";

export function buildGazetteer(names: AreaNames, addresses: Iterable<PastAddress>, listed: readonly DeploymentAddress[] = []): Gazetteer {
  const areas: (Place & { key: string })[] = [];
  for (const [code, area] of names) {
    const grid = area.level === "grid" ? nameGrid(names, code) : null;
    const context = grid ? [grid.community, grid.street].filter(Boolean).join(" · ") : area.level === "community" ? (parentOf(names, code, "street")?.area.name ?? "") : "";
    areas.push({ kind: area.level, name: area.name, context, lon: area.labelAt[0], lat: area.labelAt[1], key: normaliseQuery(area.fullName) });
  }
  areas.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.key.length - b.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const listedPlaces: { place: Place; key: string }[] = [];
  const listedNames = new Set<string>();
  for (const entry of listed) {
    const name = normaliseQuery(entry.name);
    if (name === "" || listedNames.has(name) || !Number.isFinite(entry.lon) || !Number.isFinite(entry.lat)) continue;
    listedNames.add(name);
    const key = [name, ...entry.aliases.map(normaliseQuery).filter((alias) => alias !== "")].join(ALIAS_MARK);
    const context = [entry.address, ...entry.aliases].filter((part): part is string => part !== undefined && part !== "").join(" · ");
    listedPlaces.push({ place: { kind: "listed", name: entry.name, context, lon: entry.lon, lat: entry.lat, ...(entry.address ? { address: entry.address } : {}) }, key });
  }

  // One entry per address, at its most recent case; an address the list has is the list's.
  const latest = new Map<string, PastAddress & { key: string }>();
  for (const past of addresses) {
    const key = normaliseQuery(past.address);
    if (key === "" || listedNames.has(key) || !Number.isFinite(past.lon) || !Number.isFinite(past.lat)) continue;
    const seen = latest.get(key);
    if (!seen || past.at > seen.at) latest.set(key, { ...past, address: past.address.trim(), key });
  }
  const recent = [...latest.values()].sort((a, b) => b.at - a.at);

  const places: Place[] = [];
  const keys: string[] = [];
  for (const { key, ...place } of areas) {
    places.push(place);
    keys.push(key);
  }
  for (const { place, key } of listedPlaces) {
    places.push(place);
    keys.push(key);
  }
  for (const past of recent) {
    places.push({ kind: "address", name: past.address, context: "", lon: past.lon, lat: past.lat });
    keys.push(past.key);
  }
  return { places, keys };
}

export const SEARCH_LIMIT = 10;

/**
 * The places whose name starts with the query, then those that contain it,
 * each in the gazetteer's order, at most `limit`. One pass that stops once
 * enough names start with the query: a keystroke over 130,000 names costs a
 * few milliseconds.
 */
export function searchGazetteer(gazetteer: Gazetteer, query: string, limit = SEARCH_LIMIT): Place[] {
  const needle = normaliseQuery(query);
  if (needle === "" || limit <= 0) return [];
  const prefix: Place[] = [];
  const contains: Place[] = [];
  const { places, keys } = gazetteer;
  for (let i = 0; i < keys.length && prefix.length < limit; i++) {
    const key = keys[i] as string;
    const at = key.indexOf(needle);
    // A listed place's alias that starts with the query counts as its name would.
    if (at === 0 || (at > 0 && key[at - 1] === ALIAS_MARK)) prefix.push(places[i] as Place);
    else if (at > 0 && contains.length < limit) contains.push(places[i] as Place);
  }
  return prefix.concat(contains).slice(0, limit);
}
