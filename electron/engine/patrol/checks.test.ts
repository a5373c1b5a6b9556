import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAll } from "./checks.js";
import { honestWalk, random, replayed, stationaryDevice, twinOf, withJumps, type SyntheticFix } from "./testing.js";
import { newRun, TrackStore } from "./track-store.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-05T18:00:00+08:00");
const MORNING = Date.parse("2026-12-05T09:00:00+08:00");

function storeOf(tracks: Record<string, SyntheticFix[]>): TrackStore {
  const store = new TrackStore();
  for (const [unitId, fixes] of Object.entries(tracks)) for (const f of fixes) store.add(unitId, f.at, f.lon, f.lat, f.accuracy);
  return store;
}

const verdicts = (store: TrackStore) => Object.fromEntries(checkAll(store, { now: NOW }).map((c) => [c.unitId, { verdict: c.verdict, reasons: c.reasons }]));

describe("patrol checks", () => {
  it("finds nothing in honest walks of the same grid", () => {
    const rng = random(1);
    const store = storeOf({
      a: honestWalk(rng, { from: MORNING, minutes: 240 }),
      b: honestWalk(rng, { from: MORNING, minutes: 240 }),
      c: [...honestWalk(rng, { from: MORNING - DAY, minutes: 240 }), ...honestWalk(rng, { from: MORNING, minutes: 240 })],
    });
    expect(verdicts(store)).toEqual({ a: { verdict: "ok", reasons: [] }, b: { verdict: "ok", reasons: [] }, c: { verdict: "ok", reasons: [] } });
  });

  it("calls a device that never moved on patrol stationary, with where and how far it strayed", () => {
    const store = storeOf({ still: stationaryDevice(random(2), { from: MORNING, minutes: 180 }) });
    const [check] = checkAll(store, { now: NOW });
    expect(check).toMatchObject({ verdict: "suspect", reasons: ["stationary"] });
    const evidence = check!.shift!.evidence[0]!;
    expect(evidence.reason).toBe("stationary");
    if (evidence.reason === "stationary") expect(evidence.radiusM).toBeLessThanOrEqual(30);
  });

  it("calls mock-location jumps speed, with the distance and time of each", () => {
    const rng = random(3);
    const store = storeOf({ jumper: withJumps(rng, honestWalk(rng, { from: MORNING, minutes: 180 })) });
    const [check] = checkAll(store, { now: NOW });
    expect(check).toMatchObject({ verdict: "suspect", reasons: ["speed"] });
    const jump = check!.shift!.evidence.find((e) => e.reason === "speed");
    expect(jump && jump.reason === "speed" && jump.distanceM).toBeGreaterThan(1000);
  });

  it("calls two devices that walked together twins, each naming the other", () => {
    const rng = random(4);
    const walk = honestWalk(rng, { from: MORNING, minutes: 180 });
    const store = storeOf({ owner: walk, carried: twinOf(rng, walk), other: honestWalk(rng, { from: MORNING, minutes: 180 }) });
    const result = checkAll(store, { now: NOW });
    const byId = Object.fromEntries(result.map((c) => [c.unitId, c]));
    expect(byId.owner).toMatchObject({ verdict: "suspect", reasons: ["twin"] });
    expect(byId.carried).toMatchObject({ verdict: "suspect", reasons: ["twin"] });
    expect(byId.other).toMatchObject({ verdict: "ok" });
    const evidence = byId.owner!.shift!.evidence[0]!;
    expect(evidence.reason === "twin" && evidence.otherUnitId).toBe("carried");
  });

  it("calls a day that repeats an earlier day's track replay, naming the day", () => {
    const walk = honestWalk(random(5), { from: MORNING - 2 * DAY, minutes: 240 });
    const store = storeOf({ replayer: [...walk, ...replayed(walk, 2)] });
    const [check] = checkAll(store, { now: NOW });
    expect(check).toMatchObject({ verdict: "suspect", reasons: ["replay"] });
    const evidence = check!.shift!.evidence[0]!;
    expect(evidence.reason === "replay" && evidence.sourceDay).toBe("2026-12-03");
  });

  it("judges nobody on too little track: a short shift is insufficient, never ok or suspect", () => {
    const store = storeOf({ brief: stationaryDevice(random(6), { from: MORNING, minutes: 12 }) });
    expect(verdicts(store)).toEqual({ brief: { verdict: "insufficient", reasons: [] } });
  });

  it("keeps the verdict of the latest shift that could be judged while a new one is still short", () => {
    const rng = random(7);
    const store = storeOf({ a: [...stationaryDevice(rng, { from: MORNING - DAY, minutes: 180 }), ...honestWalk(rng, { from: MORNING, minutes: 10 })] });
    const [check] = checkAll(store, { now: NOW });
    expect(check).toMatchObject({ verdict: "suspect", reasons: ["stationary"], shifts: 2, suspectShifts: 1 });
  });

  it("never calls an honest walk speed, at any cadence, pace or scatter within the stated accuracy", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.3, max: 2, noNaN: true }), fc.integer({ min: 1, max: 60 }), (seed, scatter, speedMps, minGap) => {
        const fixes = honestWalk(random(seed), { from: MORNING, minutes: 60, scatter, speedMps, cadence: [minGap, minGap + 30] });
        const [check] = checkAll(storeOf({ walker: fixes }), { now: NOW });
        expect(check!.reasons).not.toContain("speed");
      }),
      { numRuns: 100 },
    );
  });
});

describe("patrol checks between runs", () => {
  it("judges a finished shift once, and gives the same verdicts as a run from nothing", () => {
    const rng = random(8);
    const walk = honestWalk(rng, { from: MORNING - DAY, minutes: 240 });
    const store = storeOf({ a: [...walk, ...replayed(walk, 1)], b: stationaryDevice(rng, { from: MORNING - DAY, minutes: 200 }), c: honestWalk(rng, { from: MORNING, minutes: 240 }) });
    const judged = new Map();
    const first = checkAll(store, { now: NOW, judged });
    expect(judged.size).toBe(4);
    const cachedShift = [...judged.values()][0];
    const second = checkAll(store, { now: NOW, judged });
    expect(second).toEqual(first);
    expect([...judged.values()][0]).toBe(cachedShift);
    expect(second).toEqual(checkAll(store, { now: NOW }));
  });
});

describe("speed evidence", () => {
  it("takes one stray fix, out and straight back, as a glitch, not as speed", () => {
    const fixes = honestWalk(random(9), { from: MORNING, minutes: 120 });
    const middle = fixes[Math.floor(fixes.length / 2)]!;
    fixes[Math.floor(fixes.length / 2)] = { ...middle, lat: middle.lat + 0.02 };
    const [check] = checkAll(storeOf({ glitch: fixes }), { now: NOW });
    expect(check).toMatchObject({ verdict: "ok", reasons: [] });
  });

  it("counts a jump once when the same window is taken in twice", () => {
    const rng = random(10);
    const fixes = withJumps(rng, honestWalk(rng, { from: MORNING, minutes: 60 }), 25);
    const store = storeOf({ twice: fixes });
    const before = store.track("twice")!.speedEvents.length;
    const again = newRun();
    for (const f of fixes) store.add("twice", f.at, f.lon, f.lat, f.accuracy, again);
    expect(store.track("twice")!.speedEvents).toHaveLength(before);
  });
});
