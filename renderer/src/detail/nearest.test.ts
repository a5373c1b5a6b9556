import { describe, expect, it } from "vitest";
import type { UnitView } from "../../../shared/bridge/contract.js";
import { formatMeters, nearestOnPatrol } from "./nearest.js";

const unit = (id: string, slot: number, status: UnitView["status"] = "on_patrol"): UnitView => ({ id, name: id, role: "grid_assistant", gridCode: "110101001001001", status, slot });
const now = 1_800_000_000_000;

describe("nearestOnPatrol", () => {
  const units = [unit("far", 0), unit("near", 1), unit("busy", 2, "busy"), unit("stale", 3), unit("nofix", 4), unit("mid", 5)];
  const positions = {
    lon: [116.42, 116.4005, 116.4001, 116.4001, 0, 116.405],
    lat: [39.92, 39.9, 39.9, 39.9, 0, 39.9],
    at: [now - 1000, now - 2000, now - 1000, now - 10 * 60_000, 0, now - 60_000],
  };

  it("ranks on-patrol staff with a fresh fix by distance, leaving out busy, stale and unplaced staff", () => {
    const found = nearestOnPatrol(units, positions, 116.4, 39.9, now);
    expect(found.map((f) => f.unit.id)).toEqual(["near", "mid", "far"]);
    expect(found[0]?.meters).toBeGreaterThan(40);
    expect(found[0]?.meters).toBeLessThan(45);
    expect(found[0]?.fixAgeMs).toBe(2000);
  });

  it("returns at most the asked number", () => {
    expect(nearestOnPatrol(units, positions, 116.4, 39.9, now, 1).map((f) => f.unit.id)).toEqual(["near"]);
  });
});

describe("formatMeters", () => {
  it("shows metres below a kilometre and kilometres above", () => {
    expect(formatMeters(849.6)).toBe("850 m");
    expect(formatMeters(1260)).toBe("1.3 km");
  });
});
