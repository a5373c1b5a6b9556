import { describe, expect, it } from "vitest";
import { hotSpots } from "./hotspots.js";
import type { KpiIncident } from "./kpi-time.js";

const NOW = Date.parse("2026-11-22T15:00:00.000+08:00");
let serial = 0;
/** `count` cases in `grid` on November `day` at 10:00 Beijing. */
function cases(grid: string, day: number, count: number): KpiIncident[] {
  return Array.from({ length: count }, () => ({
    id: `I${serial++}`,
    status: "reported" as const,
    createdAt: `2026-11-${String(day).padStart(2, "0")}T10:00:00.000+08:00`,
    updatedAt: `2026-11-${String(day).padStart(2, "0")}T10:00:00.000+08:00`,
    reworkCount: 0,
    category: { code: "0401", major: "市容环境", minor: "垃圾堆放" },
    gridCode: grid,
  }));
}

const QUIET = "110101001001001";
const BUSY = "110101001001002";
const NEW = "110101001001003";
const STEADY = "110101001001004";

describe("hot spots", () => {
  // Baseline window: the whole days 11-15 … 11-21. History starts 11-14 (the marker case), so all 7 days count.
  const marker = cases("110101009009009", 14, 1);

  it("flags a grid far above its own week and says by how much", () => {
    // QUIET: 11-16 1, 11-18 2, 11-20 1, other days 0 → daily [0,1,0,2,0,1,0], mean 4/7 = 0.5714,
    // variance = (3·0.5714² + 2·0.4286² + 1.4286² + … ) computed: Σ(x−m)² = 4·0.3265 + 2·0.1837 + 2.0408 = 3.7143 → /7 = 0.5306,
    // sd = 0.7284, threshold = max(3, 0.5714 + 1.4568 = 2.0282) = 3. Today 5 ≥ 3 → hot.
    const incidents = [...marker, ...cases(QUIET, 16, 1), ...cases(QUIET, 18, 2), ...cases(QUIET, 20, 1), ...cases(QUIET, 22, 5)];
    const [spot, ...rest] = hotSpots(incidents, NOW);
    expect(rest).toEqual([]);
    expect(spot?.gridCode).toBe(QUIET);
    expect(spot?.today).toBe(5);
    expect(spot?.mean).toBeCloseTo(4 / 7, 10);
    expect(spot?.sd).toBeCloseTo(Math.sqrt(3.7142857 / 7), 6);
    expect(spot?.threshold).toBe(3);
    expect(spot?.baselineDays).toBe(7);
  });

  it("does not flag a busy grid on an ordinary busy day", () => {
    // BUSY: 6 a day all week → mean 6, sd 0, threshold 6; today 5 < 6 → not hot.
    // STEADY: 8,8,8,8,8,8,15 → mean 9, Σ(x−m)² = 6·1 + 36 = 42, sd = √6 = 2.449, threshold 13.90; today 12 → not hot.
    const week = [15, 16, 17, 18, 19, 20, 21].flatMap((d) => cases(BUSY, d, 6));
    const steady = [15, 16, 17, 18, 19, 20].flatMap((d) => cases(STEADY, d, 8));
    const incidents = [...marker, ...week, ...cases(BUSY, 22, 5), ...steady, ...cases(STEADY, 21, 15), ...cases(STEADY, 22, 12)];
    expect(hotSpots(incidents, NOW)).toEqual([]);
  });

  it("needs at least three cases today however quiet the grid was", () => {
    // NEW had nothing all week: mean 0, sd 0; 2 today is below the floor of 3, 3 is hot.
    expect(hotSpots([...marker, ...cases(NEW, 22, 2)], NOW)).toEqual([]);
    expect(hotSpots([...marker, ...cases(NEW, 22, 3)], NOW).map((s) => [s.gridCode, s.today, s.mean])).toEqual([[NEW, 3, 0]]);
  });

  it("uses the whole days the history covers, and none when it covers no whole day", () => {
    // History from 11-21 10:00: no whole day before today is covered → no baseline → no hot spots.
    expect(hotSpots([...cases(QUIET, 21, 1), ...cases(QUIET, 22, 9)], NOW)).toEqual([]);
    // History from 11-20 10:00: only 11-21 is whole → baseline of 1 day: [1], mean 1, sd 0, threshold 3; today 9 → hot.
    const spots = hotSpots([...cases(NEW, 20, 1), ...cases(QUIET, 21, 1), ...cases(QUIET, 22, 9)], NOW);
    expect(spots.map((s) => [s.gridCode, s.today, s.mean, s.baselineDays])).toEqual([[QUIET, 9, 1, 1]]);
  });
});
