import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POSITION_STRIDE, type UnitView } from "../../../shared/bridge/contract.js";
import { PositionTable } from "../state/positions.js";
import { buildTrailAttributes, TrailAttributes } from "./layers/trails.js";
import { trailDeckData } from "./layers/unit-layers.js";
import { buildUnitAttributes, buildUnitRoster, STALE_AFTER_MS, UnitAttributes } from "./layers/units.js";
import { LiveUnits, TRAIL_REBUILD_MS } from "./live-units.js";

const T0 = Date.parse("2026-11-23T10:00:00+08:00");
const unit = (slot: number, status: UnitView["status"] = "on_patrol", id = `u${slot}`): UnitView => ({ id, name: id, role: "grid_police", gridCode: "g", status, slot });

function fix(table: PositionTable, slot: number, lon: number, lat: number, at: number): void {
  const data = new Float64Array(POSITION_STRIDE);
  data.set([slot, lon, lat, at, 0, 1]);
  table.apply(data);
}

describe("live units", () => {
  it("does nothing when neither the roster nor the positions changed", () => {
    const live = new LiveUnits();
    const table = new PositionTable();
    const units = new Map([["u0", unit(0)]]);
    fix(table, 0, 116.4, 39.9, T0);
    expect(live.update({ units, positions: table, positionsVersion: table.version }, T0)).toBe(true);
    expect(live.update({ units, positions: table, positionsVersion: table.version }, T0)).toBe(false);
    expect(live.snapshot().shown).toBe(1);
  });

  it("keeps the deck.gl data object across position updates and replaces it when the slot count grows", () => {
    const live = new LiveUnits();
    const table = new PositionTable();
    let units = new Map([["u0", unit(0)]]);
    fix(table, 0, 116.4, 39.9, T0);
    live.update({ units, positions: table, positionsVersion: table.version }, T0);
    const bodies = live.deck.bodies;
    const wrapper = bodies.attributes.getPosition;
    fix(table, 0, 116.41, 39.9, T0 + 1000);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + 1000);
    expect(live.deck.bodies).toBe(bodies);
    expect(live.deck.bodies.attributes.getPosition).not.toBe(wrapper);
    expect(live.deck.bodies.attributes.getPosition.value[0]).toBeCloseTo(116.41, 6);
    units = new Map([...units, ["u1", unit(1)]]);
    fix(table, 1, 116.5, 39.9, T0 + 1000);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + 1000);
    expect(live.deck.bodies).not.toBe(bodies);
    expect(live.deck.bodies.length).toBe(2);
  });

  it("copies trails only while they are drawn and only for staff inside the visible bounds", () => {
    const live = new LiveUnits();
    const table = new PositionTable();
    const units = new Map([["u0", unit(0)], ["u1", unit(1)]]);
    let t = T0;
    const step = () => {
      t += 31_000;
      fix(table, 0, 116.40 + (t - T0) * 1e-8, 39.9, t);
      fix(table, 1, 117.40 + (t - T0) * 1e-8, 39.9, t);
      live.update({ units, positions: table, positionsVersion: table.version }, t);
    };
    for (let i = 0; i < 4; i++) step();
    expect(live.trails).toBeNull();
    live.setTrailScope(true, [116.3, 39.8, 116.5, 40.0]);
    t += TRAIL_REBUILD_MS;
    step();
    expect(live.trails?.length).toBe(1);
    live.setTrailScope(false, null);
    t += TRAIL_REBUILD_MS;
    step();
    expect(live.trails).toBeNull();
  });

  it("forgets the trail of a slot handed to another unit", () => {
    const live = new LiveUnits();
    const table = new PositionTable();
    live.setTrailScope(true, null);
    fix(table, 0, 116.4, 39.9, T0);
    live.update({ units: new Map([["a", unit(0, "on_patrol", "a")]]), positions: table, positionsVersion: table.version }, T0);
    fix(table, 0, 116.41, 39.9, T0 + 60_000);
    live.update({ units: new Map([["a", unit(0, "on_patrol", "a")]]), positions: table, positionsVersion: table.version }, T0 + 60_000);
    expect(live.trailStore.count[0]).toBe(2);
    live.update({ units: new Map([["b", unit(0, "on_patrol", "b")]]), positions: table, positionsVersion: table.version }, T0 + 61_000);
    expect(live.trailStore.count[0]).toBe(0);
  });
});

/*
 * The incremental picture against the reference: after any sequence of fix
 * batches, roster changes, clock steps (forward mostly, sometimes back) and
 * table resets, the attributes LiveUnits holds equal a full
 * buildUnitAttributes over the same table, roster and time.
 */
