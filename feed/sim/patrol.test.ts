import { describe, expect, it } from "vitest";
import type { Fix, Unit } from "../../shared/protocol/types.js";
import { haversineMeters } from "../../shared/geo/distance.js";
import { fixtureLayer } from "../region-synthetic.js";
import { regionFromCollection } from "../region.js";
import { createRng } from "../rng.js";
import { Patrol, type PatrolOutput } from "./patrol.js";
import { MemberFixes } from "./track-stream.js";

const region = regionFromCollection(fixtureLayer({ communities: 2, side: 2 }));
const TEN_AM = Date.parse("2026-11-20T10:00:00+08:00");

function walk(minutes: number, start = TEN_AM) {
  const patrol = new Patrol(region, createRng(3), { scale: "street", sosPerUnitDay: 0, seed: 3 });
  patrol.start(start);
  const fixes: Fix[] = [];
  const changed: Unit[] = [];
  const out: PatrolOutput = { fix: (f) => fixes.push(f), units: (u) => changed.push(...u), alert: () => undefined };
  for (let t = start; t <= start + minutes * 60_000; t += 1000) patrol.step(t, out, { fixes: true });
  return { patrol, fixes, changed };
}

describe("patrol", () => {
  it("staffs each grid with a manager and each community and street with the 7+X forces", () => {
    const { patrol } = walk(0);
    const roles = patrol.units().map((u) => u.role);
    expect(roles.filter((r) => r === "grid_manager")).toHaveLength(region.grids.length);
    for (const role of ["grid_assistant", "grid_supervisor", "grid_police", "grid_judicial", "grid_firefighter", "party_secretary", "other"]) expect(roles).toContain(role);
    expect(new Set(patrol.units().map((u) => u.id)).size).toBe(roles.length);
  });

  it("sends each unit on duty a fix every 10 to 30 s, at walking pace", () => {
    const { fixes } = walk(10);
    const byUnit = new Map<string, Fix[]>();
    for (const fix of fixes) byUnit.set(fix[0], [...(byUnit.get(fix[0]) ?? []), fix]);
    expect(byUnit.size).toBeGreaterThan(10);
    for (const list of byUnit.values()) {
      for (let i = 1; i < list.length; i++) {
        const gap = list[i]![3] - list[i - 1]![3];
        expect(gap).toBeGreaterThanOrEqual(10_000);
        expect(gap).toBeLessThanOrEqual(31_000);
        // Walking plus GPS scatter: never faster than a brisk 3 m/s between fixes, with 2×80 m of scatter allowed.
        const metres = haversineMeters(list[i - 1]![1], list[i - 1]![2], list[i]![1], list[i]![2]);
        expect(metres).toBeLessThan((gap / 1000) * 3 + 160);
      }
    }
  });

  it("sends nobody on a day shift out at 3 am, and keeps them silent", () => {
    const { fixes, patrol } = walk(2, Date.parse("2026-11-20T03:00:00+08:00"));
    const onDuty = new Set(patrol.units().filter((u) => u.status !== "off_duty").map((u) => u.id));
    expect(patrol.units().filter((u) => u.role === "grid_manager").every((u) => u.status === "off_duty")).toBe(true);
    expect(fixes.every((f) => onDuty.has(f[0]))).toBe(true);
  });

  it("after a skip of two days sends each unit on duty the latest fix its track has, without walking the gap", () => {
    const { patrol } = walk(1);
    const later = TEN_AM + 2 * 86_400_000 + 61_000;
    const fixes: Fix[] = [];
    patrol.step(later, { fix: (f) => fixes.push(f), units: () => undefined, alert: () => undefined }, { fixes: true });
    expect(fixes.length).toBeGreaterThan(5);
    patrol.members.forEach((member, index) => {
      const sent = fixes.filter((f) => f[0] === member.unit.id);
      if (sent.length === 0) return;
      const recorded = new MemberFixes(member, index, later - 10 * 60_000, later + 1, 3);
      recorded.materialize();
      let last: Fix | null = null;
      while (recorded.fix) {
        last = recorded.fix;
        recorded.advance();
      }
      expect(sent).toEqual([last]);
    });
  });
});
