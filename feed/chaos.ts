import { toBeijingIso } from "../shared/domain/time.js";
import type { Rng } from "./rng.js";
import { LIMITS } from "../shared/protocol/limits.js";
import type { Delta } from "../shared/protocol/types.js";

/*
 * Chaos for the reliability tests. Rates are probabilities: per second and
 * connection for drop and stall, per second for epoch, per delta sent for
 * repeat, reorder and malformed. Chaos distorts only what one connection is
 * sent; the store and the seq stream stay right (an epoch change is a real,
 * legal epoch change, as after a platform restart).
 */

export type ChaosSettings = {
  drop: number;
  stall: number;
  /** How long a stall lasts, real ms (longer than the console's 15 s stall limit by default). */
  stallMs: number;
  repeat: number;
  reorder: number;
  epoch: number;
  malformed: number;
  /** Per live delta: add fields and an event type this contract version does not know (a console ignores them and applies the rest). */
  extend: number;
};

export const NO_CHAOS: ChaosSettings = { drop: 0, stall: 0, stallMs: 20_000, repeat: 0, reorder: 0, epoch: 0, malformed: 0, extend: 0 };
export const CHAOS_KEYS = ["drop", "stall", "stallMs", "repeat", "reorder", "epoch", "malformed", "extend"] as const satisfies readonly (keyof ChaosSettings)[];

/** Merges a partial update, refusing rates outside [0, 1] and negative durations. */
export function mergeChaos(current: ChaosSettings, update: unknown): { ok: true; value: ChaosSettings } | { ok: false; message: string } {
  if (typeof update !== "object" || update === null) return { ok: false, message: "chaos settings must be an object" };
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (!(CHAOS_KEYS as readonly string[]).includes(key)) return { ok: false, message: `unknown chaos setting ${key}` };
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (key !== "stallMs" && value > 1)) {
      return { ok: false, message: `${key} must be ${key === "stallMs" ? "a non-negative number of ms" : "a rate between 0 and 1"}` };
    }
    next[key as keyof ChaosSettings] = value;
  }
  return { ok: true, value: next };
}

export type MalformedKind =
  | "delta-seq-string"
  | "delta-missing-events"
  | "delta-foreign-epoch"
  | "delta-coordinates-out-of-range"
  | "delta-coordinates-null"
  | "delta-oversize-string"
  | "delta-oversize-array"
  | "delta-incident-missing-fields"
  | "snapshot-incomplete"
  | "heartbeat-wrong-types"
  | "positions-bad-fixes"
  | "unknown-event";

export const MALFORMED_KINDS: readonly MalformedKind[] = [
  "delta-seq-string",
  "delta-missing-events",
  "delta-foreign-epoch",
  "delta-coordinates-out-of-range",
  "delta-coordinates-null",
  "delta-oversize-string",
  "delta-oversize-array",
  "delta-incident-missing-fields",
  "snapshot-incomplete",
  "heartbeat-wrong-types",
  "positions-bad-fixes",
  "unknown-event",
];

function ghostIncident(at: string, id: string): Record<string, unknown> {
  return {
    id,
    version: 1,
    title: "混沌测试案件",
    category: { code: "0401", major: "市容环境", minor: "垃圾堆放" },
    priority: "normal",
    status: "reported",
    source: "other",
    lon: 116.43,
    lat: 39.94,
    gridCode: "",
    reworkCount: 0,
    createdAt: at,
    updatedAt: at,
    history: [],
  };
}

/**
 * One message that breaks the contract, as [event name, payload]. Each claims
 * the next seq of the real stream where it can, so a console that accepted it
 * would visibly go wrong; a conforming console drops it and the real delta
 * with that seq still applies.
 */
export function malformedMessage(kind: MalformedKind, context: { epoch: string; seq: number; now: number }, rng: Rng): [string, unknown] {
  const at = toBeijingIso(context.now);
  const next = context.seq + 1;
  const ghost = ghostIncident(at, `CHAOS${rng.int(1, 1e9)}`);
  const delta = (events: unknown, overrides: Record<string, unknown> = {}) => ["delta", { epoch: context.epoch, seq: next, at, events, ...overrides }] as [string, unknown];
  switch (kind) {
    case "delta-seq-string":
      return delta([], { seq: String(next) });
    case "delta-missing-events":
      return ["delta", { epoch: context.epoch, seq: next, at }];
    case "delta-foreign-epoch":
      return delta([{ type: "incident.upsert", incident: ghost }], { epoch: `foreign-${rng.int(1, 1e9)}` });
    case "delta-coordinates-out-of-range":
      return delta([{ type: "incident.upsert", incident: { ...ghost, lon: 1000, lat: -300 } }]);
    case "delta-coordinates-null":
      // What NaN and Infinity become once JSON-encoded.
      return delta([{ type: "incident.upsert", incident: { ...ghost, lon: null, lat: null } }]);
    case "delta-oversize-string":
      return delta([{ type: "incident.upsert", incident: { ...ghost, title: "超长".repeat(50_000) } }]);
    case "delta-oversize-array":
      return delta(Array.from({ length: 5001 }, (_, i) => ({ type: "alert", alert: { id: `X${i}`, at, level: "info", title: "x" } })));
    case "delta-incident-missing-fields": {
      const { title: _title, status: _status, ...rest } = ghost;
      return delta([{ type: "incident.upsert", incident: rest }]);
    }
    case "snapshot-incomplete":
      // Part 1 of 3 of a snapshot that will never be completed.
      return ["snapshot", { epoch: context.epoch, seq: context.seq + 1_000_000, part: 1, parts: 3, incidents: [ghost], units: [] }];
    case "heartbeat-wrong-types":
      return ["heartbeat", { serverTime: 12345, headSeq: "many" }];
    case "positions-bad-fixes":
      return ["positions", { at, fixes: [["U-x", null, 39.9, context.now, null, null, null], ["U-y", 200, 95, context.now, null, null, null], ["U-z", 116.4, 39.9, "now"], "garbage"] }];
    case "unknown-event":
      return ["incident.teleported", { id: ghost.id, to: "mars" }];
  }
}

/**
 * A real delta as a newer platform might send it: unknown fields on the
 * envelope and on every event, and one event of a type this version lacks.
 * Still the real seq: a conforming console applies the known part.
 */
export function extendedDelta(delta: Delta): Record<string, unknown> {
  const events: unknown[] = delta.events.map((event) => ({ ...event, "x-origin": "platform-v2" }));
  if (events.length < LIMITS.eventsPerDelta) events.push({ type: "incident.merged", from: "X-OLD", into: "X-NEW" });
  return { ...delta, "x-trace": `t-${delta.seq}`, events };
}
