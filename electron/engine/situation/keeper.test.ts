import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Category, Milestone } from "../../../shared/bridge/contract.js";
import type { IncidentStatus } from "../../../shared/protocol/types.js";
import type { KpiIncident } from "../../../shared/domain/kpi-time.js";
import { dailyAggregates } from "../../../shared/domain/kpi-days.js";
import { computeSituation } from "../../../shared/domain/situation.js";
import { INCIDENTS, NOW } from "../../../shared/domain/fixtures/kpi-fixture.js";
import { SituationKeeper } from "./keeper.js";

/*
 * The engine's situation against the reference: after any sequence of case
 * upserts (new versions drawn anew or one step on), removals and archivals,
 * unit changes and steps of the clock (across Beijing midnight too), the
 * keeper's situation equals computeSituation over every case the engine holds.
 */

const HOUR = 3_600_000;
const CATEGORIES: Category[] = [
  { code: "C1", major: "市容环境", minor: "暴露垃圾", defaultPriority: "normal", respondHours: 2, closeHours: 24 },
  { code: "C2", major: "街面秩序", minor: "占道经营", defaultPriority: "normal", respondHours: 4, closeHours: 48 },
];
const SETTINGS = { categories: CATEGORIES, departments: [{ id: "D1", name: "城管执法队", handles: [] }, { id: "D2", name: "派出所", handles: [] }] };
const DEPARTMENTS = [...SETTINGS.departments, { id: "D9", name: "燃气公司", handles: [] }, { id: "D7", name: "自来水公司", handles: [] }];
const GRIDS = ["110101001001001", "110101001001002", "110101001002001", "110101002001001", ""];
const NAMES = new Map([["110101001001", "东华门社区"], ["110101001001001", "东华门第一网格"]]);
const STATUSES: IncidentStatus[] = ["reported", "registered", "dispatched", "processing", "responded", "closed", "rejected"];
const MILESTONES: Milestone[] = ["registered", "dispatched", "responded", "reworked", "closed", "rejected"];
const START = Date.parse("2026-11-22T21:30:00+08:00");

const iso = (ms: number) => new Date(ms).toISOString();
/** A time relative to the clock's start: mostly the last day and a half, else the last twelve days, a little ahead (a platform clock running fast), now and then unreadable. */
const instant = fc.oneof(
  // Most within a day and a half of the start, so that events share days and stretches end between them.
  { weight: 20, arbitrary: fc.integer({ min: -36 * 60, max: 2 * 60 }).map((minutes) => iso(START + minutes * 60_000)) },
  { weight: 10, arbitrary: fc.integer({ min: -12 * 24, max: 3 }).chain((hours) => fc.integer({ min: 0, max: HOUR - 1 }).map((ms) => iso(START + hours * HOUR + ms))) },
  { weight: 1, arbitrary: fc.constant("not a time") },
);

const incident = (id: string): fc.Arbitrary<KpiIncident> =>
  fc
    .record({
      status: fc.constantFrom(...STATUSES),
      createdAt: instant,
      updatedAt: instant,
      respondBy: fc.option(instant, { nil: undefined }),
      closeBy: fc.option(instant, { nil: undefined }),
      milestones: fc.dictionary(fc.constantFrom(...MILESTONES), instant, { maxKeys: 6 }),
      department: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: undefined }),
      category: fc.constantFrom(...CATEGORIES, { ...CATEGORIES[0]!, code: "C0", major: "其他" }),
      gridCode: fc.constantFrom(...GRIDS),
      evaluation: fc.option(fc.record({ at: instant, rating: fc.constantFrom("satisfied", "basically_satisfied", "unsatisfied") }), { nil: undefined }),
    })
    .map((fields) => {
      const record: KpiIncident = { id, status: fields.status, createdAt: fields.createdAt, updatedAt: fields.updatedAt, reworkCount: 0, milestones: fields.milestones, category: fields.category, gridCode: fields.gridCode };
      if (fields.respondBy !== undefined) record.respondBy = fields.respondBy;
      if (fields.closeBy !== undefined) record.closeBy = fields.closeBy;
      if (fields.department !== undefined) record.department = { id: fields.department.id, name: fields.department.name };
      if (fields.evaluation !== undefined) record.evaluation = fields.evaluation as KpiIncident["evaluation"];
      return record;
    });

