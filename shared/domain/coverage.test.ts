import { describe, expect, it } from "vitest";
import { coverageReport, weekDates } from "./coverage.js";

const GRIDS = ["110101001001001", "110101001001002", "110101001001003", "110101001001004"];
const [G1, G2, G3, G4] = GRIDS as [string, string, string, string];

describe("patrol coverage", () => {
  it("names the seven Beijing dates ending today, across a month end", () => {
    expect(weekDates("2026-12-02")).toEqual(["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]);
  });

  it("counts grids visited today and grids below three visits a week, each with its last visit in the week", () => {
    // Today G1 (2 visits) and G2 (1) visited → 2 of 4 = 50%.
    // Week: G1 2 + 1 (11-20) = 3, meets the rule; G2 1 + 1 (11-16) = 2 below; G3 4 on 11-15, outside the week → 0 below;
    // G4 3 on 11-18 → meets the rule. Below, fewest first: G3 (0), G2 (2).
    const report = coverageReport(
      {
        today: "2026-11-22",
        visitsByDay: {
          "2026-11-15": { [G3]: 4 },
          "2026-11-16": { [G2]: 1 },
          "2026-11-18": { [G4]: 3 },
          "2026-11-20": { [G1]: 1 },
          "2026-11-22": { [G1]: 2, [G2]: 1 },
        },
      },
      GRIDS,
    );
    expect(report).toEqual({
      grids: 4,
      visitedToday: 2,
      todayShare: 0.5,
      belowWeekly: [
        { gridCode: G3, visits: 0, lastVisit: null },
        { gridCode: G2, visits: 2, lastVisit: "2026-11-22" },
      ],
      weeklyMinimum: 3,
      daysCovered: 4,
    });
  });

  it("has no share for a layer with no grids and flags every grid when no one has patrolled", () => {
    expect(coverageReport({ today: "2026-11-22", visitsByDay: {} }, []).todayShare).toBeNull();
    const report = coverageReport({ today: "2026-11-22", visitsByDay: {} }, [G1, G2]);
    expect(report.visitedToday).toBe(0);
    expect(report.todayShare).toBe(0);
    expect(report.belowWeekly.map((g) => g.gridCode)).toEqual([G1, G2]);
    expect(report.daysCovered).toBe(0);
  });
});
