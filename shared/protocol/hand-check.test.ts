import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { checkAlert, checkFeedEvent, checkIncident, checkUnit } from "./hand-check.js";
import * as s from "./schemas.js";
import { ALERT_LEVELS, INCIDENT_STATUSES, PRIORITIES, RATINGS, SOURCES, UNIT_ROLES, UNIT_STATUSES } from "./schemas.js";
import { checkDelta, checkSnapshot, parseDelta, parseSnapshot } from "./validate.js";

/*
 * The hand-written checks against the zod schemas they stand in for: on
 * arbitrary input and on valid messages with one field replaced, removed or
 * added, both accept or both refuse, and what they accept they return alike —
 * the same fields, the same undefined ones, in the same key order.
 */

const valid = JSON.parse(readFileSync(new URL("./corpus/valid.json", import.meta.url), "utf8")) as Record<string, unknown>;
const snapshot = valid.snapshot as { incidents: Record<string, unknown>[]; units: Record<string, unknown>[] };

/** A delta whose events fill every optional field the contract has. */
const full = {
  epoch: "e-2026-1",
  seq: 44,
  at: "2026-11-22T09:31:00.000+08:00",
  events: [
    { type: "incident.upsert", incident: { ...snapshot.incidents[0], clientRef: "ref-9", evaluation: { rating: "basically_satisfied", at: "2026-11-22T09:30:00.000+08:00", note: "回访" } } },
    { type: "incident.upsert", incident: (valid.delta as { events: { incident?: unknown }[] }).events[0]!.incident },
    { type: "incident.archived", id: "DC20261121000099", version: 7 },
    { type: "unit.upsert", unit: snapshot.units[0] },
    { type: "unit.upsert", unit: { id: "U2", name: "李", role: "grid_police", gridCode: "1", phone: "1", status: "sos", lastFix: { lon: 1, lat: 2, at: 3 } } },
    {
      type: "alert",
      alert: { id: "A1", at: "2026-11-22T09:31:00Z", level: "critical", title: "SOS", body: "b", unitId: "U2", incidentId: "DC1", lon: 116.4, lat: 39.9 },
    },
  ],
};

const hostile = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, "", "x".repeat(5000), undefined, null, {}, []),
);

const repeat = (n: number) => "字".repeat(n);
/** Values at and just past the contract's edges, where a hand check is most likely to be off by one. */
const EDGE_VALUES: unknown[] = [
  ...[0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 199, 200, 201, 3999, 4000, 4001].map(repeat),
  -1, 0, -0, 0.5, 1, 1.5, 2, 3, 7, 90, 2000, 2001, 5000, 5001, 9999, 10_000, 10_001, 90.0001, -90.0001, 180, 180.0001, -180, -180.0001, 360, 360.5, 1000, 1000.1, 10_000, 10_001, 100_000, 100_001,
  8.64e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e300, NaN, Infinity,
  "2026-11-22T09:31:00.000+08:00", "2026-11-22T09:31:00Z", "2026-11-22T09:31Z", "2026-11-22T09:31:00.123456789-05:30", "2026-02-30T10:00:00Z",
  "2026-13-01T10:00:00Z", "2026-11-22T25:00:00Z", "2026-11-22T09:31:00", "2026-11-22 09:31:00Z", "2026-11-22T09:31:00.0000000000Z", " 2026-11-22T09:31:00Z",
  "2026-11-22T09:31:00.000+08:00\n", "０２０２6-11-22T09:31:00Z", "+02026-11-22T09:31:00Z",
  ...PRIORITIES, ...INCIDENT_STATUSES, ...SOURCES, ...UNIT_ROLES, ...UNIT_STATUSES, ...ALERT_LEVELS, ...RATINGS, "URGENT", "incident.upsert", "unit.upsert", "alert", "incident.archived", "incident.merged",
  true, false, null, undefined, {}, [], [1], { id: "x" }, { id: "D1", name: "n", extra: 1 }, { name: "n" }, { at: 1, lon: 1, lat: 1 },
];
const edge = fc.constantFrom<unknown>(...EDGE_VALUES);

