import type { RegionFeature, RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { districtShapes } from "./boundaries.js";
import { planarArea } from "./cut.js";
import type { MultiPolygon } from "./cut.js";
import { childrenByParent, parseAnchors, parseDivisions } from "./divisions.js";
import type { Division } from "./divisions.js";
import { byReadingOrder, gridCode, gridName, toFeature } from "./features.js";
import { nodeSharedVertices } from "./noding.js";
import { apportion, splitBlocks, splitByAnchors, splitEqual } from "./partition.js";

/*
 * The default region layer: Dongcheng's real boundary, its real streets and
 * communities (names and codes from the statistics bureau list), and
 * synthetic geometry below the district: streets around approximate anchor
 * points, communities of equal area within each street, and grids of about
 * equal area (so about equal households, at uniform density) within each
 * community, numbered west to east, north to south.
 */

export const DONGCHENG = "110101";
/** Dongcheng ran 589 grids (SOURCES.md). */
export const DONGCHENG_GRIDS = 589;
/** 东直门街道 split its 10 communities into 34 grids (SOURCES.md). */
export const DONGZHIMEN = { street: "110101009", grids: 34 } as const;

export type ReferenceTexts = { divisionsCsv: string; districtsGeojson: string; anchorsCsv: string };

function childrenOf(children: Map<string, Division[]>, code: string, level: Division["level"]): Division[] {
  const list = (children.get(code) ?? []).filter((d) => d.level === level);
  if (list.length === 0) throw new Error(`${code} has no ${level} in beijing-divisions.csv`);
  return list;
}

/** Grids per community: the district total, with 东直门's fixed share, spread by area. */
function gridCounts(communities: readonly { division: Division; shape: MultiPolygon }[]): Map<string, number> {
  const inStreet = communities.filter((c) => c.division.parentCode === DONGZHIMEN.street);
  const elsewhere = communities.filter((c) => c.division.parentCode !== DONGZHIMEN.street);
  const out = new Map<string, number>();
  const share = (group: typeof communities, total: number): void => {
    const counts = apportion(
      group.map((c) => planarArea(c.shape)),
      total,
    );
    group.forEach((c, index) => out.set(c.division.code, counts[index] as number));
  };
  share(inStreet, DONGZHIMEN.grids);
  share(elsewhere, DONGCHENG_GRIDS - DONGZHIMEN.grids);
  return out;
}

export function buildDongchengLayer(texts: ReferenceTexts): RegionFeatureCollection {
  const divisions = parseDivisions(texts.divisionsCsv);
  const children = childrenByParent(divisions);
  const district = divisions.find((d) => d.code === DONGCHENG);
  const districtShape = districtShapes(texts.districtsGeojson, DONGCHENG).get(DONGCHENG);
  if (district === undefined || districtShape === undefined) throw new Error(`district ${DONGCHENG} missing from the reference data`);

  const streets = childrenOf(children, DONGCHENG, "street");
  const anchors = parseAnchors(texts.anchorsCsv);
  const streetCodes = new Set(streets.map((s) => s.code));
  if (anchors.length !== streets.length || anchors.some((a) => !streetCodes.has(a.code))) throw new Error("street anchors do not match the streets of beijing-divisions.csv");
  const streetShapes = splitByAnchors(
    districtShape,
    anchors.map((a) => ({ id: a.code, lon: a.lon, lat: a.lat })),
  );

  const features: RegionFeature[] = [toFeature("district", district.code, district.name, undefined, districtShape)];
  const communities: { division: Division; shape: MultiPolygon }[] = [];
  for (const street of streets) {
    const shape = streetShapes.get(street.code);
    if (shape === undefined) throw new Error(`street ${street.code} got no area`);
    features.push(toFeature("street", street.code, street.name, DONGCHENG, shape));
    const members = childrenOf(children, street.code, "community");
    // Codes go to the pieces in reading order, so neighbouring codes sit side by side.
    const pieces = splitEqual(shape, members.length).sort(byReadingOrder);
    members.forEach((division, index) => communities.push({ division, shape: pieces[index] as MultiPolygon }));
  }
  for (const { division, shape } of communities) features.push(toFeature("community", division.code, division.name, division.parentCode, shape));

  const counts = gridCounts(communities);
  for (const { division, shape } of communities) {
    splitBlocks(shape, counts.get(division.code) ?? 1).forEach((piece, index) => {
      features.push(toFeature("grid", gridCode(division.code, index + 1), gridName(division.name, index + 1), division.code, piece));
    });
  }
  return nodeSharedVertices({ type: "FeatureCollection", features });
}
