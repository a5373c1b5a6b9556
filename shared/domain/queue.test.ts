import { describe, expect, it } from "vitest";
import type { IncidentView } from "../bridge/contract.js";
import { deadlineState, indexCategories } from "./deadlines.js";
import { EMPTY_FILTER, buildQueue, compareAttention, queueFacets, type QueueFilter } from "./queue.js";
import { toEpochMs } from "./time.js";

const categories = indexCategories([
  { code: "0301", major: "安全隐患", minor: "燃气泄漏", defaultPriority: "urgent", respondHours: 1, closeHours: 4 },
  { code: "0401", major: "市容环境", minor: "垃圾堆放", defaultPriority: "normal", respondHours: 8, closeHours: 48 },
]);
const now = toEpochMs("2026-11-23T12:00:00+08:00");
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

let counter = 0;
function make(over: Partial<IncidentView> = {}): IncidentView {
  counter++;
  return {
    id: `C${String(counter).padStart(4, "0")}`,
    version: 1,
    title: "垃圾堆放",
    category: { code: "0401", major: "市容环境", minor: "垃圾堆放" },
    priority: "normal",
    status: "reported",
    source: "patrol",
    lon: 116.4,
    lat: 39.9,
    gridCode: "110101001001001",
    reworkCount: 0,
    createdAt: hoursAgo(1),
    updatedAt: hoursAgo(1),
    ...over,
  };
}

const filter = (over: Partial<QueueFilter>): QueueFilter => ({ ...EMPTY_FILTER, ...over });
const ids = (list: IncidentView[], f: QueueFilter = EMPTY_FILTER) => buildQueue(list, f, categories, now).items.map((i) => i.incident.id);

describe("buildQueue ordering", () => {
  it("puts new urgent reports first, then urgent-and-overdue, then urgent, then overdue, then the rest", () => {
    const normal = make({ createdAt: hoursAgo(1) });
    const overdue = make({ createdAt: hoursAgo(9) });
    const urgent = make({ priority: "urgent", status: "dispatched", createdAt: hoursAgo(0.5) });
    const urgentOverdue = make({ priority: "urgent", status: "processing", createdAt: hoursAgo(30) });
    const urgentReport = make({ priority: "urgent", status: "reported", createdAt: hoursAgo(30) });
    expect(ids([normal, overdue, urgent, urgentOverdue, urgentReport])).toEqual([urgentReport.id, urgentOverdue.id, urgent.id, overdue.id, normal.id]);
  });

  it("orders urgent reports awaiting a decision newest first, whatever their deadlines", () => {
    const older = make({ priority: "urgent", createdAt: hoursAgo(3), respondBy: "2026-11-23T12:10:00+08:00" });
    const newer = make({ priority: "urgent", createdAt: hoursAgo(0.1), respondBy: "2026-11-23T20:00:00+08:00" });
    expect(ids([older, newer])).toEqual([newer.id, older.id]);
  });

  it("orders within a tier by nearest deadline, then newest first", () => {
    const later = make({ respondBy: "2026-11-23T18:00:00+08:00" });
    const sooner = make({ respondBy: "2026-11-23T13:00:00+08:00" });
    const noDeadline = make({ category: { code: "9999", major: "其他", minor: "其他" }, createdAt: hoursAgo(2) });
    const noDeadlineNewer = make({ category: { code: "9999", major: "其他", minor: "其他" }, createdAt: hoursAgo(0.1) });
    expect(ids([noDeadline, later, noDeadlineNewer, sooner])).toEqual([sooner.id, later.id, noDeadlineNewer.id, noDeadline.id]);
  });

  it("puts a newly arrived urgent case above every other case, overdue urgent ones included", () => {
    const old = Array.from({ length: 20 }, (_, i) => make({ priority: i % 2 === 0 ? "urgent" : "normal", status: i % 4 === 0 ? "reported" : "dispatched", createdAt: hoursAgo(1 + i * 3) }));
    const fresh = make({ priority: "urgent", category: { code: "0301", major: "安全隐患", minor: "燃气泄漏" }, createdAt: hoursAgo(0) });
    expect(ids([...old, fresh])[0]).toBe(fresh.id);
  });
});

