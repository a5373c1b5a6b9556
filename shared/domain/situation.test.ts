import { describe, expect, it } from "vitest";
import type { ArchivedCase } from "../bridge/archived.js";
import type { IncidentView } from "../bridge/contract.js";
import { INCIDENTS, NOW } from "./fixtures/kpi-fixture.js";
import { dailyAggregates } from "./kpi-days.js";
import { computeSituation } from "./situation.js";

/* The fixture's cases as views: the KPI fields are all a view carries that the figures read. */
const views = (ids: string[]): Map<string, IncidentView> =>
  new Map(INCIDENTS.filter((c) => ids.includes(c.id)).map((c) => [c.id, { ...c, title: c.id, priority: "normal", source: "patrol", lon: 116.4, lat: 39.9 } as IncidentView]));
const archivedRecord = (id: string): ArchivedCase => ({ ...INCIDENTS.find((c) => c.id === id)!, priority: "normal" });
const ALL = INCIDENTS.map((c) => c.id);

describe("computeSituation", () => {
  it("keeps a case the platform archived in today's figures: 今日结案 does not fall when a closed case is archived", () => {
    const before = computeSituation(views(ALL), new Map(), null, new Map(), NOW);
    // A (closed 11:20 today) and E (closed 14:00 today) leave the live picture; the engine hands them on as archived.
    const after = computeSituation(views(ALL.filter((id) => id !== "A" && id !== "E")), new Map(), null, new Map(), NOW, new Map([["A", archivedRecord("A")], ["E", archivedRecord("E")]]));
    expect(before.summary.today.closed).toBe(2);
    expect(after.summary.today).toEqual(before.summary.today);
    expect(after.trend).toEqual(before.trend);
    expect(after.ranking).toEqual(before.ranking);
  });

  it("counts a case once when the platform tracks it again after archiving it", () => {
    const twice = computeSituation(views(ALL), new Map(), null, new Map(), NOW, new Map([["A", archivedRecord("A")]]));
    expect(twice.summary.today.closed).toBe(2);
  });

  it("draws a past day's trend bars from its recorded figures, whatever became of its cases since", () => {
    const recorded = dailyAggregates(INCIDENTS, ["2026-11-21"]);
    // The cases of the 21st are gone (archived and pruned): the record still says what the day was.
    const later = computeSituation(views(["A", "B", "C"]), new Map(), null, new Map(), NOW, new Map(), recorded);
    expect(later.trend.find((d) => d.date === "2026-11-21")).toEqual({ date: "2026-11-21", reported: 4, closed: 1 });
    expect(computeSituation(views(["A", "B", "C"]), new Map(), null, new Map(), NOW).trend.find((d) => d.date === "2026-11-21")).toEqual({ date: "2026-11-21", reported: 0, closed: 0 });
  });

  it("reads 同比 from the same date last year's record, and has none without it", () => {
    const yearAgo = dailyAggregates(INCIDENTS, ["2026-11-22"]).map((day) => ({ ...day, date: "2025-11-22" }));
    expect(computeSituation(views(ALL), new Map(), null, new Map(), NOW).summary.lastYear).toBeNull();
    const withRecord = computeSituation(views(ALL), new Map(), null, new Map(), NOW, new Map(), yearAgo).summary.lastYear;
    // At 15:00: the record's reports up to 15:00 (A 08:00, B 09:00, C 10:00), its whole day's closure rate.
    expect(withRecord?.reported).toBe(3);
    expect(withRecord?.closureRate).toBe(yearAgo[0]!.metrics.closureRate);
  });
});
