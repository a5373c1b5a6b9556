import { z } from "zod";
import { LIMITS } from "./limits.js";

/*
 * The feed contract of PROTOCOL.md as schemas. Unknown fields are stripped
 * (zod's default), so a newer platform adding fields never breaks the console.
 */

const id = z.string().min(1).max(LIMITS.idLength);
const shortText = z.string().max(LIMITS.shortText);
const longText = z.string().max(LIMITS.longText);

/** ISO 8601 with an explicit offset or Z, e.g. 2026-11-22T09:30:00.000+08:00. */
export const isoTime = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, "not an ISO 8601 time with offset")
  .refine((s) => Number.isFinite(Date.parse(s)), "not a valid date");

export const epochMs = z.number().int().min(0).max(8.64e15);
export const longitude = z.number().finite().min(-180).max(180);
export const latitude = z.number().finite().min(-90).max(90);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export const INCIDENT_STATUSES = [
  "reported",
  "registered",
  "dispatched",
  "processing",
  "responded",
  "closed",
  "rejected",
] as const;
export const SOURCES = ["patrol", "hotline", "resident_app", "sensor", "console", "other"] as const;
export const UNIT_ROLES = [
  "grid_manager",
  "grid_assistant",
  "grid_supervisor",
  "grid_police",
  "grid_judicial",
  "grid_firefighter",
  "party_secretary",
  "other",
] as const;
export const UNIT_STATUSES = ["on_patrol", "busy", "off_duty", "sos"] as const;
export const ALERT_LEVELS = ["info", "warning", "critical"] as const;
export const COMMAND_TYPES = [
  "register",
  "reject",
  "dispatch",
  "urge",
  "close",
  "rework",
  "annotate",
  "report",
  "evaluate",
] as const;
/** The reporter's verdict after closing (回访), the `evaluate` command's rating. */
export const RATINGS = ["satisfied", "basically_satisfied", "unsatisfied"] as const;
export const RESULT_CODES = ["conflict", "invalid", "forbidden", "not_found"] as const;

export const priority = z.enum(PRIORITIES);
export const incidentStatus = z.enum(INCIDENT_STATUSES);

export const historyEntry = z.object({
  at: isoTime,
  action: shortText,
  actor: shortText,
  note: longText.optional(),
});

export const incident = z.object({
  id,
  clientRef: id.optional(),
  version,
  title: shortText,
  description: longText.optional(),
  category: z.object({ code: z.string().min(1).max(16), major: shortText, minor: shortText }),
  priority,
  status: incidentStatus,
  source: z.enum(SOURCES),
  lon: longitude,
  lat: latitude,
  gridCode: z.string().max(32),
  address: shortText.optional(),
  reporter: z
    .object({ name: shortText.optional(), phone: z.string().max(32).optional(), unitId: id.optional() })
    .optional(),
  department: z.object({ id, name: shortText }).optional(),
  respondBy: isoTime.optional(),
  closeBy: isoTime.optional(),
  reworkCount: z.number().int().min(0).max(10_000),
  createdAt: isoTime,
  updatedAt: isoTime,
  history: z.array(historyEntry).max(LIMITS.historyEntries),
  evaluation: z.object({ rating: z.enum(RATINGS), at: isoTime, note: longText.optional() }).optional(),
});

export const unitFix = z.object({
  lon: longitude,
  lat: latitude,
  at: epochMs,
  heading: z.number().finite().min(0).max(360).optional(),
  speed: z.number().finite().min(0).max(1000).optional(),
  accuracy: z.number().finite().min(0).max(100_000).optional(),
});

export const unit = z.object({
  id,
  name: shortText,
  role: z.enum(UNIT_ROLES),
  gridCode: z.string().max(32),
  phone: z.string().max(32).optional(),
  status: z.enum(UNIT_STATUSES),
  lastFix: unitFix.optional(),
});

export const alert = z.object({
  id,
  at: isoTime,
  level: z.enum(ALERT_LEVELS),
  title: shortText,
  body: longText.optional(),
  unitId: id.optional(),
  incidentId: id.optional(),
  lon: longitude.optional(),
  lat: latitude.optional(),
});

export const feedEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("incident.upsert"), incident }),
  z.object({ type: z.literal("incident.archived"), id, version }),
  z.object({ type: z.literal("unit.upsert"), unit }),
  z.object({ type: z.literal("alert"), alert }),
]);

export const hello = z.object({
  protocol: z.literal(1),
  epoch: id,
  serverTime: isoTime,
  scope: z.object({ districtCode: z.string().min(1).max(16), streetCode: z.string().min(1).max(16).optional() }),
  headSeq: seq,
  /** Optional requests the server answers ("tracks"); unknown names are kept and ignored. */
  capabilities: z.array(z.string().max(LIMITS.idLength)).max(64).optional(),
});

