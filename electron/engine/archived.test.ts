import { describe, expect, it } from "vitest";
import { ArchivedCases, splitSnapshot } from "./archived.js";
import { makeIncident } from "./testing/mini-feed.js";

const NOW = Date.parse("2026-11-22T15:00:00.000+08:00");
const DAY = 86_400_000;
const closed = (id: string, at: number) =>
  makeIncident(id, 3, { status: "closed", updatedAt: new Date(at).toISOString(), history: [{ at: new Date(at).toISOString(), action: "close", actor: "值班员", note: "ok" }] });

describe("a snapshot's cases closed long ago", () => {
  it("are history at once: closed or rejected more than a day before the snapshot, open ones never", () => {
    const open = makeIncident("OPEN", 1, { status: "processing", updatedAt: new Date(NOW - 30 * DAY).toISOString() });
    const rejected = makeIncident("REJ", 2, { status: "rejected", updatedAt: new Date(NOW - 2 * DAY).toISOString() });
    const { live, history } = splitSnapshot([closed("OLD", NOW - DAY - 1), closed("RECENT", NOW - DAY + 1), open, rejected], NOW);
    expect(history.map((c) => c.id)).toEqual(["OLD", "REJ"]);
    expect(live.map((c) => c.id)).toEqual(["RECENT", "OPEN"]);
  });
});

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
