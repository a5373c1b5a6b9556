import { describe, expect, it } from "vitest";
import { ArchivedCases } from "./archived.js";
import { makeIncident } from "./testing/mini-feed.js";

const NOW = Date.parse("2026-11-22T15:00:00.000+08:00");
const DAY = 86_400_000;
const closed = (id: string, at: number) =>
  makeIncident(id, 3, { status: "closed", updatedAt: new Date(at).toISOString(), history: [{ at: new Date(at).toISOString(), action: "close", actor: "值班员", note: "ok" }] });

describe("ArchivedCases", () => {
  it("keeps the cases archived within the last eight days as KPI records, without title or personal data", () => {
    const archived = new ArchivedCases();
    archived.add([closed("A", NOW - DAY), closed("OLD", NOW - 9 * DAY)], NOW);
    const [record] = archived.list();
    expect(archived.list().map((r) => r.id)).toEqual(["A"]);
    expect(record).toMatchObject({ id: "A", status: "closed", milestones: { closed: new Date(NOW - DAY).toISOString() } });
    expect(record && ("title" in record || "reporter" in record || "history" in record)).toBe(false);
    expect(archived.takeChanges()?.upserts.map((r) => r.id)).toEqual(["A"]);
    expect(archived.takeChanges()).toBeNull();
  });

  it("lets a case go once it is older than the window, and says so", () => {
    const archived = new ArchivedCases();
    archived.add([closed("A", NOW - DAY)], NOW);
    archived.takeChanges();
    archived.prune(NOW + 8 * DAY);
    expect(archived.list()).toEqual([]);
    expect(archived.takeChanges()).toEqual({ upserts: [], removed: ["A"], reset: false });
  });
});
