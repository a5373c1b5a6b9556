import { describe, expect, it } from "vitest";
import type { ArchivedCase, IncidentView } from "../../../shared/bridge/contract.js";
import { INCIDENTS, NOW } from "../../../shared/domain/fixtures/kpi-fixture.js";
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
});