export const snapshot = z
  .object({
    epoch: id,
    seq,
    part: z.number().int().min(1),
    parts: z.number().int().min(1).max(LIMITS.snapshotParts),
    incidents: z.array(incident).max(LIMITS.incidentsPerPart),
    units: z.array(unit).max(LIMITS.unitsPerPart),
  })
  .refine((s) => s.part <= s.parts, { message: "part is past parts", path: ["part"] });

export const delta = z.object({
  epoch: id,
  seq: seq.min(1),
  at: isoTime,
  events: z.array(feedEvent).max(LIMITS.eventsPerDelta),
});

/** `[unitId, lon, lat, atEpochMs, headingDeg | null, speedMps | null, accuracyM | null]` */
export const fix = z.tuple([
  id,
  longitude,
  latitude,
  epochMs,
  z.number().finite().min(0).max(360).nullable(),
  z.number().finite().min(0).max(1000).nullable(),
  z.number().finite().min(0).max(100_000).nullable(),
]);

export const positionsFrame = z.object({ at: isoTime, fixes: z.array(z.unknown()).max(LIMITS.fixesPerFrame) });

/** The `tracks` reply: fixes are checked one by one like a positions frame's, so one bad fix costs only itself. */
export const tracksReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), fixes: z.array(z.unknown()).max(LIMITS.fixesPerTracksReply), next: z.string().min(1).max(1024).optional() }),
  z.object({ ok: z.literal(false), code: z.enum(["invalid", "unavailable"]), message: z.string().max(LIMITS.longText) }),
]);

/** `since <= at < until`; unknown fields are stripped (ignored), as everywhere in the contract. */
export const tracksRequest = z
  .object({
    since: isoTime,
    until: isoTime,
    unitIds: z.array(id).max(LIMITS.tracksUnitIds).optional(),
    cursor: z.string().min(1).max(1024).optional(),
  })
  .refine((r) => Date.parse(r.until) >= Date.parse(r.since), { message: "until is before since", path: ["until"] });

export const heartbeat = z.object({ serverTime: isoTime, headSeq: seq });

export const subscribeRequest = z.object({ epoch: id.optional(), sinceSeq: seq.optional() });

export const subscribeAck = z.object({
  ok: z.literal(true),
  mode: z.enum(["deltas", "snapshot"]),
  headSeq: seq,
});

export const operator = z.object({ id, name: shortText });

const note = longText;
const requiredText = longText.refine((s) => s.trim().length > 0, "must not be empty");

export const commandPayloads = {
  register: z.object({ note: note.optional() }),
  reject: z.object({ reason: requiredText }),
  dispatch: z.object({
    departmentId: id,
    respondBy: isoTime.optional(),
    closeBy: isoTime.optional(),
    note: note.optional(),
  }),
  urge: z.object({ note }),
  close: z.object({ note }),
  rework: z.object({ reason: requiredText }),
  annotate: z.object({ note }),
  evaluate: z.object({ rating: z.enum(RATINGS), note: note.optional() }),
  report: z.object({
    clientRef: id,
    title: shortText.refine((s) => s.trim().length > 0, "must not be empty"),
    categoryCode: z.string().min(1).max(16),
    priority,
    lon: longitude,
    lat: latitude,
    gridCode: z.string().max(32).optional(),
    address: shortText.optional(),
    description: longText.optional(),
    reporter: z.object({ name: shortText.optional(), phone: z.string().max(32).optional() }).optional(),
  }),
} as const;

const commandBase = {
  commandId: id,
  expectedVersion: version.optional(),
  issuedAt: isoTime,
  operator,
};

export const command = z.discriminatedUnion("type", [
  z.object({ ...commandBase, type: z.literal("register"), incidentId: id, payload: commandPayloads.register }),
  z.object({ ...commandBase, type: z.literal("reject"), incidentId: id, payload: commandPayloads.reject }),
  z.object({ ...commandBase, type: z.literal("dispatch"), incidentId: id, payload: commandPayloads.dispatch }),
  z.object({ ...commandBase, type: z.literal("urge"), incidentId: id, payload: commandPayloads.urge }),
  z.object({ ...commandBase, type: z.literal("close"), incidentId: id, payload: commandPayloads.close }),
  z.object({ ...commandBase, type: z.literal("rework"), incidentId: id, payload: commandPayloads.rework }),
  z.object({ ...commandBase, type: z.literal("annotate"), incidentId: id, payload: commandPayloads.annotate }),
  z.object({ ...commandBase, type: z.literal("evaluate"), incidentId: id, payload: commandPayloads.evaluate }),
  z.object({ ...commandBase, type: z.literal("report"), incidentId: z.undefined().optional(), payload: commandPayloads.report }),
]);

// Discriminated on `ok` so a refused result names the offending field rather than "(root)".
export const commandResult = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), incident, duplicate: z.boolean().optional() }),
  z.object({
    ok: z.literal(false),
    code: z.enum(RESULT_CODES),
    message: longText,
    incident: incident.optional(),
  }),
]);
