import { describe, expect, it } from "vitest";
import { POSITION_STRIDE, type UnitView } from "../../../shared/bridge/contract.js";
import { PositionTable } from "../state/positions.js";
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
