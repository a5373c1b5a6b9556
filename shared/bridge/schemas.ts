import { z } from "zod";
import { LIMITS } from "../protocol/limits.js";
import { INCIDENT_STATUSES, SOURCES, commandPayloads } from "../protocol/schemas.js";
import type { CommandType } from "../protocol/types.js";
import { HANDOVER_NOTE_LIMIT } from "./handover.js";
import { QUEUE_WINDOW_MAX } from "./queue.js";
import { WALL_PUSH_KINDS, WALL_PUSH_MAX_MINUTES } from "./wall.js";
import { BRIDGE_CALLS, type BridgeCallName, type BridgeCalls, type BridgeError, type Result } from "./contract.js";

/*
 * Schemas of every bridge call's request. Both hosts (Electron IPC, web host)
 * validate what a view sends with these before the engine sees it: a view is
 * untrusted input as far as the engine is concerned (a compromised renderer,
 * a stray page on loopback). The table is typed by the contract, so a call
 * added to `BridgeCalls` without a schema here fails the build.
 */

const id = z.string().min(1).max(LIMITS.idLength);
const version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const empty = z.strictObject({});
const epochMs = z.number().int().min(0).max(8.64e15);
const operatorName = z.string().trim().min(1).max(LIMITS.shortText);

type IncidentCommandType = Exclude<CommandType, "report">;

function incidentCommand<T extends IncidentCommandType>(type: T) {
  return z.strictObject({
    type: z.literal(type),
    incidentId: id,
    expectedVersion: version.optional(),
    payload: commandPayloads[type],
  });
}

/*
 * The console makes `clientRef` when the engine queues the report, so a view
 * may leave it out; everything else is checked as the platform will check it.
 */
const reportDraft = z.strictObject({
  type: z.literal("report"),
  payload: commandPayloads.report.partial({ clientRef: true }),
});

export const commandDraft = z.discriminatedUnion("type", [
  incidentCommand("register"),
  incidentCommand("reject"),
  incidentCommand("dispatch"),
  incidentCommand("urge"),
  incidentCommand("close"),
  incidentCommand("rework"),
  incidentCommand("annotate"),
  incidentCommand("evaluate"),
  reportDraft,
]);

/** A queue filter as shared/domain/queue.ts `QueueFilter` has it (codes are matched as prefixes). */
const queueFilter = z.strictObject({
  statuses: z.array(z.enum(INCIDENT_STATUSES)).max(INCIDENT_STATUSES.length),
  category: z.string().min(1).max(LIMITS.idLength).nullable(),
  area: z.string().min(1).max(LIMITS.idLength).nullable(),
  departmentId: id.nullable(),
  source: z.enum(SOURCES).nullable(),
  overdueOnly: z.boolean(),
  search: z.string().max(LIMITS.shortText),
});

/** Most cases one getCases may ask for: a page holds a few (the detail, a pushed case), never the world. */
export const CASES_PER_CALL = 200;

type RequestSchemas = { [K in BridgeCallName]: z.ZodType<BridgeCalls[K]["request"]> };

export const bridgeRequestSchemas: RequestSchemas = {
  getInitialState: empty,
  getIncident: z.strictObject({ id }),
  getCases: z.strictObject({ ids: z.array(id).max(CASES_PER_CALL) }),
  getPastAddresses: empty,
  getRoster: empty,
  getIncidentMarkers: empty,
  // A reveal is audited with why: no reason, no reveal (the page asks for one before it calls).
  revealReporter: z.strictObject({ incidentId: id, reason: z.string().trim().min(1, "a reason is required").max(LIMITS.shortText) }),
  sendCommand: commandDraft,
  dismissOutbox: z.strictObject({ commandId: id }),
  retryOutbox: z.strictObject({ commandId: id, expectedVersion: version.optional() }),
  acknowledgeAlert: z.strictObject({ id }),
  acknowledgeAttention: z.strictObject({ key: z.string().min(1).max(LIMITS.idLength + 8) }),
  getDiagnostics: empty,
  getRegionLayer: empty,
  getCoverage: z.strictObject({ days: z.number().int().min(1).max(366).optional() }),
  getPatrolChecks: empty,
  getPatrolTrack: z.strictObject({ unitId: id, from: epochMs.optional(), to: epochMs.optional() }),
  getAssessment: z.strictObject({ week: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
  getHandover: empty,
  writeHandover: z.strictObject({ note: z.string().max(HANDOVER_NOTE_LIMIT), name: operatorName.optional() }),
  acknowledgeHandover: z.strictObject({ id, name: operatorName.optional() }),
  getHandoverRecord: z.strictObject({ id: id.optional() }),
  getWall: empty,
  pushToWall: z.strictObject({ kind: z.enum(WALL_PUSH_KINDS), id, name: operatorName.optional(), minutes: z.number().int().min(1).max(WALL_PUSH_MAX_MINUTES).optional() }),
  clearWall: z.strictObject({ pushId: id.optional() }),
  queueWindow: z.strictObject({ filter: queueFilter, offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(QUEUE_WINDOW_MAX) }),
};

export const bridgeCallName = z.enum(BRIDGE_CALLS);

export function isBridgeCallName(name: unknown): name is BridgeCallName {
  return bridgeCallName.safeParse(name).success;
}

/** Validates a request for `name`; the error names the first bad field and why. */
export function parseBridgeRequest<K extends BridgeCallName>(name: K, request: unknown): Result<BridgeCalls[K]["request"]> {
  const parsed = bridgeRequestSchemas[name].safeParse(request);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: invalid(name, parsed.error) };
}

function invalid(name: string, error: z.ZodError): BridgeError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "request";
  return { code: "invalid", message: `${name}: ${where}: ${issue?.message ?? "invalid"}` };
}
