import type { Category } from "../../shared/bridge/contract.js";
import type { Incident, Priority } from "../../shared/protocol/types.js";
import { toBeijingIso } from "../../shared/domain/time.js";
import type { Rng } from "../rng.js";
import type { SimGrid } from "../region.js";
import { randomPointIn } from "../region.js";
import type { Member } from "./patrol.js";
import type { Source } from "./types.js";
import { caseText, description, gridPlaces, personName, phoneNumber } from "./texts.js";

/*
 * Builds a freshly reported case the way it reaches the platform: a patrol
 * report carries the reporter's unit and sits where they stand; hotline and
 * app reports carry a resident's name and phone (personal data).
 */

export type NewCase = {
  id: string;
  category: Category;
  grid: SimGrid;
  gridIndex: number;
  source: Exclude<Source, "console" | "sensor" | "other">;
  at: number;
  reporter?: Member;
  priority?: Priority;
  title?: string;
  lon?: number;
  lat?: number;
  description?: string;
};

const ACTOR: Record<NewCase["source"], string> = { patrol: "网格员", hotline: "12345热线", resident_app: "居民APP" };

export function buildCase(rng: Rng, spec: NewCase): Incident {
  const text = caseText(rng, spec.category.code, spec.category.minor, spec.grid, gridPlaces(spec.grid, spec.gridIndex));
  const title = spec.title ?? text.title;
  const at = toBeijingIso(spec.at);
  let [lon, lat] = randomPointIn(spec.grid, rng);
  if (spec.reporter) {
    lon = spec.reporter.lon + rng.range(-0.0002, 0.0002);
    lat = spec.reporter.lat + rng.range(-0.0002, 0.0002);
  }
  const incident: Incident = {
    id: spec.id,
    version: 1,
    title,
    description: spec.description ?? description(spec.source, title),
    category: { code: spec.category.code, major: spec.category.major, minor: spec.category.minor },
    priority: spec.priority ?? spec.category.defaultPriority,
    status: "reported",
    source: spec.source,
    lon: Math.round((spec.lon ?? lon) * 1e6) / 1e6,
    lat: Math.round((spec.lat ?? lat) * 1e6) / 1e6,
    gridCode: spec.grid.code,
    address: text.address,
    reworkCount: 0,
    createdAt: at,
    updatedAt: at,
    history: [{ at, action: "report", actor: spec.reporter ? `${ACTOR.patrol} ${spec.reporter.unit.name}` : ACTOR[spec.source] }],
  };
  incident.reporter = spec.reporter ? { name: spec.reporter.unit.name, unitId: spec.reporter.unit.id } : { name: personName(rng), phone: phoneNumber(rng) };
  return incident;
}
