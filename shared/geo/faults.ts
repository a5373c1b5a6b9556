/*
 * What can be wrong with a grid layer, as closed codes with parameters, so a
 * view says it in the console's language (renderer/src/map/region-faults.ts)
 * while the log keeps the English sentence (`fault`). Numbers that point into
 * the file (polygon, hole, position, edges) count from 1, as a GIS tool shows
 * them; `polygon` is 0 for a geometry of one polygon and `hole` 0 for the
 * outer ring.
 */

export const GEOMETRY_FAULT_CODES = [
  "noGeometry",
  "notAreaGeometry",
  "noCoordinates",
  "polygonNoRings",
  "ringNotArray",
  "ringTooLarge",
  "positionNotPair",
  "positionNotFinite",
  "positionOutOfRange",
  "ringTooShort",
  "ringNotClosed",
  "ringSelfCrossing",
  "ringZeroArea",
] as const;
export type GeometryFaultCode = (typeof GEOMETRY_FAULT_CODES)[number];

export const REGION_FAULT_CODES = [
  ...GEOMETRY_FAULT_CODES,
  // The whole layer.
  "notFeatureCollection",
  "layerTooLarge",
  "noGrids",
  "manyDistricts",
  "importFailed",
  // One feature.
  "notFeature",
  "noCode",
  "noName",
  "noLevel",
  "badLevel",
  "badCode",
  "parentMismatch",
  "duplicateCode",
  "extraDistrict",
  "parentMissing",
  "parentLeftOut",
  "outsideParent",
  "beyondParent",
  "overlaps",
  // Warnings: the layer is drawn as it is meant.
  "dissolveFailed",
  "derivedLevel",
  "tinyGrid",
] as const;
export type RegionFaultCode = (typeof REGION_FAULT_CODES)[number];

export type FaultParams = Record<string, string | number>;

/**
 * One fault of a grid layer. `feature` and `fault` are the English for logs
 * ("#12 110101001001001 东华门1: the outer ring intersects itself: …");
 * `index` (0-based place in the FeatureCollection), `areaCode` and `name` say
 * which feature, where there is one; `omitted` is true when the feature is left
 * out of the drawn layer (its neighbours are drawn), false when it is drawn but
 * wrong (an overlap).
 */
export type RegionImportIssue = {
  feature: string;
  fault: string;
  code: RegionFaultCode;
  params: FaultParams;
  index?: number;
  areaCode?: string;
  name?: string;
  omitted?: boolean;
};