describe("live units, incremental against a full rebuild", () => {
  const SLOTS = 40;
  const statuses: UnitView["status"][] = ["on_patrol", "busy", "off_duty", "sos"];
  type Step =
    | { kind: "fixes"; fixes: { slot: number; lon: number; lat: number; age: number; heading: number | null }[] }
    | { kind: "roster"; changes: { slot: number; status: number | null }[] }
    | { kind: "time"; ms: number }
    | { kind: "clear" };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("fixes" as const), fixes: fc.array(fc.record({ slot: fc.integer({ min: 0, max: SLOTS - 1 }), lon: fc.double({ min: 116, max: 117, noNaN: true }), lat: fc.double({ min: 39, max: 40, noNaN: true }), age: fc.integer({ min: -5_000, max: 3 * STALE_AFTER_MS }), heading: fc.option(fc.integer({ min: 0, max: 359 })) }), { maxLength: 12 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("roster" as const), changes: fc.array(fc.record({ slot: fc.integer({ min: 0, max: SLOTS + 5 }), status: fc.option(fc.integer({ min: 0, max: statuses.length - 1 })) }), { maxLength: 6 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("time" as const), ms: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 30_000, max: 3 * STALE_AFTER_MS }), fc.integer({ min: -20_000, max: 0 })) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
  );

  function expectSame(actual: UnitAttributes, expected: UnitAttributes): void {
    const n = expected.length;
    expect(actual.length).toBe(n);
    expect({ shown: actual.shown, stale: actual.stale, sos: [...actual.sos] }).toEqual({ shown: expected.shown, stale: expected.stale, sos: [...expected.sos] });
    expect([...actual.positions.subarray(0, n * 2)]).toEqual([...expected.positions.subarray(0, n * 2)]);
    expect([...actual.fillWords.subarray(0, n)]).toEqual([...expected.fillWords.subarray(0, n)]);
    expect([...actual.lineWords.subarray(0, n)]).toEqual([...expected.lineWords.subarray(0, n)]);
    expect([...actual.radii.subarray(0, n)]).toEqual([...expected.radii.subarray(0, n)]);
    expect([...actual.angles.subarray(0, n)]).toEqual([...expected.angles.subarray(0, n)]);
    expect([...actual.headingSizes.subarray(0, n)]).toEqual([...expected.headingSizes.subarray(0, n)]);
  }

  it("equals buildUnitAttributes after every update, for random fixes, statuses, staleness and resets", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const live = new LiveUnits();
        const table = new PositionTable();
        const roster = new Map<number, number>();
        for (let slot = 0; slot < SLOTS; slot += 2) roster.set(slot, 0);
        const unitsOf = () => new Map([...roster].map(([slot, status]) => [`u${slot}`, unit(slot, statuses[status])]));
        let units = unitsOf();
        let now = T0;
        live.update({ units, positions: table, positionsVersion: table.version }, now, true);
        for (const s of steps) {
          if (s.kind === "fixes") {
            const data = new Float64Array(s.fixes.length * POSITION_STRIDE);
            s.fixes.forEach((f, i) => data.set([f.slot, f.lon, f.lat, now - f.age, f.heading ?? Number.NaN, 1], i * POSITION_STRIDE));
            table.apply(data);
          } else if (s.kind === "roster") {
            for (const { slot, status } of s.changes) {
              if (status === null) roster.delete(slot);
              else roster.set(slot, status);
            }
            units = unitsOf();
          } else if (s.kind === "time") {
            now += s.ms;
          } else {
            table.clear();
          }
          live.update({ units, positions: table, positionsVersion: table.version }, now, s.kind === "time");
          expectSame(live.attributes, buildUnitAttributes(table, buildUnitRoster(units.values()), now, new UnitAttributes()));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("greys staff from the schedule as their fixes turn two minutes old, without a fix or a roster change", () => {
    const live = new LiveUnits();
    const table = new PositionTable();
    const units = new Map([["u0", unit(0)], ["u1", unit(1)]]);
    fix(table, 0, 116.4, 39.9, T0);
    fix(table, 1, 116.4, 39.9, T0 + 30_000);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + 30_000);
    expect(live.attributes.stale).toBe(0);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + STALE_AFTER_MS, true);
    expect(live.attributes.stale).toBe(0);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + STALE_AFTER_MS + 1, true);
    expect(live.attributes.stale).toBe(1);
    expect(live.attributes.fillWords[0]).not.toBe(live.attributes.fillWords[1]);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + 30_000 + STALE_AFTER_MS + 1, true);
    expect(live.attributes.stale).toBe(2);
    expect(live.picture.schedule.size).toBe(0);
  });

  it("rewrites only the slots in the update: a slot no fix named keeps its bytes even if the table under it changed", () => {
    // Proves the path is incremental: an out-of-band write to the table (which the journal never sees) is not picked up.
    const live = new LiveUnits();
    const table = new PositionTable();
    const units = new Map([["u0", unit(0)], ["u1", unit(1)]]);
    fix(table, 0, 116.4, 39.9, T0);
    fix(table, 1, 116.5, 39.9, T0);
    live.update({ units, positions: table, positionsVersion: table.version }, T0);
    table.lon[1] = 116.9;
    fix(table, 0, 116.41, 39.9, T0 + 1000);
    live.update({ units, positions: table, positionsVersion: table.version }, T0 + 1000);
    expect(live.attributes.positions[0]).toBeCloseTo(116.41, 9);
    expect(live.attributes.positions[2]).toBeCloseTo(116.5, 9);
  });
});

