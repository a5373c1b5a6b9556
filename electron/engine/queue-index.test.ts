import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IncidentView } from "../../shared/bridge/contract.js";
import { indexCategories } from "../../shared/domain/deadlines.js";
import { EMPTY_FILTER, buildQueue, queueFacets, type QueueFilter } from "../../shared/domain/queue.js";
import { INCIDENT_STATUSES, SOURCES } from "../../shared/protocol/schemas.js";
import { QueueIndex, SESSION_IDLE_MS, filterKey } from "./queue-index.js";

const categories = indexCategories([
  { code: "0301", major: "安全隐患", minor: "燃气泄漏", defaultPriority: "urgent", respondHours: 1, closeHours: 4 },
  { code: "0302", major: "安全隐患", minor: "井盖缺失", defaultPriority: "normal", respondHours: 2, closeHours: 8 },
  { code: "0401", major: "市容环境", minor: "垃圾堆放", defaultPriority: "normal", respondHours: 8, closeHours: 48 },
]);
const CATEGORY_OF = {
  "0301": { code: "0301", major: "安全隐患", minor: "燃气泄漏" },
  "0302": { code: "0302", major: "安全隐患", minor: "井盖缺失" },
  "0401": { code: "0401", major: "市容环境", minor: "垃圾堆放" },
  // Not in the settings: no default deadlines, only what the platform sends.
  "0901": { code: "0901", major: "其他", minor: "其他" },
} as const;
const DEPARTMENTS = [undefined, { id: "D1", name: "城管执法队" }, { id: "D2", name: "环卫所" }] as const;
const GRIDS = ["110101001001001", "110101001001002", "110101001002001", "110101002001001"] as const;
const START = Date.UTC(2026, 10, 23, 4);
const MINUTE = 60_000;
const HOUR = 3_600_000;

const FILTERS: QueueFilter[] = [
  EMPTY_FILTER,
  { ...EMPTY_FILTER, statuses: ["closed"] },
  { ...EMPTY_FILTER, statuses: ["reported"] },
  { ...EMPTY_FILTER, category: "03" },
  { ...EMPTY_FILTER, category: "0401" },
  { ...EMPTY_FILTER, area: "110101001" },
  { ...EMPTY_FILTER, area: "110101001001002" },
  { ...EMPTY_FILTER, departmentId: "D1" },
  { ...EMPTY_FILTER, source: "hotline" },
  { ...EMPTY_FILTER, overdueOnly: true },
  { ...EMPTY_FILTER, overdueOnly: true, category: "03", statuses: ["dispatched"] },
  { ...EMPTY_FILTER, search: " c1" },
  { ...EMPTY_FILTER, search: "井盖" },
  { ...EMPTY_FILTER, search: "东街" },
];

const iso = (ms: number) => new Date(ms).toISOString();

/** A case as the engine would send it, from drawn numbers (times relative to the index's clock). */
const caseArb = fc.record({
  n: fc.integer({ min: 1, max: 40 }),
  status: fc.constantFrom(...INCIDENT_STATUSES),
  urgent: fc.boolean(),
  category: fc.constantFrom("0301", "0302", "0401", "0901" as const),
  department: fc.integer({ min: 0, max: 2 }),
  source: fc.constantFrom(...SOURCES),
  grid: fc.integer({ min: 0, max: GRIDS.length - 1 }),
  createdAgoMin: fc.integer({ min: 0, max: 20 * 60 }),
  respondInMin: fc.option(fc.integer({ min: -120, max: 240 }), { nil: undefined }),
  closeInMin: fc.option(fc.integer({ min: -120, max: 600 }), { nil: undefined }),
  dispatchedAgoMin: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
  address: fc.option(fc.constantFrom("东街 1 号", "西路 8 号", "南巷"), { nil: undefined }),
});

type CaseDraw = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;
type Op = { kind: "upsert"; case: CaseDraw } | { kind: "remove"; n: number } | { kind: "time"; minutes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: caseArb.map((c) => ({ kind: "upsert" as const, case: c })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => ({ kind: "remove" as const, n })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 90 }).map((minutes) => ({ kind: "time" as const, minutes })) },
);

