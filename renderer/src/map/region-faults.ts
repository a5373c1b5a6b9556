import { REGION_LEVELS, type RegionLevel } from "../../../shared/geo/region.js";
import type { FaultParams, RegionImportIssue } from "../../../shared/geo/faults.js";
import { fill, pick } from "../i18n/index.js";
import type { Language } from "../state/ui.js";
import { regionFaultMessages } from "./region-fault-messages.js";

/*
 * A grid layer's fault as a duty operator reads it: which feature (its place
 * in the file, code and name) and what is wrong, in the console's language,
 * from the fault's code and parameters (the English `fault` is for logs).
 */

export type DescribedFault = { where: string; what: string };

function levelName(value: string | number | undefined, text: Record<RegionLevel, string>): string {
  return REGION_LEVELS.includes(value as RegionLevel) ? text[value as RegionLevel] : String(value ?? "");
}

function ringPlace(params: FaultParams, text: (typeof regionFaultMessages)["en"]): string {
  const hole = Number(params.hole ?? 0);
  const polygon = Number(params.polygon ?? 0);
  const ring = hole === 0 ? text.outerRing : fill(text.hole, { hole });
  return polygon > 0 ? fill(text.ringOfPolygon, { polygon, ring }) : ring;
}

export function describeRegionFault(issue: RegionImportIssue, language: Language): DescribedFault {
  const text = pick(regionFaultMessages, language);
  const params: FaultParams = {
    ...issue.params,
    ring: ringPlace(issue.params, text),
    levelName: levelName(issue.params.level, text),
    parentLevelName: levelName(issue.params.parentLevel, text),
    childName: levelName(issue.params.child, text),
  };
  const named = [issue.areaCode, issue.name].filter((part) => part !== undefined).join(" ");
  let where: string;
  if (issue.index !== undefined) where = `${fill(text.feature, { index: issue.index })}${named === "" ? "" : ` · ${named}`}`;
  else if (issue.areaCode !== undefined) where = fill(text.derived, { levelName: levelName(issue.params.level, text), code: issue.areaCode });
  else where = text.layer;
  const what = fill(text[issue.code], params);
  // The English sentences start lower-case, as in the log's "feature: fault"; on the map each stands alone.
  return { where, what: language === "en" ? `${what.charAt(0).toUpperCase()}${what.slice(1)}` : what };
}
