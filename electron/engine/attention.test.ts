import { describe, expect, it } from "vitest";
import { indexCategories } from "../../shared/domain/deadlines.js";
import type { Alert, Incident } from "../../shared/protocol/types.js";
import { ACKNOWLEDGED_ALERT_LINGER_MS, AttentionList } from "./attention.js";
import type { StoredAlert } from "./model.js";
import { makeIncident } from "./testing/mini-feed.js";

const categories = indexCategories([{ code: "0101", major: "市容环境", minor: "暴露垃圾", defaultPriority: "normal", respondHours: 2, closeHours: 24 }]);
const CREATED = Date.UTC(2026, 10, 22, 1);
const HOUR = 3_600_000;
const operator = { id: "op-1", name: "值班员" };

function setup(incidents: Incident[], alerts: StoredAlert[] = [], wallNow: () => number = Date.now) {
  const source = { incidents: new Map(incidents.map((i) => [i.id, i])), alerts };
  const list = new AttentionList(source, categories, wallNow);
  const byKey = () => new Map(list.list().map((item) => [item.key, item]));
  return { source, list, byKey };
}

const alert = (id: string, change: Partial<Alert> = {}): StoredAlert => ({ alert: { id, at: new Date(CREATED).toISOString(), level: "critical", title: "SOS", ...change }, acknowledged: false });

