import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { incident as incidentSchema } from "./schemas.js";
import type { Incident } from "./types.js";
import { INCIDENT_STATUSES, PRIORITIES, SOURCES } from "./schemas.js";
import { parseCommand, parseCommandResult, parseDelta, parseFix, parseHeartbeat, parseHello, parsePositions, parseSnapshot, parseSubscribeAck, type Checked } from "./validate.js";

/*
 * Property tests: no input, however broken, makes a parser throw; a refusal
 * always names a path; and what a parser accepts it accepts again unchanged.
 */

const PARSERS: [string, (input: unknown) => Checked<unknown>][] = [
  ["hello", parseHello],
  ["snapshot", parseSnapshot],
  ["delta", parseDelta],
  ["heartbeat", parseHeartbeat],
  ["subscribeAck", parseSubscribeAck],
  ["positions", parsePositions],
  ["fix", parseFix],
  ["command", parseCommand],
  ["commandResult", parseCommandResult],
];

const valid = JSON.parse(readFileSync(new URL("./corpus/valid.json", import.meta.url), "utf8")) as Record<string, unknown>;
const BASES: Record<string, string> = { hello: "hello", snapshot: "snapshot", delta: "delta", heartbeat: "heartbeat", subscribeAck: "subscribeAck", positions: "positions", fix: "fix", command: "command", commandResult: "commandResult" };

/** Anything a socket could deliver, plus the values JSON cannot carry but a buggy in-process caller could. */
const hostile = fc.oneof(
  fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, "", "x".repeat(100_000)),
);

function check(result: Checked<unknown>): void {
  expect(typeof result.ok).toBe("boolean");
  if (!result.ok) {
    expect(typeof result.error.path).toBe("string");
    expect(result.error.path.length).toBeGreaterThan(0);
    expect(typeof result.error.reason).toBe("string");
  }
}

/** Every path into a JSON value, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

describe.each(PARSERS)("%s parser", (name, parse) => {
  it("never throws on arbitrary input and names a path when it refuses", () => {
    fc.assert(fc.property(hostile, (input) => check(parse(input))), { numRuns: 300 });
  });

  it("never throws when any one field of a valid message is replaced by anything", () => {
    const base = valid[BASES[name]!];
    const all = paths(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), hostile, (index, value) => {
        const result = parse(setAt(base, all[index]!, value));
        check(result);
        // Whatever is accepted must be accepted again as it came out (parsing is idempotent).
        if (result.ok) expect(parse(result.value).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

const isoArb = fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2099-12-31") }).map((ms) => new Date(ms).toISOString());
const text = (max: number) => fc.string({ maxLength: max });
const incidentArb: fc.Arbitrary<Incident> = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 64 }),
    version: fc.nat(),
    title: text(200),
    category: fc.record({ code: fc.string({ minLength: 1, maxLength: 16 }), major: text(200), minor: text(200) }),
    priority: fc.constantFrom(...PRIORITIES),
    status: fc.constantFrom(...INCIDENT_STATUSES),
    source: fc.constantFrom(...SOURCES),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    gridCode: text(32),
    reworkCount: fc.nat({ max: 10_000 }),
    createdAt: isoArb,
    updatedAt: isoArb,
    history: fc.array(fc.record({ at: isoArb, action: text(200), actor: text(200) }), { maxLength: 50 }),
    address: text(200),
  },
  { requiredKeys: ["id", "version", "title", "category", "priority", "status", "source", "lon", "lat", "gridCode", "reworkCount", "createdAt", "updatedAt", "history"] },
);

describe("round trip", () => {
  it("accepts every incident inside the contract's limits and keeps it unchanged", () => {
    fc.assert(
      fc.property(incidentArb, (incident) => {
        const result = incidentSchema.safeParse(incident);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(incident);
      }),
      { numRuns: 200 },
    );
  });

  it("ignores unknown fields rather than refusing the message", () => {
    fc.assert(
      fc.property(incidentArb, fc.string({ minLength: 1 }).filter((k) => !["__proto__", "constructor"].includes(k)), fc.jsonValue(), (incident, key, value) => {
        const withExtra = { ...incident, [`x-${key}`]: value };
        const result = incidentSchema.safeParse(withExtra);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(incident);
      }),
      { numRuns: 100 },
    );
  });
});
