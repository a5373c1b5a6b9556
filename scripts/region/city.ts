import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RegionFeature, RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { districtShapes } from "./boundaries.js";
import { childrenByParent, parseDivisions } from "./divisions.js";
import type { Division } from "./divisions.js";
import { byReadingOrder, gridCode, gridName, toFeature } from "./features.js";
import { splitBlocks, splitEqual } from "./partition.js";

/*
 * Whole-Beijing layer for benchmarks and the feed server's city scale: the
 * 16 real district boundaries, every real street and community code and name
 * (349 and 7,535), and about four grids per community (about 30,000 grids).
 * Coarser than the Dongcheng layer: streets and communities are equal-area
 * cuts with no anchors, and shared vertices are not noded (centimetre
 * slivers along diagonal district edges do not matter to a benchmark). Built
 * in memory, never committed.
 */

export const GRIDS_PER_COMMUNITY = 4;

export type CityTexts = { divisionsCsv: string; districtsGeojson: string };

export function buildCityLayer(texts: CityTexts, gridsPerCommunity = GRIDS_PER_COMMUNITY): RegionFeatureCollection {
  const divisions = parseDivisions(texts.divisionsCsv);
  const children = childrenByParent(divisions);
  const shapes = districtShapes(texts.districtsGeojson);
  const features: RegionFeature[] = [];
  const districts = divisions.filter((d) => d.level === "district").sort((a, b) => (a.code < b.code ? -1 : 1));
  const below = (code: string, level: Division["level"]): Division[] => (children.get(code) ?? []).filter((d) => d.level === level);

  for (const district of districts) {
    const districtShape = shapes.get(district.code);
    if (districtShape === undefined) throw new Error(`district ${district.code} has no boundary in beijing-districts.geojson`);
    features.push(toFeature("district", district.code, district.name, undefined, districtShape));
    const streets = below(district.code, "street");
    const streetShapes = splitEqual(districtShape, streets.length).sort(byReadingOrder);
    streets.forEach((street, streetIndex) => {
      const streetShape = streetShapes[streetIndex];
      if (streetShape === undefined) throw new Error(`street ${street.code} got no area`);
      features.push(toFeature("street", street.code, street.name, district.code, streetShape));
      const communities = below(street.code, "community");
      const communityShapes = splitEqual(streetShape, communities.length).sort(byReadingOrder);
      communities.forEach((community, communityIndex) => {
        const communityShape = communityShapes[communityIndex];
        if (communityShape === undefined) throw new Error(`community ${community.code} got no area`);
        features.push(toFeature("community", community.code, community.name, street.code, communityShape));
        splitBlocks(communityShape, gridsPerCommunity).forEach((grid, gridIndex) => {
          features.push(toFeature("grid", gridCode(community.code, gridIndex + 1), gridName(community.name, gridIndex + 1), community.code, grid));
        });
      });
    });
  }
  return { type: "FeatureCollection", features };
}

/** The city layer from the repository's resources/data. */
export function generateCityLayer(gridsPerCommunity = GRIDS_PER_COMMUNITY): RegionFeatureCollection {
  const data = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "resources", "data");
  return buildCityLayer(
    {
      divisionsCsv: readFileSync(join(data, "beijing-divisions.csv"), "utf8"),
      districtsGeojson: readFileSync(join(data, "beijing-districts.geojson"), "utf8"),
    },
    gridsPerCommunity,
  );
}
