import type { RegionLevel } from "../../shared/geo/region.js";

/*
 * Readers for the reference files the generators start from
 * (resources/data, see its SOURCES.md). Pure: callers pass the text in.
 */

export type Division = { code: string; name: string; level: Exclude<RegionLevel, "grid">; parentCode: string };

const LEVELS = new Set(["district", "street", "community"]);
const CODE_LENGTH = { district: 6, street: 9, community: 12 } as const;

/** beijing-divisions.csv: code,name,level,parent_code (CRLF tolerated). */
export function parseDivisions(text: string): Division[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== "code,name,level,parent_code") throw new Error("beijing-divisions.csv: unexpected header");
  const out: Division[] = [];
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === "") return;
    const [code = "", name = "", level = "", parentCode = ""] = line.split(",").map((cell) => cell.trim());
    if (!LEVELS.has(level)) throw new Error(`beijing-divisions.csv:${index + 2}: unknown level "${level}"`);
    const typed = level as Division["level"];
    if (!new RegExp(`^\\d{${CODE_LENGTH[typed]}}$`).test(code)) throw new Error(`beijing-divisions.csv:${index + 2}: malformed ${level} code "${code}"`);
    out.push({ code, name, level: typed, parentCode });
  });
  return out;
}

export type StreetAnchor = { code: string; name: string; lon: number; lat: number };

/** dongcheng-street-anchors.csv: code,name,lon,lat. */
export function parseAnchors(text: string): StreetAnchor[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== "code,name,lon,lat") throw new Error("dongcheng-street-anchors.csv: unexpected header");
  return lines
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [code = "", name = "", lon = "", lat = ""] = line.split(",").map((cell) => cell.trim());
      return { code, name, lon: Number(lon), lat: Number(lat) };
    });
}

/** Children of each code, in code order (the CSV is not guaranteed sorted). */
export function childrenByParent(divisions: readonly Division[]): Map<string, Division[]> {
  const out = new Map<string, Division[]>();
  for (const division of divisions) {
    const list = out.get(division.parentCode) ?? [];
    list.push(division);
    out.set(division.parentCode, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return out;
}
