import type { z } from "zod";
import { checkFeedEvent, checkIncident, checkUnit, isId, isIntIn, isIsoTime, isObject } from "./hand-check.js";
import { LIMITS } from "./limits.js";
import * as s from "./schemas.js";
import type { Delta, Fix, Heartbeat, Hello, PositionsFrame, Snapshot, SubscribeAck, Command, CommandResult, TracksRequest } from "./types.js";

/** Why a message was refused: the first offending field and what is wrong with it. */
export type Rejection = { path: string; reason: string };
export type Checked<T> = { ok: true; value: T } | { ok: false; error: Rejection };

function check<T>(schema: z.ZodType<T>, input: unknown): Checked<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
  return { ok: false, error: { path, reason: issue ? issue.message : "invalid" } };
}

export const parseHello = (input: unknown): Checked<Hello> => check(s.hello, input);
/** Hand-checked (a city snapshot is 100,000 cases); a refusal's reason is the zod schema's own. */
export function parseSnapshot(input: unknown): Checked<Snapshot> {
  const value = checkSnapshot(input);
  return value ? { ok: true, value } : check(s.snapshot, input);
}

/** schemas.ts `snapshot` by hand: its value, or undefined where the schema refuses. */
export function checkSnapshot(input: unknown): Snapshot | undefined {
  if (!isObject(input)) return undefined;
  const { epoch, seq, part, parts, incidents, units } = input as Partial<Record<keyof Snapshot, unknown>>;
  if (!isId(epoch)) return undefined;
  if (!isIntIn(seq, 0, Number.MAX_SAFE_INTEGER) || !isIntIn(part, 1, Number.MAX_SAFE_INTEGER) || !isIntIn(parts, 1, LIMITS.snapshotParts) || part > parts) return undefined;
  if (!Array.isArray(incidents) || incidents.length > LIMITS.incidentsPerPart || !Array.isArray(units) || units.length > LIMITS.unitsPerPart) return undefined;
  const checkedIncidents = new Array<Snapshot["incidents"][number]>(incidents.length);
  for (let i = 0; i < incidents.length; i++) {
    const incident = checkIncident(incidents[i]);
    if (!incident) return undefined;
    checkedIncidents[i] = incident;
  }
  const checkedUnits = new Array<Snapshot["units"][number]>(units.length);
  for (let i = 0; i < units.length; i++) {
    const unit = checkUnit(units[i]);
    if (!unit) return undefined;
    checkedUnits[i] = unit;
  }
  return { epoch, seq, part, parts, incidents: checkedIncidents, units: checkedUnits };
}
/** Hand-checked (the feed's hot path, see hand-check.ts); a refusal's reason is the zod schema's own. */
export function parseDelta(input: unknown): Checked<Delta> {
  const value = checkDelta(input);
  return value ? { ok: true, value } : check(s.delta, input);
}

/** schemas.ts `delta` by hand: its value, or undefined where the schema refuses. */
export function checkDelta(input: unknown): Delta | undefined {
  if (!isObject(input)) return undefined;
  const { epoch, seq, at, events } = input as { epoch?: unknown; seq?: unknown; at?: unknown; events?: unknown };
  if (!isId(epoch)) return undefined;
  if (!isIntIn(seq, 1, Number.MAX_SAFE_INTEGER) || !isIsoTime(at)) return undefined;
  if (!Array.isArray(events) || events.length > LIMITS.eventsPerDelta) return undefined;
  const out = new Array<Delta["events"][number]>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = checkFeedEvent(events[i]);
    if (!event) return undefined;
    out[i] = event;
  }
  return { epoch, seq, at, events: out };
}
export const parseHeartbeat = (input: unknown): Checked<Heartbeat> => check(s.heartbeat, input);
export const parseSubscribeAck = (input: unknown): Checked<SubscribeAck> => check(s.subscribeAck, input);
export const parseCommand = (input: unknown): Checked<Command> => check(s.command, input);
export const parseCommandResult = (input: unknown): Checked<CommandResult> => check(s.commandResult, input);
export const parseFix = (input: unknown): Checked<Fix> => check(s.fix, input);
export const parseTracksRequest = (input: unknown): Checked<TracksRequest> => check(s.tracksRequest, input);

/**
 * A positions frame is checked fix by fix: one bad fix is dropped and counted,
 * the rest of the frame still applies. Hand-written because this is the hot path
 * (tens of thousands of fixes a second), where a schema walk per fix costs too much.
 */
export function parsePositions(input: unknown): Checked<PositionsFrame> & { dropped?: number } {
  if (typeof input !== "object" || input === null) return { ok: false, error: { path: "(root)", reason: "not an object" } };
  const frame = input as { at?: unknown; fixes?: unknown };
  const at = s.isoTime.safeParse(frame.at);
  if (!at.success) return { ok: false, error: { path: "at", reason: "not an ISO 8601 time with offset" } };
  if (!Array.isArray(frame.fixes)) return { ok: false, error: { path: "fixes", reason: "not an array" } };
  if (frame.fixes.length > 100_000) return { ok: false, error: { path: "fixes", reason: "too many fixes" } };
  const fixes: Fix[] = [];
  let dropped = 0;
  for (const raw of frame.fixes) {
    if (isFix(raw)) fixes.push(raw);
    else dropped++;
  }
  return { ok: true, value: { at: at.data, fixes }, dropped };
}

const optionalIn = (v: unknown, min: number, max: number) =>
  v === null || (typeof v === "number" && Number.isFinite(v) && v >= min && v <= max);

export function isFix(raw: unknown): raw is Fix {
  if (!Array.isArray(raw) || raw.length !== 7) return false;
  const [unitId, lon, lat, at, heading, speed, accuracy] = raw as unknown[];
  return (
    typeof unitId === "string" &&
    unitId.length > 0 &&
    unitId.length <= 64 &&
    typeof lon === "number" &&
    Number.isFinite(lon) &&
    lon >= -180 &&
    lon <= 180 &&
    typeof lat === "number" &&
    Number.isFinite(lat) &&
    lat >= -90 &&
    lat <= 90 &&
    typeof at === "number" &&
    Number.isInteger(at) &&
    at >= 0 &&
    at <= 8.64e15 &&
    optionalIn(heading, 0, 360) &&
    optionalIn(speed, 0, 1000) &&
    optionalIn(accuracy, 0, 100_000)
  );
}

/** A `tracks` reply: refused whole only when its frame is wrong; a bad fix inside is counted and left out. */
export function parseTracksReply(input: unknown): Checked<{ ok: true; fixes: Fix[]; next?: string } | { ok: false; code: "invalid" | "unavailable"; message: string }> & { dropped?: number } {
  const frame = check(s.tracksReply, input);
  if (!frame.ok) return frame;
  if (!frame.value.ok) return { ok: true, value: frame.value };
  const fixes: Fix[] = [];
  let dropped = 0;
  for (const raw of frame.value.fixes) {
    if (isFix(raw)) fixes.push(raw);
    else dropped++;
  }
  return { ok: true, value: frame.value.next === undefined ? { ok: true, fixes } : { ok: true, fixes, next: frame.value.next }, dropped };
}