function view(c: CaseDraw, now: number, version: number): IncidentView {
  const department = DEPARTMENTS[c.department];
  return {
    id: `C${c.n}`,
    version,
    title: CATEGORY_OF[c.category].minor,
    category: CATEGORY_OF[c.category],
    priority: c.urgent ? "urgent" : "normal",
    status: c.status,
    source: c.source,
    lon: 116.4,
    lat: 39.9,
    gridCode: GRIDS[c.grid] as string,
    reworkCount: 0,
    // Whole minutes, so two cases often share a creation time and the id breaks the tie.
    createdAt: iso(now - c.createdAgoMin * MINUTE),
    updatedAt: iso(now),
    ...(c.respondInMin === undefined ? {} : { respondBy: iso(now + c.respondInMin * MINUTE) }),
    ...(c.closeInMin === undefined ? {} : { closeBy: iso(now + c.closeInMin * MINUTE) }),
    ...(c.dispatchedAgoMin === undefined ? {} : { milestones: { dispatched: iso(now - c.dispatchedAgoMin * MINUTE) } }),
    ...(department ? { department } : {}),
    ...(c.address === undefined ? {} : { address: c.address }),
  };
}

const facetsOf = (list: { code: string; name: string }[]) => new Map(list.map((f) => [f.code, f.name]));

/** Every window the index serves equals the slice of buildQueue over all cases, with the same total and facets. */
function expectSameAsReference(index: QueueIndex, cases: Map<string, IncidentView>, now: number, offsets: readonly number[]) {
  const reference = queueFacets(cases.values());
  for (const [i, filter] of FILTERS.entries()) {
    const full = buildQueue(cases.values(), filter, categories, now).items.map((item) => item.incident.id);
    for (const offset of offsets) {
      const window = index.window(`held-${i}`, filter, offset, 7, now);
      expect(window.total).toBe(full.length);
      expect(window.rows.map((row) => row.id)).toEqual(full.slice(offset, offset + 7));
    }
    const whole = index.window(`held-${i}`, filter, 0, 1000, now);
    expect(whole.rows.map((row) => row.id), `filter ${filterKey(filter)}`).toEqual(full);
    expect(facetsOf(whole.facets.majors)).toEqual(reference.majors);
    expect(facetsOf(whole.facets.departments)).toEqual(reference.departments);
  }
}

