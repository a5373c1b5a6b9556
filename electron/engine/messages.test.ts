import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LIMITS } from "../../shared/protocol/limits.js";
import { feedEvent, isoTime } from "../../shared/protocol/schemas.js";
import type { FeedEvent } from "../../shared/protocol/types.js";
import { parseDeltaMessage } from "./messages.js";

/*
 * parseDeltaMessage checks by hand what zod used to check: it must answer
 * exactly what the zod-only parser it replaced answers, reasons included.
 */

const envelope = z.object({
  epoch: z.string().min(1).max(LIMITS.idLength),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  at: isoTime,
  events: z.array(z.unknown()).max(LIMITS.eventsPerDelta),
});
const KNOWN = new Set(["incident.upsert", "incident.archived", "unit.upsert", "alert"]);
const issueOf = (error: z.ZodError) => {
  const issue = error.issues[0];
  return { path: issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)", reason: issue?.message ?? "invalid" };
};

/** The parser as it was, zod only. */
function reference(input: unknown) {
  const head = envelope.safeParse(input);
  if (!head.success) return { ok: false as const, error: issueOf(head.error) };
  const events: FeedEvent[] = [];
  let unknownEvents = 0;
  for (const [index, raw] of head.data.events.entries()) {
    const type = typeof raw === "object" && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (typeof type === "string" && !KNOWN.has(type)) {
      unknownEvents++;
      continue;
    }
    const event = feedEvent.safeParse(raw);
    if (!event.success) {
      const issue = issueOf(event.error);
      return { ok: false as const, error: { path: `events.${index}.${issue.path}`, reason: issue.reason } };
    }
    events.push(event.data);
  }
  return { ok: true as const, value: { epoch: head.data.epoch, seq: head.data.seq, at: head.data.at, events, unknownEvents } };
}

const incident = {
  id: "DC1",
  version: 3,
  title: "占道经营",
  category: { code: "0501", major: "街面秩序", minor: "占道经营" },
  priority: "normal",
  status: "dispatched",
  source: "patrol",
  lon: 116.4,
  lat: 39.9,
  gridCode: "110101009003001",
  reporter: { name: "王芳", unitId: "U1" },
  department: { id: "D01", name: "城管" },
  respondBy: "2026-11-22T13:30:00.000+08:00",
  reworkCount: 0,
  createdAt: "2026-11-22T09:00:00.000+08:00",
  updatedAt: "2026-11-22T09:30:00.000+08:00",
  history: [{ at: "2026-11-22T09:00:00.000+08:00", action: "report", actor: "王芳", note: "n" }],
};
const events: unknown[] = [
  { type: "incident.upsert", incident },
  { type: "incident.archived", id: "DC2", version: 7 },
  { type: "unit.upsert", unit: { id: "U1", name: "王芳", role: "grid_manager", gridCode: "1", status: "busy", lastFix: { lon: 1, lat: 2, at: 3, heading: 4 } } },
  { type: "alert", alert: { id: "A1", at: "2026-11-22T09:31:00Z", level: "info", title: "t", lon: 1 } },
  { type: "incident.merged", into: "DC1" },
];

const value = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom<unknown>("", "x", "incident.merged", "alert", 0, 1, -1, 1.5, NaN, Infinity, null, undefined, {}, [], "2026-02-30T10:00:00Z", "2026-11-22T09:31:00Z", "字".repeat(201)),
);

function mutate(root: unknown, keys: (string | number)[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node: unknown = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return copy;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (typeof node !== "object" || node === null || keys.length === 0) return copy;
  const last = keys[keys.length - 1]!;
  if (remove) delete (node as Record<string | number, unknown>)[last];
  else (node as Record<string | number, unknown>)[last] = replacement;
  return copy;
}

function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== "object" || v === null) return [prefix];
  const entries = Array.isArray(v) ? v.map((c, i) => [i, c] as const) : Object.entries(v);
  return [prefix, ...entries.flatMap(([k, c]) => paths(c, [...prefix, k]))];
}

describe("parseDeltaMessage", () => {
  it("answers what the zod-only parser answers, for deltas with one field changed or removed", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(events), fc.integer({ min: 1, max: 2 ** 53 }), fc.nat(), value, fc.boolean(), (chosen, seq, pick, replacement, remove) => {
        const delta = { epoch: "e-1", seq, at: "2026-11-22T09:31:00.000+08:00", events: chosen };
        const all = paths(delta);
        const input = mutate(delta, all[pick % all.length]!, replacement, remove);
        const actual = parseDeltaMessage(input);
        const expected = reference(input);
        expect(actual).toStrictEqual(expected);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 3000 },
    );
  });

  it("answers what the zod-only parser answers, for anything", () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 3, withNullPrototype: true }), (input) => {
        expect(parseDeltaMessage(input)).toStrictEqual(reference(input));
      }), { numRuns: 500 });
  });
});