describe("AttentionList", () => {
  it("lists open urgent cases already present at load and overdue ones, and leaves the rest off", () => {
    const { list, byKey } = setup([
      makeIncident("U", 1, { priority: "urgent" }),
      makeIncident("LATE", 1),
      makeIncident("DONE", 1, { priority: "urgent", status: "closed" }),
      makeIncident("FRESH", 1, { createdAt: new Date(CREATED + 10 * HOUR).toISOString() }),
    ]);
    list.load([], CREATED + 3 * HOUR);
    const items = byKey();
    expect([...items.keys()].sort()).toEqual(["case:LATE", "case:U"]);
    expect(items.get("case:U")).toMatchObject({ kind: "urgent-case", level: "critical", incidentId: "U", reasons: ["urgent", "overdue"] });
    expect(items.get("case:LATE")).toMatchObject({ kind: "overdue-case", level: "warning", reasons: ["overdue"] });
  });

  it("puts a case on the list in the sweep once its deadline passes, with no change to the case", () => {
    const { list, byKey } = setup([makeIncident("A", 1)]);
    list.load([], CREATED + HOUR);
    expect(byKey().size).toBe(0);
    list.sweep(CREATED + 2 * HOUR + 1);
    expect(list.takeChanges()?.upserts.map((i) => i.key)).toEqual(["case:A"]);
  });

  it("keeps an acknowledgement while nothing gets worse and brings the item back when an urgent case goes overdue", () => {
    const { list, byKey } = setup([makeIncident("U", 1, { priority: "urgent" })]);
    list.load([], CREATED + HOUR);
    const kept: unknown[] = [];
    expect(list.acknowledge("case:U", operator, CREATED + HOUR, () => null, (ops) => kept.push(...ops))).toBe(true);
    expect(kept).toEqual([expect.objectContaining({ op: "ack", ack: expect.objectContaining({ key: "case:U", level: "critical", reasons: ["urgent"], operator }) })]);
    expect(byKey().get("case:U")?.acknowledged?.by).toEqual(operator);
    expect(list.acknowledge("case:U", operator, CREATED + HOUR, () => null)).toBe(false);
    list.sweep(CREATED + HOUR + 60_000);
    expect(byKey().get("case:U")?.acknowledged).toBeDefined();
    list.sweep(CREATED + 2 * HOUR + 1);
    expect(byKey().get("case:U")?.acknowledged).toBeUndefined();
    expect(list.takeOps()).toEqual([expect.objectContaining({ op: "ackEnd", key: "case:U", why: "worse" })]);
  });

  it("acknowledges nothing when the acknowledgement cannot be kept (a full disk)", () => {
    const { list, byKey } = setup([makeIncident("U", 1, { priority: "urgent" })]);
    list.load([], CREATED + HOUR);
    const refuse = () => {
      throw new Error("ENOSPC");
    };
    expect(() => list.acknowledge("case:U", operator, CREATED + HOUR, () => null, refuse)).toThrow("ENOSPC");
    expect(byKey().get("case:U")?.acknowledged).toBeUndefined();
  });

  it("takes a case off the list when it closes, ending its acknowledgement", () => {
    const { source, list, byKey } = setup([makeIncident("U", 1, { priority: "urgent" })]);
    list.load([], CREATED + HOUR);
    list.acknowledge("case:U", operator, CREATED + HOUR, () => null);
    list.takeChanges();
    source.incidents.set("U", makeIncident("U", 2, { priority: "urgent", status: "closed" }));
    list.update(["U"], false, false, CREATED + HOUR);
    expect(byKey().size).toBe(0);
    expect(list.takeChanges()).toEqual({ upserts: [], removed: ["case:U"], reset: false });
    expect(list.takeOps()).toEqual([expect.objectContaining({ op: "ackEnd", key: "case:U", why: "resolved" })]);
  });

  it("restores acknowledgements kept in the cache, and ends those of items gone while the console was off", () => {
    const { list, byKey } = setup([makeIncident("U", 1, { priority: "urgent" })]);
    list.load(
      [
        { key: "case:U", level: "critical", reasons: ["urgent"], operator, at: "2026-11-22T09:30:00.000+08:00" },
        { key: "case:GONE", level: "critical", reasons: ["urgent"], operator, at: "2026-11-22T09:30:00.000+08:00" },
      ],
      CREATED + HOUR,
    );
    expect(byKey().get("case:U")?.acknowledged).toEqual({ by: operator, at: "2026-11-22T09:30:00.000+08:00" });
    expect(list.takeOps()).toEqual([expect.objectContaining({ op: "ackEnd", key: "case:GONE", why: "resolved" })]);
  });

  it("folds an alert about a listed case into the case's item and acknowledges both at once", () => {
    const alerts = [alert("a1", { incidentId: "U", level: "warning" }), alert("sos", { unitId: "P1" })];
    const { list, byKey } = setup([makeIncident("U", 1, { priority: "urgent" })], alerts);
    list.load([], CREATED + HOUR);
    expect([...byKey().keys()].sort()).toEqual(["alert:sos", "case:U"]);
    expect(byKey().get("case:U")?.alertIds).toEqual(["a1"]);
    const acknowledged: string[] = [];
    list.acknowledge("case:U", operator, CREATED + HOUR, (id) => {
      acknowledged.push(id);
      return { op: "alertAck", id };
    });
    expect(acknowledged).toEqual(["a1"]);
  });

  it("keeps an acknowledged alert on the list, dimmed, for a while, then lets it go", () => {
    const alerts = [alert("sos", { unitId: "P1" })];
    // The case clock runs far ahead of this console's (a simulated feed): the linger is this console's hour.
    let wall = CREATED;
    const ahead = 5 * ACKNOWLEDGED_ALERT_LINGER_MS;
    const { list, byKey } = setup([], alerts, () => wall);
    list.load([], CREATED + ahead);
    list.acknowledge("alert:sos", operator, CREATED, (id) => {
      const entry = alerts.find((a) => a.alert.id === id);
      if (entry) entry.acknowledged = true;
      return { op: "alertAck", id };
    });
    wall = CREATED + 1000;
    list.update([], false, true, CREATED + ahead + 10_000);
    expect(byKey().get("alert:sos")?.acknowledged?.by).toEqual(operator);
    wall = CREATED + ACKNOWLEDGED_ALERT_LINGER_MS - 1;
    list.sweep(CREATED + ahead + 20_000);
    expect(byKey().has("alert:sos")).toBe(true);
    wall = CREATED + ACKNOWLEDGED_ALERT_LINGER_MS + 1;
    list.sweep(CREATED + ahead + 30_000);
    expect(byKey().has("alert:sos")).toBe(false);
  });
});
