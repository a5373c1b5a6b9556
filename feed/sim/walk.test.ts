import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Fix } from "../../shared/protocol/types.js";
import { haversineMeters } from "../../shared/geo/distance.js";
import { fixtureLayer } from "../region-synthetic.js";
import { regionFromCollection } from "../region.js";
import { createRng } from "../rng.js";
import { beijingDay, dutyWindow, onDuty } from "./duty.js";
import { shiftTrack } from "./fraud.js";
import { type Member, Patrol } from "./patrol.js";

/* Honest walks: pure per (seed, unit, day), at walking pace within the reported accuracy, moving, independent. */

const region = regionFromCollection(fixtureLayer({ communities: 2, side: 3 }));
const FRIDAY = beijingDay(Date.parse("2026-11-20T12:00:00+08:00"));

function roster(seed: number): Patrol {
  return new Patrol(region, createRng(seed).fork(1), { scale: "street", sosPerUnitDay: 0, seed });
}

function shiftOf(member: Member, day: number, seed: number): Fix[] {
  const window = dutyWindow(member.plan, day);
  if (!window) return [];
  const track = shiftTrack(member, window, seed);
  const fixes: Fix[] = [];
  for (let fix = track.next(); fix; fix = track.next()) fixes.push(fix);
  return fixes;
}

const metres = (a: Fix, b: Fix) => haversineMeters(a[1], a[2], b[1], b[2]);

describe("shifts", () => {
  it("keep the duty rules: day rounds by day and weekends as planned, police in three watches, firefighters one day in three", () => {
    const at = (iso: string) => Date.parse(iso);
    for (const member of roster(5).members) {
      const plan = member.plan;
      if (plan.shift === "day" || plan.shift === "day_evening") {
        expect(onDuty(plan, at("2026-11-20T12:00:00+08:00"))).toBe(true);
        expect(onDuty(plan, at("2026-11-20T03:00:00+08:00"))).toBe(false);
        expect(onDuty(plan, at("2026-11-21T12:00:00+08:00"))).toBe(plan.worksWeekends);
        expect(onDuty(plan, at("2026-11-20T19:00:00+08:00"))).toBe(plan.shift === "day_evening");
      }
      if (plan.shift === "rotating") {
        for (let hour = 1; hour < 24; hour += 8) expect(onDuty(plan, at(`2026-11-20T${String(hour).padStart(2, "0")}:30:00+08:00`))).toBe(Math.floor(hour / 8) === plan.slot);
      }
      if (plan.shift === "watch24") {
        const days = [FRIDAY, FRIDAY + 1, FRIDAY + 2].filter((day) => dutyWindow(plan, day) !== null);
        expect(days).toHaveLength(1);
      }
    }
  });
});

describe("honest walk", () => {
  it("is the same shift every time it is computed, and another on another day or seed", () => {
    const member = roster(5).members[0]!;
    const once = shiftOf(member, FRIDAY, 5);
    expect(once.length).toBeGreaterThan(500);
    expect(shiftOf(member, FRIDAY, 5)).toEqual(once);
    expect(shiftOf(member, FRIDAY - 1, 5)[5]).not.toEqual(once[5]);
    expect(shiftOf(roster(6).members[0]!, FRIDAY, 6)[5]).not.toEqual(once[5]);
  });

  it("never moves between two fixes further than 1.4 m/s allows plus both accuracies, at any seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 20 }), (seed, pick) => {
        const patrol = roster(seed);
        const member = patrol.members[pick % patrol.members.length]!;
        const fixes = shiftOf(member, FRIDAY, seed).concat(shiftOf(member, FRIDAY + 1, seed));
        for (let i = 1; i < fixes.length; i++) {
          const [a, b] = [fixes[i - 1]!, fixes[i]!];
          if (b[3] - a[3] > 60_000) continue; // a new shift starts anywhere in the grid
          expect(b[3] - a[3]).toBeGreaterThanOrEqual(10_000);
          expect(metres(a, b)).toBeLessThanOrEqual((1.4 * (b[3] - a[3])) / 1000 + a[6]! + b[6]!);
        }
      }),
      { numRuns: 15 },
    );
  });

  it("keeps every fix inside its reported accuracy of a path that never leaves walking pace", () => {
    // Three fixes a, b, c: the true points are within accuracy of each, so |a-c| <= speed*dt + acc(a) + acc(c) holds over any span too.
    const patrol = roster(9);
    for (const member of patrol.members.slice(0, 10)) {
      const fixes = shiftOf(member, FRIDAY, 9);
      for (let i = 5; i < fixes.length; i += 5) {
        const [a, c] = [fixes[i - 5]!, fixes[i]!];
        expect(metres(a, c)).toBeLessThanOrEqual((1.4 * (c[3] - a[3])) / 1000 + a[6]! + c[6]!);
      }
    }
  });

  it("moves during a shift: nobody honest stays within 100 m of one spot for the whole shift", () => {
    const patrol = roster(11);
    for (const member of patrol.members) {
      const fixes = shiftOf(member, FRIDAY, 11);
      if (fixes.length === 0) continue;
      const farthest = Math.max(...fixes.map((fix) => metres(fix, fixes[0]!)));
      expect(farthest).toBeGreaterThan(100);
    }
  });

  it("walks grid neighbours independently: a manager and an assistant of one grid are rarely together", () => {
    const patrol = roster(13);
    let together = 0;
    let compared = 0;
    for (const manager of patrol.members.filter((m) => m.unit.role === "grid_manager")) {
      const assistant = patrol.members.find((m) => m.unit.role === "grid_assistant" && m.grid.code === manager.grid.code)!;
      const theirs = shiftOf(assistant, FRIDAY, 13);
      for (const fix of shiftOf(manager, FRIDAY, 13)) {
        const near = theirs.find((other) => Math.abs(other[3] - fix[3]) < 15_000);
        if (!near) continue;
        compared++;
        if (metres(fix, near) < 25) together++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(together / compared).toBeLessThan(0.1);
  });
});