const caseId = fc.integer({ min: 0, max: 24 }).map((n) => `I${n}`);
const step = fc.oneof(
  { weight: 6, arbitrary: caseId.chain((id) => incident(id)).map((record) => ({ kind: "live" as const, record })) },
  { weight: 2, arbitrary: caseId.map((id) => ({ kind: "unlive" as const, id })) },
  { weight: 3, arbitrary: caseId.chain((id) => incident(id)).map((record) => ({ kind: "archive" as const, record })) },
  { weight: 1, arbitrary: caseId.map((id) => ({ kind: "unarchive" as const, id })) },
  // A live case one step on: its creation, category, grid and department as they were (most of its events stay).
  {
    weight: 6,
    arbitrary: fc
      .record({
        id: caseId,
        status: fc.constantFrom(...STATUSES),
        updatedAt: instant,
        milestone: fc.option(fc.tuple(fc.constantFrom(...MILESTONES), instant), { nil: undefined }),
        // Now and then the platform moves the deadline: a close kept in place may turn late or on time.
        closeBy: fc.option(instant, { nil: undefined, freq: 4 }),
      })
      .map((next) => ({ kind: "step" as const, ...next })),
  },
  { weight: 1, arbitrary: fc.record({ id: fc.constantFrom("U1", "U2", "U3"), status: fc.constantFrom("on_patrol", "off_duty", "busy") }).map((unit) => ({ kind: "unit" as const, unit })) },
  { weight: 1, arbitrary: fc.constantFrom("U1", "U2").map((id) => ({ kind: "unlive-unit" as const, id })) },
  // A new snapshot: every live case anew, in no order (the day book sorts its lists once).
  { weight: 1, arbitrary: fc.array(caseId.chain((id) => incident(id)), { maxLength: 12 }).map((records) => ({ kind: "snapshot" as const, records })) },
  // Minutes to a day and a half: deadlines pass, Beijing midnight passes, cases leave the week.
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 36 * 60 }).map((minutes) => ({ kind: "time" as const, ms: minutes * 60_000 })) },
);

describe("SituationKeeper", () => {
  it("equals computeSituation over every case after any sequence of changes and clock steps", () => {
    const kpiDays = dailyAggregates(INCIDENTS, ["2026-11-21"]).map((day) => ({ ...day, date: "2026-11-20" }));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const keeper = new SituationKeeper(SETTINGS);
        keeper.setNames(NAMES);
        keeper.setKpiDays(kpiDays);
        const live = new Map<string, KpiIncident>();
        const archived = new Map<string, KpiIncident>();
        const units = new Map<string, { status: string }>();
        let now = START;
        for (const change of steps) {
          switch (change.kind) {
            case "live":
              live.set(change.record.id, change.record);
              keeper.upsertLive(change.record);
              break;
            case "step": {
              const was = live.get(change.id);
              if (!was) break;
              const record: KpiIncident = { ...was, status: change.status, updatedAt: change.updatedAt };
              if (change.milestone) record.milestones = { ...was.milestones, [change.milestone[0]]: change.milestone[1] };
              if (change.closeBy !== undefined) record.closeBy = change.closeBy;
              live.set(record.id, record);
              keeper.upsertLive(record);
              break;
            }
            case "unlive":
              live.delete(change.id);
              keeper.removeLive(change.id);
              break;
            case "archive":
              archived.set(change.record.id, change.record);
              keeper.upsertArchived(change.record);
              break;
            case "unarchive":
              archived.delete(change.id);
              keeper.removeArchived(change.id);
              break;
            case "unit":
              units.set(change.unit.id, change.unit);
              keeper.upsertUnit(change.unit as { id: string; status: "on_patrol" });
              break;
            case "unlive-unit":
              units.delete(change.id);
              keeper.removeUnit(change.id);
              break;
            case "snapshot":
              live.clear();
              for (const record of change.records) live.set(record.id, record);
              keeper.resetLive(live.values());
              break;
            case "time":
              now += change.ms;
              break;
          }
          const reference = computeSituation(live, units as Map<string, { status: "on_patrol" }>, SETTINGS, NAMES, now, archived, kpiDays);
          expect(keeper.compute(now)).toEqual(reference);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("equals the reference on the hand-worked street, and reads an instant's state only from the cases that can be open then", () => {
    const keeper = new SituationKeeper(SETTINGS);
    for (const record of INCIDENTS) keeper.upsertLive(record);
    const reference = computeSituation(new Map(INCIDENTS.map((c) => [c.id, c])), new Map(), SETTINGS, new Map(), NOW);
    expect(keeper.compute(NOW)).toEqual(reference);
    expect(reference.summary.today.closed).toBe(2);
    // Twelve days on, the finished cases are past every figure; the open ones (B, C, D, H) are still looked at.
    const later = NOW + 12 * 24 * HOUR;
    expect(keeper.atInstant(later).map((r) => r.id).sort()).toEqual(["B", "C", "D", "H"]);
    // At 15:00 on the 22nd: the open cases and those that finished that day (A, E), not those finished the day before (F, G).
    expect(keeper.atInstant(NOW).map((r) => r.id).sort()).toEqual(["A", "B", "C", "D", "E", "H"]);
    expect(keeper.compute(later)).toEqual(computeSituation(new Map(INCIDENTS.map((c) => [c.id, c])), new Map(), SETTINGS, new Map(), later));
  });

  it("says when something changed since it last worked the situation out", () => {
    const keeper = new SituationKeeper(SETTINGS);
    keeper.compute(NOW);
    expect(keeper.changed).toBe(false);
    keeper.upsertLive(INCIDENTS[0]!);
    expect(keeper.changed).toBe(true);
    keeper.compute(NOW);
    keeper.removeLive("no such case");
    expect(keeper.changed).toBe(false);
  });
});
