import { describe, expect, it } from "vitest";
import { classify, coverageByGrid, gridMetricValues, legendEntries, METRIC_BREAKS, METRIC_PALETTES } from "./choropleth.js";

const grids = new Map([["g0", 0], ["g1", 1], ["g2", 2]]);
const marker = (gridIndex: number, overdue = false) => ({ gridIndex, overdue });

describe("choropleth values", () => {
  it("counts the markers of open cases per grid, leaving out those in no grid of the layer", () => {
    const values = gridMetricValues("open", { markers: [marker(0), marker(0), marker(2), marker(-1), marker(7)], coverage: null, gridIndex: grids, gridCount: 3 });
    expect([...values]).toEqual([2, 0, 1]);
  });

  it("counts only overdue ones for the overdue metric", () => {
    const values = gridMetricValues("overdue", { markers: [marker(1, true), marker(1), marker(2, true)], coverage: null, gridIndex: grids, gridCount: 3 });
    expect([...values]).toEqual([0, 1, 1]);
  });

  it("reads today's patrol visits and ignores other days and unknown grids", () => {
    const visits = coverageByGrid({ today: "2026-11-23", visitsByDay: { "2026-11-23": { g0: 4, g9: 7 }, "2026-11-22": { g1: 9 } } }, grids, 3);
    expect([...visits]).toEqual([4, 0, 0]);
  });

  it("adds up a week's visits per grid for the weekly rule, leaving out days before the week", () => {
    const summary = { today: "2026-11-23", visitsByDay: { "2026-11-23": { g0: 1 }, "2026-11-20": { g0: 2, g1: 1 }, "2026-11-16": { g1: 5 }, "2026-11-17": { g2: 1 } } };
    expect([...gridMetricValues("weekly", { markers: [], coverage: summary, gridIndex: grids, gridCount: 3 })]).toEqual([3, 1, 1]);
    // The rule's bound is where the class turns: 2 visits and 3 fall on either side.
    expect(classify([2, 3], METRIC_BREAKS.weekly)[0]).toBeLessThan(classify([2, 3], METRIC_BREAKS.weekly)[1] as number);
  });

  it("classes values by lower bounds, one class per palette colour", () => {
    expect([...classify([0, 1, 2, 3, 5, 6, 9, 10, 400], METRIC_BREAKS.open)]).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    for (const metric of ["open", "overdue", "coverage", "weekly"] as const) expect(METRIC_PALETTES[metric].length).toBe(METRIC_BREAKS[metric].length + 1);
  });

  it("labels the legend with each class's range", () => {
    expect(legendEntries("open").map((e) => e.label)).toEqual(["0", "1–2", "3–5", "6–9", "≥10"]);
    expect(legendEntries("overdue").map((e) => e.label)).toEqual(["0", "1", "2–3", "4–6", "≥7"]);
  });
});
