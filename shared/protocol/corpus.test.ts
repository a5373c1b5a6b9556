import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCommand, parseCommandResult, parseDelta, parseFix, parseHeartbeat, parseHello, parsePositions, parseSnapshot, parseSubscribeAck, type Checked } from "./validate.js";

/*
 * The malformed-message corpus (corpus/malformed.json): every case is refused
 * with the path of the field that breaks the contract, and every base message
 * in corpus/valid.json is accepted as it is.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Case = { name: string; parser: string; base: string; set?: Record<string, Json>; unset?: string[]; fill?: Record<string, number>; replace?: Json; path: string };

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./corpus/${name}`, import.meta.url), "utf8"));
const valid = read("valid.json") as Record<string, Json>;
const { cases } = read("malformed.json") as { cases: Case[] };

const PARSERS: Record<string, (input: unknown) => Checked<unknown>> = {
  hello: parseHello,
  snapshot: parseSnapshot,
  delta: parseDelta,
  heartbeat: parseHeartbeat,
  subscribeAck: parseSubscribeAck,
  positions: parsePositions,
  fix: parseFix,
  command: parseCommand,
  report: parseCommand,
  commandResult: parseCommandResult,
};

/** `@repeat:x:n` in the corpus stands for x repeated n times, to keep oversize strings readable. */
function expand(value: Json): Json {
  const match = typeof value === "string" ? /^@repeat:(.+):(\d+)$/.exec(value) : null;
  return match ? match[1]!.repeat(Number(match[2])) : value;
}

function walk(root: Json, path: string): { parent: Record<string, Json> | Json[]; key: string } {
  const keys = path.split(".");
  let node: Json = root;
  for (const key of keys.slice(0, -1)) node = (node as Record<string, Json>)[key] as Json;
  if (typeof node !== "object" || node === null) throw new Error(`corpus path ${path} does not exist`);
  return { parent: node, key: keys[keys.length - 1]! };
}

function materialise(entry: Case): Json {
  if ("replace" in entry) return entry.replace as Json;
  const message = structuredClone(valid[entry.base]) as Json;
  if (message === undefined) throw new Error(`no base ${entry.base}`);
  for (const [path, value] of Object.entries(entry.set ?? {})) {
    const { parent, key } = walk(message, path);
    (parent as Record<string, Json>)[key] = expand(value);
  }
  for (const path of entry.unset ?? []) {
    const { parent, key } = walk(message, path);
    delete (parent as Record<string, Json>)[key];
  }
  for (const [path, length] of Object.entries(entry.fill ?? {})) {
    const { parent, key } = walk(message, path);
    const list = (parent as Record<string, Json[]>)[key]!;
    (parent as Record<string, Json>)[key] = Array.from({ length }, () => structuredClone(list[0]!));
  }
  return message;
}

describe("valid corpus", () => {
  it.each(Object.keys(valid))("accepts the %s example as it is", (name) => {
    const result = PARSERS[name]!(valid[name]);
    expect(result.ok ? "accepted" : `${result.error.path}: ${result.error.reason}`).toBe("accepted");
  });
});

describe("malformed corpus", () => {
  it("covers every parser", () => {
    expect(new Set(cases.map((c) => c.parser))).toEqual(new Set(Object.keys(PARSERS).filter((p) => p !== "report")));
  });

  it.each(cases.map((c) => [c.name, c] as const))("refuses %s at its path", (_name, entry) => {
    const result = PARSERS[entry.parser]!(materialise(entry));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.path).toBe(entry.path);
      expect(result.error.reason.length).toBeGreaterThan(0);
    }
  });
});

describe("positions frames", () => {
  it("keep the valid fixes of a frame and count the broken ones instead of refusing it", () => {
    const frame = structuredClone(valid.positions) as { at: string; fixes: Json[] };
    frame.fixes.push(["U-bad", null, 39.9, 1, null, null, null], ["U-bad", 116.4, 39.9, 1.5, null, null, null], "garbage", ["U-bad", 116.4, 39.9, 1, 400, null, null]);
    const result = parsePositions(frame);
    expect(result).toMatchObject({ ok: true, dropped: 4 });
    expect(result.ok && result.value.fixes).toHaveLength(2);
  });
});
