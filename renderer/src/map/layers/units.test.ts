import { describe, expect, it } from "vitest";
import { POSITION_STRIDE, type UnitView } from "../../../../shared/bridge/contract.js";
import { PositionTable } from "../../state/positions.js";
import { buildUnitAttributes, buildUnitRoster, HEADING_SIZE_PX, STALE_AFTER_MS, UNIT_COLORS, UnitAttributes } from "./units.js";

const NOW = Date.parse("2026-11-23T10:00:00+08:00");
const unit = (slot: number, status: UnitView["status"], role: UnitView["role"] = "grid_assistant"): UnitView => ({ id: `u${slot}`, name: `员${slot}`, role, gridCode: "g", status, slot });

function table(fixes: [slot: number, lon: number, lat: number, at: number, heading: number][]): PositionTable {
  const t = new PositionTable();
  const data = new Float64Array(fixes.length * POSITION_STRIDE);
  fixes.forEach(([slot, lon, lat, at, heading], i) => data.set([slot, lon, lat, at, heading, Number.NaN], i * POSITION_STRIDE));
  t.apply(data);
  return t;
}

describe("unit attributes", () => {
  it("shows units with a fix that are not off duty, and counts them", () => {
    const roster = buildUnitRoster([unit(0, "on_patrol"), unit(1, "off_duty"), unit(2, "busy"), unit(3, "on_patrol")]);
    const positions = table([[0, 116.41, 39.91, NOW, 90], [1, 116.42, 39.92, NOW, 0], [2, 116.43, 39.93, NOW, Number.NaN]]);
    const out = buildUnitAttributes(positions, roster, NOW, new UnitAttributes());
    expect(out.shown).toBe(2);
    expect(out.length).toBe(4);
    expect([...out.positions.subarray(0, 2)]).toEqual([116.41, 39.91]);
    expect(out.radii[0]).toBeGreaterThan(0);
    expect(out.radii[1]).toBe(0);
    expect(out.radii[3]).toBe(0);
    expect(out.fillColors[1 * 4 + 3]).toBe(0);
  });

  it("turns a compass heading into deck.gl's counter-clockwise angle and hides the arrow when the heading is unknown", () => {
    const roster = buildUnitRoster([unit(0, "on_patrol"), unit(1, "on_patrol")]);
    const out = buildUnitAttributes(table([[0, 116.4, 39.9, NOW, 90], [1, 116.4, 39.9, NOW, Number.NaN]]), roster, NOW, new UnitAttributes());
    expect(out.angles[0]).toBe(-90);
    expect(out.headingSizes[0]).toBe(HEADING_SIZE_PX);
    expect(out.headingSizes[1]).toBe(0);
  });

  it("greys a unit with no fix for two minutes and drops its heading", () => {
    const roster = buildUnitRoster([unit(0, "on_patrol"), unit(1, "on_patrol")]);
    const out = buildUnitAttributes(table([[0, 116.4, 39.9, NOW - STALE_AFTER_MS - 1, 45], [1, 116.4, 39.9, NOW - STALE_AFTER_MS + 1000, 45]]), roster, NOW, new UnitAttributes());
    expect(out.stale).toBe(1);
    expect([...out.fillColors.subarray(0, 4)]).toEqual([...UNIT_COLORS.stale]);
    expect([...out.fillColors.subarray(4, 8)]).toEqual([...UNIT_COLORS.onPatrol]);
    expect(out.headingSizes[0]).toBe(0);
  });

  it("lists units in SOS, stale or not, so they can be drawn on top", () => {
    const roster = buildUnitRoster([unit(0, "sos"), unit(1, "on_patrol"), unit(2, "sos")]);
    const out = buildUnitAttributes(table([[0, 116.4, 39.9, NOW - 10 * STALE_AFTER_MS, 0], [1, 116.4, 39.9, NOW, 0], [2, 116.4, 39.9, NOW, 0]]), roster, NOW, new UnitAttributes());
    expect(out.sos).toEqual([0, 2]);
  });

  it("reuses its buffers across updates and bumps the layout only when the slot count changes", () => {
    const roster = buildUnitRoster([unit(0, "on_patrol"), unit(1, "busy")]);
    const out = new UnitAttributes();
    const positions = table([[0, 116.4, 39.9, NOW, 0], [1, 116.5, 39.8, NOW, 0]]);
    buildUnitAttributes(positions, roster, NOW, out);
    const buffer = out.positions;
    const layout = out.layout;
    positions.apply(new Float64Array([1, 116.51, 39.81, NOW + 10_000, 10, 1]));
    buildUnitAttributes(positions, roster, NOW + 10_000, out);
    expect(out.positions).toBe(buffer);
    expect(out.layout).toBe(layout);
    expect([...out.positions.subarray(2, 4)]).toEqual([116.51, 39.81]);
    buildUnitAttributes(positions, buildUnitRoster([unit(0, "on_patrol"), unit(1, "busy"), unit(2, "busy")]), NOW, out);
    expect(out.layout).toBe(layout + 1);
  });
});
