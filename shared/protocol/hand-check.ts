import { LIMITS } from "./limits.js";
import { ALERT_LEVELS, INCIDENT_STATUSES, PRIORITIES, RATINGS, SOURCES, UNIT_ROLES, UNIT_STATUSES } from "./schemas.js";
import type { Alert, FeedEvent, Incident, Unit } from "./types.js";

/*
 * Hand-written twins of the zod schemas the feed's hot path runs through
 * (incident, unit, alert, feed event; schemas.ts stays the specification).
 * Each returns exactly the value the schema returns — a fresh object in the
 * schema's key order, unknown keys stripped, an optional key kept (even as
 * undefined) when it is present in the input — or `undefined` where the
 * schema refuses. They say nothing about why: a caller that needs the
 * reason asks the zod schema, which a refusal is rare enough to afford.
 * properties.test.ts checks them against the schemas on arbitrary and
 * mutated messages.
 */

type Obj = Record<string, unknown>;

/** zod v4's object test: arrays and null are not objects, everything else `typeof "object"` is. */
export const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const isText = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;
export const isId = (v: unknown): v is string => typeof v === "string" && v.length >= 1 && v.length <= LIMITS.idLength;
const isShort = (v: unknown): v is string => typeof v === "string" && v.length <= LIMITS.shortText;
const isLong = (v: unknown): v is string => typeof v === "string" && v.length <= LIMITS.longText;
export const isIntIn = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;
const isNumberIn = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
const isVersion = (v: unknown): v is number => isIntIn(v, 0, Number.MAX_SAFE_INTEGER);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** schemas.ts `isoTime`. */
export const isIsoTime = (v: unknown): v is string => typeof v === "string" && v.length <= 40 && ISO_TIME.test(v) && Number.isFinite(Date.parse(v));

const PRIORITY_SET: ReadonlySet<unknown> = new Set(PRIORITIES);
const STATUS_SET: ReadonlySet<unknown> = new Set(INCIDENT_STATUSES);
const SOURCE_SET: ReadonlySet<unknown> = new Set(SOURCES);
const ROLE_SET: ReadonlySet<unknown> = new Set(UNIT_ROLES);
const UNIT_STATUS_SET: ReadonlySet<unknown> = new Set(UNIT_STATUSES);
const LEVEL_SET: ReadonlySet<unknown> = new Set(ALERT_LEVELS);

/**
 * An optional field: absent (not `in` the input) adds nothing; present, it must
 * be undefined or pass `test`, and is copied as it is (undefined included).
 * Returns false when present and invalid.
 */
function optional(input: Obj, out: Obj, key: string, test: (v: unknown) => boolean): boolean {
  if (!(key in input)) return true;
  const v = input[key];
  if (v !== undefined && !test(v)) return false;
  out[key] = v;
  return true;
}

function historyEntry(raw: unknown): Incident["history"][number] | undefined {
  if (!isObject(raw)) return undefined;
  const { at, action, actor } = raw;
  if (!isIsoTime(at) || !isShort(action) || !isShort(actor)) return undefined;
  const out: Obj = { at, action, actor };
  if (!optional(raw, out, "note", isLong)) return undefined;
  return out as Incident["history"][number];
}

function reporterOf(raw: unknown): Incident["reporter"] | undefined {
  if (!isObject(raw)) return undefined;
  const out: Obj = {};
  if (!optional(raw, out, "name", isShort) || !optional(raw, out, "phone", (v) => isText(v, 32)) || !optional(raw, out, "unitId", isId)) return undefined;
  return out;
}

const isDepartment = (v: unknown): boolean => isObject(v) && isId(v.id) && isShort(v.name);
const RATING_SET: ReadonlySet<unknown> = new Set(RATINGS);

function evaluationOf(raw: unknown): Incident["evaluation"] | undefined {
  if (!isObject(raw)) return undefined;
  const { rating, at } = raw;
  if (!RATING_SET.has(rating) || !isIsoTime(at)) return undefined;
  const out: Obj = { rating, at };
  if (!optional(raw, out, "note", isLong)) return undefined;
  return out as Incident["evaluation"];
}

