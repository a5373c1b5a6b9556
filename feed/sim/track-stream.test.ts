import { describe, expect, it } from "vitest";
import type { Fix } from "../../shared/protocol/types.js";
import { fixtureLayer } from "../region-synthetic.js";
import { regionFromCollection } from "../region.js";
import { createRng } from "../rng.js";
import { Patrol } from "./patrol.js";
import { MemberFixes, MergedFixes, type Position } from "./track-stream.js";

/* Merged tracks: pages cut by a work budget, or rebuilt from where a page ended, give the same fixes in the same order. */

const region = regionFromCollection(fixtureLayer({ communities: 2, side: 2 }));
const patrol = new Patrol(region, createRng(4).fork(1), { scale: "street", sosPerUnitDay: 0, seed: 4, fraudShare: 0.2 });
const UNTIL = Date.parse("2026-11-20T10:00:00+08:00");
const SINCE = UNTIL - 30 * 3600_000;

const merge = (after?: Position) => new MergedFixes(patrol.members.map((member, index) => new MemberFixes(member, index, after?.at ?? SINCE, UNTIL, 4, after)));

function drain(source: MergedFixes, limit: number, budget = Infinity): Fix[][] {
  const pages: Fix[][] = [];
  while (!source.done) pages.push(source.take(limit, budget).fixes);
  return pages;
}

describe("merged fixes", () => {
  const whole = drain(merge(), Infinity).flat();

  it("orders every fix of the window by time, then by member", () => {
    expect(whole.length).toBeGreaterThan(10_000);
    const indexOf = new Map(patrol.members.map((m, i) => [m.unit.id, i]));
    for (let i = 1; i < whole.length; i++) {
      const [a, b] = [whole[i - 1]!, whole[i]!];
      expect(a[3] < b[3] || (a[3] === b[3] && indexOf.get(a[0])! < indexOf.get(b[0])!)).toBe(true);
    }
    expect(whole.every((fix) => fix[3] >= SINCE && fix[3] < UNTIL)).toBe(true);
  });

  it("gives the same fixes when a small work budget cuts pages short, empty ones included", () => {
    const pages = drain(merge(), 700, 2_000);
    expect(pages.some((page) => page.length < 700)).toBe(true);
    expect(pages.flat()).toEqual(whole);
  });

  it("rebuilt from where a page ended, goes on exactly after it", () => {
    let position: Position | undefined;
    const fixes: Fix[] = [];
    for (;;) {
      const page = merge(position).take(2_999, Infinity, true);
      if (!page.last) break;
      fixes.push(...page.fixes);
      position = page.last;
    }
    expect(fixes).toEqual(whole);
  });

  it("a rebuilt page gets past its cursor even when catching up alone spends the budget", () => {
    const first = merge().take(500);
    const page = merge(first.last!).take(500, 1, true);
    expect(page.fixes).toEqual([whole[500]]);
  });
});
