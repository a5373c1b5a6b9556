import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Category, IncidentView } from "../../shared/bridge/contract.js";
import { indexCategories } from "../../shared/domain/deadlines.js";
import { caseGridCounts, gridLayerKey, overdueAt } from "../../shared/domain/grid-counts.js";
import { incidentView } from "../../shared/domain/fixtures/incident-view.js";
import { applyMarkers, caseMarker, EMPTY_MARKERS, tableMarkers, type CaseMarker, type MarkerTable } from "../../shared/domain/incident-markers.js";
import { notableCase, notableCases } from "../../shared/domain/notable.js";
import { createGridIndex } from "../../shared/geo/grid-index.js";
import type { RegionArea } from "../../shared/geo/region.js";
import { GridCounter } from "./grid-counts.js";

/* 3 × 3 square grids of 0.01° from 116.40 E, 39.90 N. */
const grids: RegionArea[] = [];
for (let row = 0; row < 3; row++) {
  for (let col = 0; col < 3; col++) {
    const [w, s] = [116.4 + col * 0.01, 39.9 + row * 0.01];
    const [e, n] = [w + 0.01, s + 0.01];
    grids.push({
      level: "grid",
      code: `11010100100100${row * 3 + col}`,
      name: `网格${row * 3 + col}`,
      polygons: [[[[w, s], [e, s], [e, n], [w, n], [w, s]]]],
      labelAt: [w + 0.005, s + 0.005],
      bbox: [w, s, e, n],
    });
  }
}
const categories: Category[] = [{ code: "0401", major: "市容环境", minor: "垃圾堆放", respondHours: 2, closeHours: 8 } as Category];
const categoryIndex = indexCategories(categories);
const BASE = Date.parse("2026-11-22T08:00:00.000+08:00");
const HOUR = 3_600_000;
const STATUSES: IncidentView["status"][] = ["reported", "registered", "dispatched", "processing", "responded", "closed", "rejected"];
const iso = (ms: number) => new Date(ms).toISOString();

const gridIndex = new Map(grids.map((grid, i) => [grid.code, i]));
const pointIndex = createGridIndex(grids);
const locate = (lon: number, lat: number) => {
  const code = pointIndex.locate(lon, lat);
  return code === null ? -1 : (gridIndex.get(code) ?? -1);
};

function reference(cases: ReadonlyMap<string, IncidentView>, now: number) {
  const input = { incidents: cases.values(), gridIndex, gridCount: grids.length, isOverdue: overdueAt(categoryIndex, now), locate };
  return { open: [...caseGridCounts("open", input)], overdue: [...caseGridCounts("overdue", { ...input, incidents: cases.values() })] };
}

/** The markers caseMarker makes of every case, by id. */
function referenceMarkers(cases: ReadonlyMap<string, IncidentView>, now: number): CaseMarker[] {
  return [...cases.values()].flatMap((c) => caseMarker(c, categoryIndex, now, gridIndex, grids.length, locate) ?? []).sort(byId);
}
const NAMES = new Map([[grids[0]?.code ?? "", "网格0"]]);
const byId = (a: CaseMarker, b: CaseMarker) => a.id.localeCompare(b.id);
const shown = (table: MarkerTable) => tableMarkers(table, true, () => -2).sort(byId);

const caseArb = fc.record({
  id: fc.integer({ min: 0, max: 11 }).map((n) => `c${n}`),
  status: fc.constantFrom(...STATUSES),
  priority: fc.constantFrom<IncidentView["priority"]>("urgent", "high", "normal", "low"),
  // A known grid code, a code the layer lacks (the point decides), or a point outside every grid.
  place: fc.oneof(
    fc.integer({ min: 0, max: 8 }).map((i) => ({ gridCode: grids[i]?.code ?? "", lon: 116.3, lat: 39.8 })),
    fc.tuple(fc.double({ min: 116.395, max: 116.435, noNaN: true }), fc.double({ min: 39.895, max: 39.935, noNaN: true })).map(([lon, lat]) => ({ gridCode: "999999999999999", lon, lat })),
  ),
  createdH: fc.integer({ min: -10, max: 10 }),
  // Minutes, so that a newly urgent case's half hour of pulse ends between deadlines.
  createdM: fc.integer({ min: 0, max: 59 }),
  respondH: fc.option(fc.integer({ min: -5, max: 20 })),
  closeH: fc.option(fc.integer({ min: -5, max: 30 })),
  dispatchedH: fc.option(fc.integer({ min: -5, max: 10 })),
});
type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function caseOf(spec: CaseSpec, version: number): IncidentView {
  const created = BASE + spec.createdH * HOUR + spec.createdM * 60_000;
  return incidentView(spec.id, {
    version,
    status: spec.status,
    priority: spec.priority,
    ...spec.place,
    createdAt: iso(created),
    ...(spec.respondH === null ? {} : { respondBy: iso(created + spec.respondH * HOUR) }),
    ...(spec.closeH === null ? {} : { closeBy: iso(created + spec.closeH * HOUR) }),
    ...(spec.dispatchedH === null ? {} : { milestones: { dispatched: iso(created + spec.dispatchedH * HOUR) } }),
  });
}

