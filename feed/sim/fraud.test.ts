import { describe, expect, it } from "vitest";
import type { Fix } from "../../shared/protocol/types.js";
import { haversineMeters } from "../../shared/geo/distance.js";
import { fixtureLayer } from "../region-synthetic.js";
import { regionFromCollection } from "../region.js";
import { createRng } from "../rng.js";
import { beijingDay, dutyWindow } from "./duty.js";
import { type FraudKind, shiftTrack } from "./fraud.js";
import { type Member, Patrol } from "./patrol.js";
import { Walk } from "./walk.js";

/* Planted fraud: chosen from the seed, spread over the kinds, and each kind leaves the traces it should. */

const region = regionFromCollection(fixtureLayer({ communities: 4, side: 3 }));
const SEED = 21;
const FRIDAY = beijingDay(Date.parse("2026-11-20T12:00:00+08:00"));

function roster(share: number, seed = SEED): Patrol {
  return new Patrol(region, createRng(seed).fork(1), { scale: "street", sosPerUnitDay: 0, seed, fraudShare: share });
}

function shiftOf(member: Member, day: number): Fix[] {
  const window = dutyWindow(member.plan, day);
  if (!window) return [];
  const track = shiftTrack(member, window, SEED);
  const fixes: Fix[] = [];
  for (let fix = track.next(); fix; fix = track.next()) fixes.push(fix);
  return fixes;
}

/** A planted member of the kind with a shift on `day`. */
function plantedOn(patrol: Patrol, kind: FraudKind, day = FRIDAY): Member[] {
  return patrol.planted.filter((p) => p.kind === kind).map((p) => patrol.byId.get(p.unitId)!).filter((m) => dutyWindow(m.plan, day) !== null);
}

const metres = (a: Fix, b: Fix) => haversineMeters(a[1], a[2], b[1], b[2]);

describe("planting", () => {
  it("plants the asked-for share, spread evenly over the kinds, the same for the same seed", () => {
    const patrol = roster(0.2);
    const count = (kind: FraudKind) => patrol.planted.filter((p) => p.kind === kind).length;
    expect(patrol.planted.length).toBeGreaterThanOrEqual(Math.round(0.2 * patrol.members.length));
    expect(patrol.planted.length).toBeLessThanOrEqual(Math.round(0.2 * patrol.members.length) + 1);
    // A twin is two devices: half as many twin pairs as stationary, speed or replay plantings, give or take one.
    for (const kind of ["speed", "replay"] as const) expect(Math.abs(count(kind) - count("stationary"))).toBeLessThanOrEqual(1);
    expect(Math.abs(count("twin") / 2 - count("stationary"))).toBeLessThanOrEqual(1);
    expect(new Set(patrol.planted.map((p) => p.unitId)).size).toBe(patrol.planted.length);
    expect(roster(0.2).planted).toEqual(patrol.planted);
    expect(roster(0.2, SEED + 1).planted).not.toEqual(patrol.planted);
    expect(roster(0).planted).toEqual([]);
  });

  it("pairs twins in one grid, each naming the other, on the same shifts", () => {
    const patrol = roster(0.2);
    const twins = patrol.planted.filter((p) => p.kind === "twin");
    expect(twins.length).toBeGreaterThanOrEqual(2);
    for (const twin of twins) {
      const [member, partner] = [patrol.byId.get(twin.unitId)!, patrol.byId.get(twin.twinOf!)!];
      expect(partner.fraud?.partner).toBe(member);
      expect(member.grid.code).toBe(partner.grid.code);
      for (let day = FRIDAY; day < FRIDAY + 7; day++) expect(dutyWindow(member.plan, day)).toEqual(dutyWindow(partner.plan, day));
    }
  });
});

describe("planted kinds", () => {
  const patrol = roster(0.2);

  it("stationary: the whole shift within its scatter of one spot, reporting speed 0", () => {
    const members = plantedOn(patrol, "stationary");
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) {
      const fixes = shiftOf(member, FRIDAY);
      expect(fixes.length).toBeGreaterThan(500);
      const lon = fixes.reduce((sum, f) => sum + f[1], 0) / fixes.length;
      const lat = fixes.reduce((sum, f) => sum + f[2], 0) / fixes.length;
      for (const fix of fixes) {
        expect(haversineMeters(lon, lat, fix[1], fix[2])).toBeLessThanOrEqual(fix[6]! + 2);
        expect(fix[5]).toBe(0);
      }
    }
  });

  it("speed: a jump of 500 m or more every 10 to 20 minutes, and straight back", () => {
    const members = plantedOn(patrol, "speed");
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) {
      const fixes = shiftOf(member, FRIDAY);
      const jumps: number[] = [];
      for (let i = 1; i < fixes.length - 1; i++) {
        if (metres(fixes[i - 1]!, fixes[i]!) > 400 && metres(fixes[i]!, fixes[i + 1]!) > 400) jumps.push(fixes[i]![3]);
      }
      const hours = (fixes[fixes.length - 1]![3] - fixes[0]![3]) / 3600_000;
      expect(jumps.length).toBeGreaterThanOrEqual(Math.floor(hours * 3) - 1);
      expect(jumps.length).toBeLessThanOrEqual(Math.ceil(hours * 6) + 1);
    }
  });

  it("twin: the assistant's phone stays within 3 m of where the manager truly is, on its own cadence", () => {
    const twins = patrol.planted.filter((p) => p.kind === "twin" && patrol.byId.get(p.unitId)!.unit.role === "grid_assistant");
    expect(twins.length).toBeGreaterThan(0);
    for (const twin of twins) {
      const follower = patrol.byId.get(twin.unitId)!;
      const leader = patrol.byId.get(twin.twinOf!)!;
      const window = dutyWindow(leader.plan, FRIDAY) ?? dutyWindow(leader.plan, FRIDAY - 1)!;
      const walk = new Walk(leader.walker, window, SEED);
      const track = shiftTrack(follower, window, SEED);
      const times: number[] = [];
      for (let fix = track.next(); fix; fix = track.next()) {
        while (walk.nextAt <= fix[3] && walk.next()) {
          // up to the follower's fix
        }
        const [lon, lat] = walk.trueAt(fix[3]);
        expect(haversineMeters(lon, lat, fix[1], fix[2])).toBeLessThan(3);
        times.push(fix[3]);
      }
      expect(times.length).toBeGreaterThan(500);
      const leaderTimes = new Set(shiftOf(leader, window.day).map((f) => f[3]));
      expect(times.filter((t) => leaderTimes.has(t)).length).toBeLessThan(times.length / 10);
    }
  });

  it("replay: each day's fixes are the day before's, 24 h later, on every day of a week", () => {
    const members = patrol.planted.filter((p) => p.kind === "replay").map((p) => patrol.byId.get(p.unitId)!);
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) {
      let previous = shiftOf(member, FRIDAY - 1);
      for (let day = FRIDAY; day < FRIDAY + 7; day++) {
        const today = shiftOf(member, day);
        expect(today.length).toBeGreaterThan(500);
        expect(today).toEqual(previous.map((f) => [f[0], f[1], f[2], f[3] + 86_400_000, f[4], f[5], f[6]]));
        previous = today;
      }
    }
  });

  it("leaves everyone else's walk as it would be with no fraud planted", () => {
    const honest = roster(0);
    const plantedIds = new Set(patrol.planted.map((p) => p.unitId));
    for (const member of patrol.members.filter((m) => !plantedIds.has(m.unit.id)).slice(0, 20)) {
      expect(shiftOf(member, FRIDAY)).toEqual(shiftOf(honest.byId.get(member.unit.id)!, FRIDAY));
    }
  });
});