describe("live units, quiet periods", () => {
  it("answers a forced look with no fix, no status change and nobody turning stale with no new version, and redraws when someone greys", () => {
    const live = new LiveUnits();
    const table = new PositionTable();
    const units = new Map([["u0", unit(0)]]);
    fix(table, 0, 116.4, 39.9, T0);
    expect(live.update({ units, positions: table, positionsVersion: table.version }, T0, true)).toBe(true);
    const version = live.version;
    expect(live.update({ units, positions: table, positionsVersion: table.version }, T0 + 5_000, true)).toBe(false);
    expect(live.version).toBe(version);
    expect(live.update({ units, positions: table, positionsVersion: table.version }, T0 + STALE_AFTER_MS + 1, true)).toBe(true);
    expect(live.version).toBe(version + 1);
    expect(live.snapshot().stale).toBe(1);
    expect(live.update({ units, positions: table, positionsVersion: table.version }, T0 + STALE_AFTER_MS + 5_000, true)).toBe(false);
  });
});

describe("live units, trails of the staff in view", () => {
  it("copies the same trails as a scan of every slot, while staff move in and out of the view and the view moves", () => {
    const SLOTS = 30;
    type Step = { kind: "fixes"; fixes: { slot: number; lon: number; lat: number }[] } | { kind: "view"; bounds: [number, number, number, number] | null } | { kind: "status"; slot: number; status: UnitView["status"] };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant("fixes" as const), fixes: fc.array(fc.record({ slot: fc.integer({ min: 0, max: SLOTS - 1 }), lon: fc.double({ min: 116, max: 117, noNaN: true }), lat: fc.double({ min: 39, max: 40, noNaN: true }) }), { maxLength: 10 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("view" as const), bounds: fc.option(fc.tuple(fc.double({ min: 116, max: 116.5, noNaN: true }), fc.double({ min: 39, max: 39.5, noNaN: true })).map(([x, y]): [number, number, number, number] => [x, y, x + 0.5, y + 0.5])) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("status" as const), slot: fc.integer({ min: 0, max: SLOTS - 1 }), status: fc.constantFrom<UnitView["status"]>("on_patrol", "off_duty", "busy") }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const live = new LiveUnits();
        const table = new PositionTable();
        const statuses = new Map(Array.from({ length: SLOTS }, (_, slot) => [slot, "on_patrol" as UnitView["status"]]));
        const unitsOf = () => new Map([...statuses].map(([slot, status]) => [`u${slot}`, unit(slot, status)]));
        let units = unitsOf();
        live.setTrailScope(true, [116, 39, 116.5, 39.5]);
        let t = T0;
        for (const s of steps) {
          t += 31_000;
          if (s.kind === "fixes") {
            const data = new Float64Array(s.fixes.length * POSITION_STRIDE);
            s.fixes.forEach((f, i) => data.set([f.slot, f.lon, f.lat, t, 0, 1], i * POSITION_STRIDE));
            table.apply(data);
          } else if (s.kind === "view") {
            live.setTrailScope(true, s.bounds);
          } else {
            statuses.set(s.slot, s.status);
            units = unitsOf();
          }
          live.update({ units, positions: table, positionsVersion: table.version }, t, true);
          live.rebuildTrails(t);
          const a = live.attributes;
          const bounds = live["trailBounds"];
          const include = (slot: number) =>
            slot < a.length && (a.radii[slot] as number) > 0 && (!bounds || ((a.positions[slot * 2] as number) >= bounds[0] && (a.positions[slot * 2] as number) <= bounds[2] && (a.positions[slot * 2 + 1] as number) >= bounds[1] && (a.positions[slot * 2 + 1] as number) <= bounds[3]));
          const expected = trailDeckData(buildTrailAttributes(live.trailStore, t, include, new TrailAttributes()));
          const actual = live.trails;
          expect(actual).not.toBeNull();
          expect(actual?.length).toBe(expected.length);
          expect([...(actual?.startIndices ?? [])]).toEqual([...expected.startIndices]);
          expect([...(actual?.attributes.getPath.value ?? [])]).toEqual([...expected.attributes.getPath.value]);
          expect([...(actual?.attributes.getColor.value ?? [])]).toEqual([...expected.attributes.getColor.value]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