/** schemas.ts `incident`. */
export function checkIncident(raw: unknown): Incident | undefined {
  if (!isObject(raw)) return undefined;
  const out: Obj = {};
  const { id } = raw;
  if (!isId(id)) return undefined;
  out.id = id;
  if (!optional(raw, out, "clientRef", isId)) return undefined;
  const { version, title, category, priority, status, source, lon, lat, gridCode } = raw;
  if (!isVersion(version) || !isShort(title)) return undefined;
  out.version = version;
  out.title = title;
  if (!optional(raw, out, "description", isLong)) return undefined;
  if (!isObject(category)) return undefined;
  const { code, major, minor } = category;
  if (typeof code !== "string" || code.length < 1 || code.length > 16 || !isShort(major) || !isShort(minor)) return undefined;
  out.category = { code, major, minor };
  if (!PRIORITY_SET.has(priority) || !STATUS_SET.has(status) || !SOURCE_SET.has(source)) return undefined;
  if (!isNumberIn(lon, -180, 180) || !isNumberIn(lat, -90, 90) || !isText(gridCode, 32)) return undefined;
  out.priority = priority;
  out.status = status;
  out.source = source;
  out.lon = lon;
  out.lat = lat;
  out.gridCode = gridCode;
  if (!optional(raw, out, "address", isShort)) return undefined;
  if ("reporter" in raw) {
    const reporter = raw.reporter;
    if (reporter === undefined) out.reporter = undefined;
    else {
      const checked = reporterOf(reporter);
      if (!checked) return undefined;
      out.reporter = checked;
    }
  }
  if ("department" in raw) {
    const department = raw.department;
    if (department !== undefined && !isDepartment(department)) return undefined;
    out.department = department === undefined ? undefined : { id: (department as Obj).id, name: (department as Obj).name };
  }
  if (!optional(raw, out, "respondBy", isIsoTime) || !optional(raw, out, "closeBy", isIsoTime)) return undefined;
  const { reworkCount, createdAt, updatedAt, history } = raw;
  if (!isIntIn(reworkCount, 0, 10_000) || !isIsoTime(createdAt) || !isIsoTime(updatedAt)) return undefined;
  if (!Array.isArray(history) || history.length > LIMITS.historyEntries) return undefined;
  out.reworkCount = reworkCount;
  out.createdAt = createdAt;
  out.updatedAt = updatedAt;
  const entries = new Array<Incident["history"][number]>(history.length);
  for (let i = 0; i < history.length; i++) {
    const entry = historyEntry(history[i]);
    if (!entry) return undefined;
    entries[i] = entry;
  }
  out.history = entries;
  if ("evaluation" in raw) {
    const evaluation = raw.evaluation;
    if (evaluation === undefined) out.evaluation = undefined;
    else {
      const checked = evaluationOf(evaluation);
      if (!checked) return undefined;
      out.evaluation = checked;
    }
  }
  return out as Incident;
}

const isHeading = (v: unknown): boolean => isNumberIn(v, 0, 360);
const isSpeed = (v: unknown): boolean => isNumberIn(v, 0, 1000);
const isAccuracy = (v: unknown): boolean => isNumberIn(v, 0, 100_000);

function fixOf(raw: unknown): Unit["lastFix"] | undefined {
  if (!isObject(raw)) return undefined;
  const { lon, lat, at } = raw;
  if (!isNumberIn(lon, -180, 180) || !isNumberIn(lat, -90, 90) || !isIntIn(at, 0, 8.64e15)) return undefined;
  const out: Obj = { lon, lat, at };
  if (!optional(raw, out, "heading", isHeading) || !optional(raw, out, "speed", isSpeed) || !optional(raw, out, "accuracy", isAccuracy)) return undefined;
  return out as Unit["lastFix"];
}

/** schemas.ts `unit`. */
export function checkUnit(raw: unknown): Unit | undefined {
  if (!isObject(raw)) return undefined;
  const { id, name, role, gridCode } = raw;
  if (!isId(id) || !isShort(name) || !ROLE_SET.has(role) || !isText(gridCode, 32)) return undefined;
  const out: Obj = { id, name, role, gridCode };
  if (!optional(raw, out, "phone", (v) => isText(v, 32))) return undefined;
  const { status } = raw;
  if (!UNIT_STATUS_SET.has(status)) return undefined;
  out.status = status;
  if ("lastFix" in raw) {
    const lastFix = raw.lastFix;
    if (lastFix === undefined) out.lastFix = undefined;
    else {
      const checked = fixOf(lastFix);
      if (!checked) return undefined;
      out.lastFix = checked;
    }
  }
  return out as Unit;
}

/** schemas.ts `alert`. */
export function checkAlert(raw: unknown): Alert | undefined {
  if (!isObject(raw)) return undefined;
  const { id, at, level, title } = raw;
  if (!isId(id) || !isIsoTime(at) || !LEVEL_SET.has(level) || !isShort(title)) return undefined;
  const out: Obj = { id, at, level, title };
  if (
    !optional(raw, out, "body", isLong) ||
    !optional(raw, out, "unitId", isId) ||
    !optional(raw, out, "incidentId", isId) ||
    !optional(raw, out, "lon", (v) => isNumberIn(v, -180, 180)) ||
    !optional(raw, out, "lat", (v) => isNumberIn(v, -90, 90))
  )
    return undefined;
  return out as Alert;
}

/** schemas.ts `feedEvent`: the type picks the shape; any other type is refused. */
export function checkFeedEvent(raw: unknown): FeedEvent | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case "incident.upsert": {
      const incident = checkIncident(raw.incident);
      return incident && { type: "incident.upsert", incident };
    }
    case "incident.archived": {
      const { id, version } = raw;
      return isId(id) && isVersion(version) ? { type: "incident.archived", id, version } : undefined;
    }
    case "unit.upsert": {
      const unit = checkUnit(raw.unit);
      return unit && { type: "unit.upsert", unit };
    }
    case "alert": {
      const alert = checkAlert(raw.alert);
      return alert && { type: "alert", alert };
    }
    default:
      return undefined;
  }
}
