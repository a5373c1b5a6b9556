import { describe, expect, it } from "vitest";
import { CHUNK, ChunkedMap } from "./chunked-map.js";

/** A seeded generator (an LCG): the same sequence every run, so a failing case can be replayed. */
const random = (seed: number) => () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);

const pairs = (n: number, from = 0, tag = "v"): [string, string][] => Array.from({ length: n }, (_, i) => [`k${from + i}`, `${tag}${from + i}`]);

describe("ChunkedMap", () => {
  it("reads as the Map built from the same entries: size, get, has, order of entries, keys, values and forEach", () => {
    const entries = pairs(CHUNK * 2 + 7);
    const map = ChunkedMap.from(entries);
    const reference = new Map(entries);
    expect(map.size).toBe(reference.size);
    expect([...map]).toEqual([...reference]);
    expect([...map.entries()]).toEqual([...reference.entries()]);
    expect([...map.keys()]).toEqual([...reference.keys()]);
    expect([...map.values()]).toEqual([...reference.values()]);
    const seen: [string, string][] = [];
    map.forEach((value, key, self) => {
      expect(self).toBe(map);
      seen.push([key, value]);
    });
    expect(seen).toEqual([...reference]);
    expect(map.get("k5")).toBe("v5");
    expect(map.get("absent")).toBeUndefined();
    expect(map.has(`k${CHUNK * 2 + 6}`)).toBe(true);
    expect(map.has("absent")).toBe(false);
    expect(new Map(map)).toEqual(reference);
  });

  it("a later entry for the same key wins in from(), as in new Map()", () => {
    const map = ChunkedMap.from([["a", 1], ["b", 2], ["a", 3]]);
    expect([...map]).toEqual([...new Map([["a", 1], ["b", 2], ["a", 3]])]);
    expect(map.size).toBe(2);
  });

  it("with() makes a new map and leaves the old one as it was (structural sharing, no mutation)", () => {
    const v1 = ChunkedMap.from(pairs(CHUNK * 3));
    const before = [...v1];
    const v2 = v1.with([["k1", "changed"], ["new", "added"]], ["k2", "absent"]);
    expect(v2).not.toBe(v1);
    expect([...v1]).toEqual(before);
    expect(v1.size).toBe(CHUNK * 3);
    expect(v1.get("k1")).toBe("v1");
    expect(v1.has("new")).toBe(false);
    expect(v1.has("k2")).toBe(true);
    expect(v2.get("k1")).toBe("changed");
    expect(v2.get("new")).toBe("added");
    expect(v2.has("k2")).toBe(false);
    expect(v2.size).toBe(CHUNK * 3);
    // An update keeps the key's place; a new key goes last, as in a Map.
    expect([...v2.keys()].slice(0, 3)).toEqual(["k0", "k1", "k3"]);
    expect([...v2.keys()].at(-1)).toBe("new");
  });

  it("returns itself when a change set changes nothing", () => {
    const map = ChunkedMap.from(pairs(10));
    expect(map.with([], [])).toBe(map);
    expect(map.with([], ["absent"])).toBe(map);
  });

  it("two versions made from the same one (a fork) each see only their own changes", () => {
    const base = ChunkedMap.from(pairs(CHUNK));
    const left = base.with(pairs(CHUNK + 3, CHUNK, "left"));
    const right = base.with([["only-right", "r"]]);
    expect(right.has(`k${CHUNK}`)).toBe(false);
    expect(right.get("only-right")).toBe("r");
    expect(left.has("only-right")).toBe(false);
    expect(left.get(`k${CHUNK}`)).toBe(`left${CHUNK}`);
    expect([...right.keys()]).toEqual([...pairs(CHUNK).map(([k]) => k), "only-right"]);
    expect(right.size).toBe(CHUNK + 1);
    expect(left.size).toBe(2 * CHUNK + 3);
  });

  it("equals a Map given the same random sequence of change sets, every version kept intact", () => {
    const next = random(14);
    let map = ChunkedMap.empty<string, number>();
    let reference = new Map<string, number>();
    const history: { map: ChunkedMap<string, number>; entries: [string, number][] }[] = [];
    for (let step = 0; step < 400; step++) {
      const removed = Array.from({ length: Math.floor(next() * 4) }, () => `k${Math.floor(next() * 3000)}`);
      const upserts = Array.from({ length: Math.floor(next() * (step % 50 === 0 ? 900 : 6)) }, (): [string, number] => [`k${Math.floor(next() * 3000)}`, step]);
      const changed = map.with(upserts, removed);
      const copy = new Map(reference);
      for (const key of removed) copy.delete(key);
      for (const [key, value] of upserts) copy.set(key, value);
      expect(changed.size).toBe(copy.size);
      expect(new Map(changed)).toEqual(copy);
      // values() (an array kept per version) agrees with the entries, in the same order.
      expect([...changed.values()]).toEqual([...changed.entries()].map(([, value]) => value));
      for (const key of removed) expect(changed.has(key)).toBe(upserts.some(([k]) => k === key));
      history.push({ map: changed, entries: [...copy] });
      map = changed;
      reference = copy;
    }
    for (const { map: version, entries } of history) {
      expect(new Map(version)).toEqual(new Map(entries));
      expect([...version.values()].sort()).toEqual(entries.map(([, value]) => value).sort());
    }
  });

  it("keeps what a months-long wall has placed bounded: cases come and go, the places of the gone ones do not pile up", () => {
    let map = ChunkedMap.from(pairs(1000));
    const kept = new Map(pairs(1000));
    // 200 days of 500 new cases a day, each archived after a day: 100,000 keys seen, never more than ~1,500 live.
    for (let day = 0; day < 200; day++) {
      const arriving = pairs(500, 1000 + day * 500, "d");
      const leaving = day === 0 ? [] : pairs(500, 1000 + (day - 1) * 500).map(([key]) => key);
      const before = map;
      const snapshot = new Map(before);
      map = map.with(arriving, leaving);
      for (const key of leaving) kept.delete(key);
      for (const [key, value] of arriving) kept.set(key, value);
      // The old version is untouched, even when this change started a new family.
      expect(new Map(before)).toEqual(snapshot);
      expect(map.placedKeys).toBeLessThanOrEqual(2 * map.size + CHUNK + 500);
    }
    expect(new Map(map)).toEqual(kept);
    expect([...map.keys()]).toEqual([...kept.keys()]);
  });
});
