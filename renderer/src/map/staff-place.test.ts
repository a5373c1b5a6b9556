import { describe, expect, it } from "vitest";
import type { UnitView } from "../../../shared/bridge/contract.js";
import type { Alert } from "../../../shared/protocol/types.js";
import { PositionTable } from "../state/positions.js";
import { staffPlace } from "./staff-place.js";

const unit = (id: string, slot: number) => ({ id, slot }) as UnitView;
const alert = (id: string, unitId: string, lon?: number, lat?: number): Alert => ({ id, at: "2026-11-30T22:00:00+08:00", level: "critical", title: "SOS", unitId, ...(lon === undefined ? {} : { lon }), ...(lat === undefined ? {} : { lat }) });

describe("where a staff member asked for is", () => {
  const units = new Map([
    ["u1", unit("u1", 0)],
    ["u2", unit("u2", 1)],
  ]);

  it("is their last fix when they have one", () => {
    const positions = new PositionTable();
    positions.apply(new Float64Array([0, 116.41, 39.93, 1_000, Number.NaN, Number.NaN]));
    expect(staffPlace({ units, positions, alerts: [alert("a1", "u1", 116.5, 39.8)] }, "u1")).toEqual([116.41, 39.93]);
  });

  it("is where their newest alert says when they have no fix (alerts come newest first), and unknown with neither", () => {
    const positions = new PositionTable();
    positions.apply(new Float64Array([0, 116.41, 39.93, 1_000, Number.NaN, Number.NaN]));
    const alerts = [alert("a3", "u2"), alert("a2", "u2", 116.42, 39.91), alert("a1", "u2", 116.3, 39.8)];
    expect(staffPlace({ units, positions, alerts }, "u2")).toEqual([116.42, 39.91]);
    expect(staffPlace({ units, positions, alerts: [] }, "u2")).toBeNull();
    expect(staffPlace({ units, positions, alerts }, "nobody")).toBeNull();
  });
});