/** Every path into a value, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

type Edit = { kind: "set"; value: unknown } | { kind: "delete" } | { kind: "add"; key: string; value: unknown };

function edited(root: unknown, path: (string | number)[], edit: Edit): unknown {
  if (path.length === 0 && edit.kind !== "add") return edit.kind === "set" ? edit.value : undefined;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  const last = edit.kind === "add" ? path.length : path.length - 1;
  for (const key of path.slice(0, last)) {
    // An earlier edit may have taken the way there away: then this one changes nothing.
    if (typeof node !== "object" || node === null) return copy;
    node = node[key] as Record<string | number, unknown>;
  }
  if (typeof node !== "object" || node === null) return copy;
  // Adding to an array appends: a named key on an array is not JSON (and "length" would throw).
  if (edit.kind === "add" && Array.isArray(node)) node.push(edit.value);
  else if (edit.kind === "add") node[edit.key] = edit.value;
  // A typed array an earlier edit put there has no deletable elements (and no JSON form): deleting one changes nothing.
  else if (edit.kind === "delete") {
    if (!ArrayBuffer.isView(node)) delete node[path[last]!];
  }
  else node[path[last]!] = edit.value;
  return copy;
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), value: fc.oneof(edge, edge, hostile) }),
  fc.constant({ kind: "delete" as const }),
  fc.record({ kind: fc.constant("add" as const), key: fc.oneof(fc.constantFrom("id", "note", "reporter", "department", "lastFix", "body", "type", "x"), fc.string()), value: fc.oneof(edge, hostile) }),
);

/** Same verdict, same value (deep, undefined fields included), same key order. */
function agree<T>(hand: (input: unknown) => T | undefined, schema: z.ZodType<T>, input: unknown): void {
  const expected = schema.safeParse(input);
  const actual = hand(input);
  expect(actual !== undefined, "the hand check and the schema disagree on accepting it").toBe(expected.success);
  if (expected.success) {
    expect(actual).toStrictEqual(expected.data);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected.data));
    expect(keyOrder(actual)).toEqual(keyOrder(expected.data));
  }
}

/** Every object's own keys in order, depth first: toStrictEqual does not look at order. */
function keyOrder(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  const keys = Array.isArray(value) ? [] : Object.keys(value);
  return [...keys, "|", ...Object.values(value).flatMap(keyOrder)];
}

const CHECKS: [string, (input: unknown) => unknown, z.ZodType<unknown>, unknown][] = [
  ["delta", checkDelta, s.delta, full],
  ["snapshot", checkSnapshot, s.snapshot, { ...snapshot, incidents: [...snapshot.incidents, { ...snapshot.incidents[0], id: "DC2", clientRef: "r" }], units: [...snapshot.units, full.events[4]!.unit] }],
  ["feed event", checkFeedEvent, s.feedEvent, full.events[0]],
  ["incident", checkIncident, s.incident, full.events[0]!.incident],
  ["unit", checkUnit, s.unit, full.events[3]!.unit],
  ["alert", checkAlert, s.alert, full.events[5]!.alert],
];

describe.each(CHECKS)("hand-checked %s", (_name, hand, schema, base) => {
  it("accepts the full example as the schema does", () => {
    expect(schema.safeParse(base).success).toBe(true);
    agree(hand, schema, base);
  });

  it("agrees with the schema on arbitrary input", () => {
    fc.assert(fc.property(hostile, (input) => agree(hand, schema, input)), { numRuns: 500 });
  });

  it("agrees with the schema when one field of a valid message is replaced, removed or added", () => {
    const all = paths(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), editArb, (index, edit) => agree(hand, schema, edited(base, all[index]!, edit))),
      { numRuns: 3000 },
    );
  });

  it("agrees with the schema for every field of a valid message set to every edge value, or removed", () => {
    for (const path of paths(base)) {
      agree(hand, schema, edited(base, path, { kind: "delete" }));
      for (const value of EDGE_VALUES) agree(hand, schema, edited(base, path, { kind: "set", value }));
    }
  });

  it("agrees with the schema when two fields are edited", () => {
    const all = paths(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), editArb, fc.integer({ min: 0, max: all.length - 1 }), editArb, (i, a, j, b) =>
        agree(hand, schema, edited(edited(base, all[i]!, a), all[j]!, b)),
      ),
      { numRuns: 1000 },
    );
  });
});