const opArb = fc.oneof(
  { weight: 5, arbitrary: fc.array(caseArb, { minLength: 1, maxLength: 4 }).map((upserts) => ({ kind: "upsert" as const, upserts })) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 3 }).map((ids) => ({ kind: "remove" as const, ids: ids.map((n) => `c${n}`) })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 * HOUR }).map((ms) => ({ kind: "time" as const, ms })) },
  { weight: 1, arbitrary: fc.array(caseArb, { maxLength: 6 }).map((upserts) => ({ kind: "reset" as const, upserts })) },
  { weight: 1, arbitrary: fc.constant({ kind: "layer" as const }) },
);

describe("GridCounter", () => {
  it("equals the full recomputation (caseGridCounts, caseMarker, notableCases) after any sequence of upserts, removals, resets and time steps", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(opArb, { maxLength: 40 }), (layerFirst, ops) => {
        const counter = new GridCounter(categoryIndex, 0);
        const cases = new Map<string, IncidentView>();
        let now = BASE;
        let version = 0;
        let table = EMPTY_MARKERS;
        if (layerFirst) counter.setLayer(grids, [], now);
        for (const op of ops) {
          if (op.kind === "upsert") {
            const upserts = op.upserts.map((spec) => caseOf(spec, ++version));
            for (const incident of upserts) cases.set(incident.id, incident);
            counter.apply([...cases.values()].filter((c) => upserts.includes(c)), [], false, now);
          } else if (op.kind === "remove") {
            for (const id of op.ids) cases.delete(id);
            counter.apply([], op.ids, false, now);
          } else if (op.kind === "reset") {
            cases.clear();
            for (const spec of op.upserts) cases.set(spec.id, caseOf(spec, ++version));
            counter.apply([...cases.values()], [], true, now);
          } else if (op.kind === "layer") counter.setLayer(grids, cases.values(), now);
          else now += op.ms;
          counter.sweep(now);
          const pushed = counter.takeMarkers(now);
          if (pushed) table = applyMarkers(table, pushed);
          const counts = counter.current();
          if (counts === null) continue;
          const expected = reference(cases, now);
          expect({ open: [...counts.open], overdue: [...counts.overdue] }).toEqual(expected);
          // A page that applied every push, and one that takes the whole picture now, both draw what caseMarker makes.
          expect(shown(table)).toEqual(referenceMarkers(cases, now));
          // And the notable cases are the full recomputation's first ones.
          expect(counter.notable(5)?.map((c) => notableCase(c, NAMES))).toEqual(notableCases(cases.values(), categoryIndex, NAMES, now, 5));
          expect(shown(applyMarkers(EMPTY_MARKERS, counter.currentMarkers() as NonNullable<ReturnType<GridCounter["currentMarkers"]>>))).toEqual(referenceMarkers(cases, now));
        }
        if (!layerFirst) counter.setLayer(grids, cases.values(), now);
        const counts = counter.current();
        expect(counts && { open: [...counts.open], overdue: [...counts.overdue] }).toEqual(reference(cases, now));
        expect(counts?.layer).toBe(gridLayerKey(grids));
      }),
      { numRuns: 300 },
    );
  });

  it("pushes only changed counts, at most once per interval, as copies", () => {
    const counter = new GridCounter(categoryIndex, 250);
    expect(counter.take(BASE)).toBeNull();
    counter.setLayer(grids, [], BASE);
    const first = counter.take(BASE);
    expect(first?.layer).toBe(gridLayerKey(grids));
    counter.apply([incidentView("a", { gridCode: grids[4]?.code ?? "" })], [], false, BASE + 10);
    expect(counter.take(BASE + 100)).toBeNull();
    const second = counter.take(BASE + 260);
    expect(second?.open[4]).toBe(1);
    expect(first?.open[4]).toBe(0);
    expect(counter.take(BASE + 600)).toBeNull();
    // The case clock steps back (a new feed epoch's data): a change is pushed, not held until the clock catches up.
    counter.apply([incidentView("b", { gridCode: grids[4]?.code ?? "" })], [], false, BASE - 60_000);
    expect(counter.take(BASE - 60_000)?.open[4]).toBe(2);
  });

  it("counts a case as overdue once its deadline passes, with no change to the case", () => {
    const counter = new GridCounter(categoryIndex, 0);
    counter.setLayer(grids, [], BASE);
    counter.apply([incidentView("a", { gridCode: grids[2]?.code ?? "", createdAt: iso(BASE), respondBy: iso(BASE + HOUR) })], [], false, BASE);
    counter.sweep(BASE + HOUR);
    expect(counter.current()?.overdue[2]).toBe(0);
    counter.sweep(BASE + HOUR + 1);
    expect(counter.current()?.overdue[2]).toBe(1);
    expect(counter.current()?.open[2]).toBe(1);
  });

  it("keeps markers past its columns' first capacity, and a page applying the pushes draws the same", () => {
    const counter = new GridCounter(categoryIndex, 0);
    counter.setLayer(grids, [], BASE);
    let table = applyMarkers(EMPTY_MARKERS, counter.takeMarkers(BASE) as NonNullable<ReturnType<GridCounter["takeMarkers"]>>);
    const cases = new Map<string, IncidentView>();
    for (let batch = 0; batch < 5; batch++) {
      const upserts = Array.from({ length: 700 }, (_, i) => incidentView(`m${batch * 700 + i}`, { gridCode: grids[i % 9]?.code ?? "", lon: 116.4 + (i % 100) * 1e-4, lat: 39.9, createdAt: iso(BASE) }));
      for (const c of upserts) cases.set(c.id, c);
      counter.apply(upserts, [], false, BASE);
      // Some close, freeing slots the next batch takes.
      const closed = upserts.slice(0, 50).map((c) => ({ ...c, version: 2, status: "closed" as const }));
      for (const c of closed) cases.set(c.id, c);
      counter.apply(closed, [], false, BASE);
      table = applyMarkers(table, counter.takeMarkers(BASE + batch + 1) as NonNullable<ReturnType<GridCounter["takeMarkers"]>>);
    }
    expect(shown(table)).toHaveLength(5 * 650);
    expect(shown(table)).toEqual(referenceMarkers(cases, BASE));
    expect(shown(applyMarkers(EMPTY_MARKERS, counter.currentMarkers() as NonNullable<ReturnType<GridCounter["currentMarkers"]>>))).toEqual(referenceMarkers(cases, BASE));
  });

  it("keeps its deadline heap bounded while one case changes over and over", () => {
    const counter = new GridCounter(categoryIndex, 0);
    counter.setLayer(grids, [], BASE);
    for (let v = 1; v <= 5000; v++) counter.apply([incidentView("a", { version: v, createdAt: iso(BASE), respondBy: iso(BASE + HOUR) })], [], false, BASE);
    expect(counter.waiting).toBeLessThan(2000);
  });

  it("counts the cases loaded at start a slice at a time, with the cases that change or go meanwhile counted as they are", () => {
    const loaded = new Map<string, IncidentView>(Array.from({ length: 2_000 }, (_, i) => [`c${i}`, incidentView(`c${i}`, { gridCode: grids[i % 9]?.code ?? "", createdAt: iso(BASE) })] as const));
    const latest = new Map<string, IncidentView>(loaded);
    const counter = new GridCounter(categoryIndex, 0);
    // As the engine does: each case read as it is when the slice reaches it.
    counter.startLayer(grids, (function* () {
      for (const id of [...loaded.keys()]) {
        const view = latest.get(id);
        if (view) yield view;
      }
    })(), BASE);
    expect(counter.loadStep(0, BASE)).toBe(false);
    expect(counter.ready).toBe(false);
    expect(counter.current()).toBeNull();
    expect(counter.take(BASE)).toBeNull();
    // Meanwhile a case not yet reached moves to another grid and closes, one goes, and a new one comes.
    const moved = incidentView("c1999", { version: 2, gridCode: grids[0]?.code ?? "", status: "closed", createdAt: iso(BASE) });
    latest.set("c1999", moved);
    latest.delete("c1998");
    const added = incidentView("n1", { gridCode: grids[4]?.code ?? "", createdAt: iso(BASE) });
    latest.set("n1", added);
    counter.apply([moved, added], ["c1998"], false, BASE);
    let steps = 1;
    while (!counter.loadStep(0, BASE)) steps++;
    expect(steps).toBeGreaterThan(2);
    expect(counter.ready).toBe(true);
    const expected = reference(latest, BASE);
    expect([...(counter.current()?.open ?? [])]).toEqual(expected.open);
    expect([...(counter.current()?.overdue ?? [])]).toEqual(expected.overdue);
    expect(counter.take(BASE)?.layer).toBe(gridLayerKey(grids));
  });
});