describe("QueueIndex", () => {
  it("serves every window as buildQueue's full result sliced, after any sequence of upserts, removals and time steps", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), fc.boolean(), (ops, freshViews) => {
        let now = START;
        const cases = new Map<string, IncidentView>();
        const index = new QueueIndex(categories, now);
        index.reset([], now);
        // Views held from the start are kept by every change; the others are made at the end from the index's order.
        if (!freshViews) for (const [i, filter] of FILTERS.entries()) index.window(`held-${i}`, filter, 0, 1, now);
        let version = 0;
        for (const op of ops) {
          if (op.kind === "time") {
            now += op.minutes * MINUTE;
            index.advance(now);
          } else if (op.kind === "remove") {
            const id = `C${op.n}`;
            const known = cases.delete(id);
            index.apply([], known ? [id] : []);
          } else {
            const incident = view(op.case, now, ++version);
            cases.set(incident.id, incident);
            index.apply([incident], []);
          }
          if (!freshViews) {
            // Spot check as it goes: the default queue, whole.
            const full = buildQueue(cases.values(), EMPTY_FILTER, categories, now).items.map((item) => item.incident.id);
            expect(index.window("held-0", EMPTY_FILTER, 0, 1000, now).rows.map((row) => row.id)).toEqual(full);
          }
        }
        expectSameAsReference(index, cases, now, [0, 3, 10, 50]);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps buildQueue's order among hundreds of cases, a changed case moving a few places or across the queue", () => {
    // 600 cases: the order is held in several chunks (sorted-chunks.ts), and a changed case moves within its chunk or to another.
    const many = fc.record({ n: fc.integer({ min: 1, max: 600 }), draw: caseArb });
    fc.assert(
      fc.property(fc.array(many, { minLength: 600, maxLength: 600 }), fc.array(fc.oneof(many, fc.integer({ min: 1, max: 600 })), { minLength: 1, maxLength: 60 }), (seed, changes) => {
        const now = START;
        const cases = new Map<string, IncidentView>();
        for (const { n, draw } of seed) cases.set(`C${n}`, view({ ...draw, n }, now, 1));
        const index = new QueueIndex(categories, now);
        index.reset(cases.values(), now);
        index.window("held-0", EMPTY_FILTER, 0, 1, now);
        index.window("held-1", { ...EMPTY_FILTER, category: "03" }, 0, 1, now);
        let version = 1;
        for (const change of changes) {
          if (typeof change === "number") {
            const id = `C${change}`;
            index.apply([], cases.delete(id) ? [id] : []);
          } else {
            // Half the time the same case one step on (its keys barely move), else drawn anew.
            const before = cases.get(`C${change.n}`);
            const incident = before && change.draw.urgent ? { ...before, version: ++version, status: change.draw.status } : view({ ...change.draw, n: change.n }, now, ++version);
            cases.set(incident.id, incident);
            index.apply([incident], []);
          }
        }
        for (const filter of [EMPTY_FILTER, { ...EMPTY_FILTER, category: "03" }]) {
          const full = buildQueue(cases.values(), filter, categories, now).items.map((item) => item.incident.id);
          const whole = index.window(filter === EMPTY_FILTER ? "held-0" : "held-1", filter, 0, 1000, now);
          expect(whole.rows.map((row) => row.id)).toEqual(full);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("re-sorts a case when its deadline passes with no change to it, and says which views moved", () => {
    const index = new QueueIndex(categories, START);
    const soon: IncidentView = view({ n: 1, status: "dispatched", urgent: false, category: "0401", department: 0, source: "patrol", grid: 0, createdAgoMin: 10, respondInMin: 30, closeInMin: undefined, dispatchedAgoMin: undefined, address: undefined }, START, 1);
    const later: IncidentView = view({ n: 2, status: "dispatched", urgent: false, category: "0401", department: 0, source: "patrol", grid: 0, createdAgoMin: 5, respondInMin: 20, closeInMin: undefined, dispatchedAgoMin: undefined, address: undefined }, START, 1);
    index.reset([soon, later], START);
    const overdue = index.window("page", { ...EMPTY_FILTER, overdueOnly: true }, 0, 10, START);
    expect(overdue.total).toBe(0);
    expect(overdue.recomputeAt).toBe(START + 20 * MINUTE);
    index.takeChanged();
    index.advance(START + 25 * MINUTE);
    expect(index.takeChanged()).toEqual({ version: index.version, views: [overdue.view] });
    expect(index.window("page", { ...EMPTY_FILTER, overdueOnly: true }, 0, 10, START + 25 * MINUTE).rows.map((r) => r.id)).toEqual(["C2"]);
    index.advance(START + 31 * MINUTE);
    expect(index.window("page", { ...EMPTY_FILTER, overdueOnly: true }, 0, 10, START + 31 * MINUTE).rows.map((r) => r.id)).toEqual(["C2", "C1"]);
    expect(index.takeChanged()).not.toBeNull();
    index.advance(START + 2 * HOUR);
    // No boundary passed since: nothing moved.
    expect(index.takeChanged()).toBeNull();
  });

  it("shares a view between pages with the same filter and drops it when no page holds it", () => {
    const index = new QueueIndex(categories, START);
    index.reset([], START);
    const a = index.window("page-a", EMPTY_FILTER, 0, 10, START);
    const b = index.window("page-b", { ...EMPTY_FILTER, search: "  " }, 0, 10, START);
    expect(b.view).toBe(a.view);
    expect(index.viewCount).toBe(1);
    index.window("page-a", { ...EMPTY_FILTER, overdueOnly: true }, 0, 10, START);
    expect(index.viewCount).toBe(2);
    index.window("page-b", { ...EMPTY_FILTER, overdueOnly: true }, 0, 10, START);
    expect(index.viewCount).toBe(1);
    index.window("page-a", { ...EMPTY_FILTER, overdueOnly: true }, 0, 10, START + SESSION_IDLE_MS - 1);
    index.expire(START + SESSION_IDLE_MS + 1);
    expect(index.viewCount).toBe(1);
    index.expire(START + 2 * SESSION_IDLE_MS);
    expect(index.viewCount).toBe(0);
  });
});
