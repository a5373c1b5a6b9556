import { describe, expect, it } from "vitest";
import type { IncidentView } from "../../../../shared/bridge/contract.js";
import { classify, countIncidentsByGrid, coverageByGrid, gridMetricValues, legendEntries, METRIC_BREAKS, METRIC_PALETTES } from "./choropleth.js";

const incident = (id: string, gridCode: string, status: IncidentView["status"] = "dispatched"): IncidentView => ({
  id, version: 1, title: id, category: { code: "c", major: "m", minor: "n" }, priority: "normal", status, source: "patrol",
  lon: 116.4, lat: 39.9, gridCode, reworkCount: 0, createdAt: "2026-11-23T08:00:00+08:00", updatedAt: "2026-11-23T08:00:00+08:00",
});
const grids = new Map([["g0", 0], ["g1", 1], ["g2", 2]]);

describe("choropleth values", () => {
  it("counts open cases per grid and leaves closed ones out", () => {
    const values = gridMetricValues("open", {
      incidents: [incident("a", "g0"), incident("b", "g0"), incident("c", "g2"), incident("d", "g2", "closed"), incident("e", "g1", "rejected")],
      coverage: null, gridIndex: grids, gridCount: 3, isOverdue: () => false,
    });
    expect([...values]).toEqual([2, 0, 1]);
  });

  it("counts only overdue open cases for the overdue metric", () => {
    const values = gridMetricValues("overdue", {
      incidents: [incident("late", "g1"), incident("fine", "g1"), incident("lateClosed", "g1", "closed")],
      coverage: null, gridIndex: grids, gridCount: 3, isOverdue: (i) => i.id.startsWith("late"),
    });
    expect([...values]).toEqual([0, 1, 0]);
  });

  it("places a case naming an unknown grid by its position when a locator is given", () => {
    const counts = countIncidentsByGrid([incident("x", "nowhere")], grids, 3, () => true, () => 2);
    expect([...counts]).toEqual([0, 0, 1]);
    expect([...countIncidentsByGrid([incident("x", "nowhere")], grids, 3, () => true)]).toEqual([0, 0, 0]);
  });

  it("reads today's patrol visits and ignores other days and unknown grids", () => {
    const visits = coverageByGrid({ today: "2026-11-23", visitsByDay: { "2026-11-23": { g0: 4, g9: 7 }, "2026-11-22": { g1: 9 } } }, grids, 3);
    expect([...visits]).toEqual([4, 0, 0]);
  });

  it("adds up a week's visits per grid for the weekly rule, leaving out days before the week", () => {
    const summary = { today: "2026-11-23", visitsByDay: { "2026-11-23": { g0: 1 }, "2026-11-20": { g0: 2, g1: 1 }, "2026-11-16": { g1: 5 }, "2026-11-17": { g2: 1 } } };
    expect([...gridMetricValues("weekly", { incidents: [], coverage: summary, gridIndex: grids, gridCount: 3, isOverdue: () => false })]).toEqual([3, 1, 1]);
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