describe("buildQueue ordering, many cases", () => {
  it("sorts on keys worked out once into the same order as compareAttention", () => {
    const statuses = ["reported", "registered", "dispatched", "processing", "responded"] as const;
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const list = Array.from({ length: 3000 }, (_, i) =>
      make({
        status: statuses[i % statuses.length],
        priority: next() < 0.2 ? "urgent" : "normal",
        category: next() < 0.5 ? { code: "0301", major: "安全隐患", minor: "燃气泄漏" } : { code: "0401", major: "市容环境", minor: "垃圾堆放" },
        // Whole hours, so ties in creation time (and deadlines) are common and the id decides.
        createdAt: hoursAgo(Math.floor(next() * 72)),
        ...(next() < 0.3 ? { closeBy: hoursAgo(Math.floor(next() * 48) - 24) } : {}),
        ...(next() < 0.05 ? { createdAt: "not a time" } : {}),
      }),
    );
    const expected = list
      .map((incident) => ({ incident, deadline: deadlineState(incident, categories, now), createdMs: toEpochMs(incident.createdAt) }))
      .sort(compareAttention)
      .map((item) => item.incident.id);
    expect(ids(list)).toEqual(expected);
  });
});

describe("buildQueue filters", () => {
  const a = make({ status: "reported", gridCode: "110101001001001", source: "hotline", address: "东华门大街12号" });
  const b = make({ status: "dispatched", gridCode: "110101002003004", department: { id: "D02", name: "派出所" }, title: "可疑人员" });
  const c = make({ status: "closed", gridCode: "110101001001002" });
  const d = make({ status: "processing", category: { code: "0301", major: "安全隐患", minor: "燃气泄漏" }, createdAt: hoursAgo(5) });
  const all = [a, b, c, d];

  it("shows open cases only by default and exactly the chosen statuses when asked", () => {
    expect(ids(all).sort()).toEqual([a.id, b.id, d.id].sort());
    expect(ids(all, filter({ statuses: ["closed"] }))).toEqual([c.id]);
  });

  it("filters by street, community or grid as a prefix of the grid code", () => {
    expect(ids(all, filter({ area: "110101001" })).sort()).toEqual([a.id, d.id].sort());
    expect(ids(all, filter({ area: "110101002003" }))).toEqual([b.id]);
    expect(ids(all, filter({ area: "110101001001001" })).sort()).toEqual([a.id, d.id].sort());
  });

  it("filters by category code or major, department, source and overdue", () => {
    expect(ids(all, filter({ category: "03" }))).toEqual([d.id]);
    expect(ids(all, filter({ category: "0401" })).sort()).toEqual([a.id, b.id].sort());
    expect(ids(all, filter({ departmentId: "D02" }))).toEqual([b.id]);
    expect(ids(all, filter({ source: "hotline" }))).toEqual([a.id]);
    expect(ids(all, filter({ overdueOnly: true }))).toEqual([d.id]);
  });

  it("searches case number, address and title, ignoring case and surrounding spaces", () => {
    expect(ids(all, filter({ search: " 东华门 " }))).toEqual([a.id]);
    expect(ids(all, filter({ search: "可疑" }))).toEqual([b.id]);
    expect(ids(all, filter({ search: b.id.toLowerCase() }))).toEqual([b.id]);
  });

  it("reports when a listed case's deadline next passes so the view knows when to recompute", () => {
    const q = buildQueue([make({ respondBy: "2026-11-23T12:30:00+08:00", closeBy: "2026-11-23T20:00:00+08:00" })], EMPTY_FILTER, categories, now);
    expect(q.recomputeAt).toBe(toEpochMs("2026-11-23T12:30:00+08:00"));
  });
});

describe("queueFacets", () => {
  it("lists the category majors and departments of open cases", () => {
    const facets = queueFacets([make({ department: { id: "D07", name: "环卫所" } }), make({ status: "closed", department: { id: "D01", name: "城管" } })]);
    expect([...facets.majors]).toEqual([["04", "市容环境"]]);
    expect([...facets.departments]).toEqual([["D07", "环卫所"]]);
  });
});

describe("scale", () => {
  it("rebuilds a 10,000-case queue in well under half a second, so data changes never stall the 1 s tick", () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      make({ priority: i % 17 === 0 ? "urgent" : "normal", createdAt: hoursAgo((i % 200) / 4), status: i % 3 === 0 ? "dispatched" : "reported" }),
    );
    buildQueue(many, EMPTY_FILTER, categories, now);
    const started = performance.now();
    const q = buildQueue(many, filter({ search: "垃圾" }), categories, now);
    const elapsed = performance.now() - started;
    expect(q.items).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(500);
  });
});