describe("hand-checked incidents", () => {
  const isoArb = fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2099-12-31") }).map((ms) => new Date(ms).toISOString());
  const text = (max: number) => fc.string({ maxLength: max + 2 });
  const optional = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const incidentLike = fc.record(
    {
      id: fc.string({ maxLength: 66 }),
      clientRef: optional(fc.string({ maxLength: 66 })),
      version: fc.oneof(fc.nat(), fc.double()),
      title: text(200),
      description: optional(text(4000)),
      category: fc.record({ code: fc.string({ maxLength: 17 }), major: text(200), minor: text(200) }),
      priority: fc.constantFrom(...PRIORITIES, "none"),
      status: fc.constantFrom(...INCIDENT_STATUSES, "lost"),
      source: fc.constantFrom(...SOURCES, "fax"),
      lon: fc.double({ min: -181, max: 181 }),
      lat: fc.double({ min: -91, max: 91 }),
      gridCode: text(32),
      address: optional(text(200)),
      reporter: optional(fc.record({ name: text(200), phone: text(32), unitId: fc.string({ maxLength: 66 }) }, { requiredKeys: [] })),
      department: optional(fc.record({ id: fc.string({ maxLength: 66 }), name: text(200) })),
      respondBy: optional(isoArb),
      closeBy: optional(fc.oneof(isoArb, fc.string())),
      reworkCount: fc.integer({ min: -1, max: 10_001 }),
      createdAt: isoArb,
      updatedAt: isoArb,
      history: fc.array(fc.record({ at: isoArb, action: text(200), actor: text(200), note: optional(text(4000)) }, { requiredKeys: ["at", "action", "actor"] }), { maxLength: 51 }),
      evaluation: optional(fc.record({ rating: fc.constantFrom(...RATINGS, "great"), at: isoArb, note: optional(text(4000)) }, { requiredKeys: ["rating", "at"] })),
    },
    { requiredKeys: ["id", "version", "title", "category", "priority", "status", "source", "lon", "lat", "gridCode", "reworkCount", "createdAt", "updatedAt", "history"] },
  );

  it("agree with the schema on generated incidents, near the limits", () => {
    fc.assert(fc.property(incidentLike, (incident) => agree(checkIncident, s.incident, incident)), { numRuns: 2000 });
  });
});

describe("parseSnapshot", () => {
  it("refuses a part past parts, as the schema's refinement does, with its reason", () => {
    const broken = { ...snapshot, part: 3, parts: 2 };
    expect(checkSnapshot(broken)).toBeUndefined();
    expect(parseSnapshot(broken)).toEqual({ ok: false, error: { path: "part", reason: "part is past parts" } });
    expect(checkSnapshot({ ...snapshot, part: 2, parts: 2 })).toEqual(s.snapshot.parse({ ...snapshot, part: 2, parts: 2 }));
  });
});

describe("parseDelta", () => {
  it("gives the schema's own reason for a refusal", () => {
    const broken = edited(full, ["events", 0, "incident", "history", 1, "at"], { kind: "set", value: "yesterday" });
    const result = parseDelta(broken);
    expect(result).toEqual({ ok: false, error: { path: "events.0.incident.history.1.at", reason: expect.any(String) as string } });
    const issue = s.delta.safeParse(broken).error?.issues[0];
    expect(result.ok ? "" : result.error.reason).toBe(issue?.message);
  });
});
