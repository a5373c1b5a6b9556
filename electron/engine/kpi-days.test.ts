import { describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Incident } from "../../shared/protocol/types.js";
import { dailyAggregates, KPI_DAYS_KEPT, type KpiDay } from "../../shared/domain/kpi-days.js";
import { formatDate, startOfBeijingDay, toBeijingIso } from "../../shared/domain/time.js";
import { archivedCase } from "./archived.js";
import { Cache } from "./cache.js";
import { KpiDayBook } from "./kpi-days.js";
import { makeIncident } from "./testing/mini-feed.js";
import { sqlite3, until } from "./testing/harness.js";
import { engineTestScope } from "./testing/scope.js";

/*
 * Daily KPI aggregates in the engine (kpi-days.ts) with a real feed, real
 * cache files and restarts: a past day is counted once and its figures stay
 * whatever later happens to its cases.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const today = startOfBeijingDay(Date.now());
/** `daysBack` days before today at Beijing `hour` (fractions allowed). */
const at = (daysBack: number, hour: number) => today - daysBack * DAY + hour * HOUR;
const date = (daysBack: number) => formatDate(today - daysBack * DAY);

/** A case through its loop: [action, ms] steps after the report; the status is the last step's. */
function lifecycle(id: string, created: number, steps: [string, number][], change: Partial<Incident> = {}): Incident {
  const status: Record<string, Incident["status"]> = { register: "registered", dispatch: "dispatched", process: "processing", respond: "responded", rework: "dispatched", close: "closed", reject: "rejected" };
  const history = [{ at: toBeijingIso(created), action: "report", actor: "网格员" }, ...steps.map(([action, ms]) => ({ at: toBeijingIso(ms), action, actor: "值班员" }))];
  const last = steps.at(-1);
  return makeIncident(id, history.length, {
    status: last ? (status[last[0]] ?? "reported") : "reported",
    createdAt: toBeijingIso(created),
    updatedAt: toBeijingIso(last?.[1] ?? created),
    history,
    reworkCount: steps.filter(([action]) => action === "rework").length,
    ...change,
  });
}

function cases(): Incident[] {
  return [
    // Closed four days ago just after midnight: the platform still holds what closed since, so three whole days are covered.
    lifecycle("Z", at(5, 20), [["register", at(5, 21)], ["dispatch", at(5, 22)], ["respond", at(4, 0.25)], ["close", at(4, 0.5)]]),
    // Two days ago: A closed on time; B closed the next morning, after its deadline; C answered, sent back, answered, closed.
    lifecycle("A", at(2, 10), [["register", at(2, 10.1)], ["dispatch", at(2, 10.2)], ["respond", at(2, 11)], ["close", at(2, 12)]], { closeBy: toBeijingIso(at(2, 18)) }),
    lifecycle("B", at(2, 11), [["register", at(2, 11.1)], ["dispatch", at(2, 11.2)], ["respond", at(1, 8)], ["close", at(1, 9)]], { closeBy: toBeijingIso(at(2, 18)) }),
    lifecycle("C", at(2, 13), [["register", at(2, 13.1)], ["dispatch", at(2, 13.2)], ["respond", at(2, 15)], ["rework", at(2, 16)], ["respond", at(2, 20)], ["close", at(2, 21)]], { closeBy: toBeijingIso(at(-1, 12)) }),
    // Reported at the last millisecond of the day before yesterday, and at midnight of yesterday: one on each day.
    lifecycle("M1", at(1, 0) - 1, [["reject", at(1, 2)]]),
    lifecycle("M2", at(1, 0), []),
  ];
}

const { feed, engineFor, directory } = engineTestScope();

describe("daily KPI aggregates in the engine", () => {
  it("counts each covered past day once, and keeps its figures through archiving, the retention and restarts", async () => {
    const server = await feed();
    for (const incident of cases()) server.upsert(incident);
    const dir = directory();
    const first = engineFor(server.url, dir);
    await first.start();
    await until(() => first.kpiDays.get(date(1)) !== undefined, "yesterday counted");
    // Covered from the day after Z's close: three whole days, none before.
    expect([date(3), date(2), date(1)].map((d) => first.kpiDays.get(d) !== undefined)).toEqual([true, true, true]);
    expect(first.kpiDays.get(date(4))).toBeUndefined();
    const twoDaysAgo = first.kpiDays.get(date(2))!;
    // Reported: A, B, C, and M1 at 23:59:59.999. Closed: A, C. Due: A, C (closed) and B (closeBy 18:00 passed, open) → 2/3.
    expect(twoDaysAgo.metrics).toMatchObject({ reported: 4, closed: 2, closureRate: 2 / 3, onTimeRate: 2 / 3, overdue: 1 });
    // Responses checked: A and C (its rework and second answer the same day count once); reworked: C → 1/2.
    expect(twoDaysAgo.metrics.reworkRate).toBe(0.5);
    const yesterday = first.kpiDays.get(date(1))!;
    // M2 at 00:00; B closed at 09:00, late (closeBy the day before 18:00): due and closed, not on time.
    expect(yesterday.metrics).toMatchObject({ reported: 1, closed: 1, closureRate: 1, onTimeRate: 0 });
    expect(yesterday.flow.reported[1]).toBe(1);
    expect(twoDaysAgo.flow.reported[24]).toBe(4);
    expect(twoDaysAgo.flow.reported[23]).toBe(3);
    // Cases the snapshot carried closed more than a day before are history at once: counted, not queue rows.
    expect(first.replica.incidents.has("A")).toBe(false);
    // Kept by the engine for its situation only: a page's initial state carries neither the history nor the days.
    const initial = await first.handlers.getInitialState({});
    expect(initial.ok && Object.keys(initial.value).filter((key) => key === "archived" || key === "kpiDays")).toEqual([]);
    expect(first.archived.list().map((i) => i.id).sort()).toEqual(
      cases()
        .filter((c) => (c.status === "closed" || c.status === "rejected") && Date.parse(c.updatedAt) < Date.now() - DAY)
        .map((c) => c.id)
        .sort(),
    );

    // The platform archives the closed cases; the console is restarted with a one-day retention, which prunes them.
    server.publish(["Z", "A", "B", "C", "M1"].map((id) => ({ type: "incident.archived" as const, id, version: 9 })));
    await until(() => first.replica.meta.lastSeq === server.seq, "archived");
    await first.stop();
    const second = engineFor(server.url, dir, { retentionDays: 1 });
    await second.start();
    await until(() => second.status().state === "live", "live again");
    expect(second.kpiDays.get(date(2))).toEqual(twoDaysAgo);
    expect(second.kpiDays.get(date(1))).toEqual(yesterday);
    // Counting the cases the console still holds now would give another figure: the record is what stands.
    expect(dailyAggregates([...second.replica.incidents.values()].map(archivedCase), [date(2)])[0]!.metrics.closed).toBe(0);
    await second.stop();
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT count(*) FROM incidents WHERE id IN ('A', 'C', 'Z')")).toBe("0");
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT count(*) FROM kpi_days")).toBe("3");
  });

  it("prunes aggregates older than the kept period at start, and keeps the rest", async () => {
    const dir = directory();
    const { cache } = await Cache.open(dir, () => undefined);
    const [old, recent] = dailyAggregates([], [date(KPI_DAYS_KEPT + 1), date(10)]);
    cache.write([
      { op: "kpiDay", day: old!, at: toBeijingIso(Date.now()) },
      { op: "kpiDay", day: recent!, at: toBeijingIso(Date.now()) },
      { op: "kpiSince", at: toBeijingIso(at(KPI_DAYS_KEPT + 2, 0)) },
    ]);
    await cache.close();
    const engine = engineFor("http://127.0.0.1:9", dir);
    await engine.start();
    expect(engine.kpiDays.get(date(KPI_DAYS_KEPT + 1))).toBeUndefined();
    expect(engine.kpiDays.get(date(10))).toEqual(recent);
    await engine.stop();
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT day FROM kpi_days")).toBe(date(10));
  });
});

describe("KpiDayBook", () => {
  const covered: KpiDay[] = [];
  it("gives up the days a later snapshot does not cover (the console was away when they ended), and never counts them", () => {
    const book = new KpiDayBook();
    book.load({ days: covered, since: at(10, 0) });
    const now = Date.now();
    expect(book.pending(now)).toHaveLength(10);
    // Back after ten days away: the platform's snapshot holds cases closed since two hours ago only.
    const snapshot = [lifecycle("X", at(0, 0) - 3 * HOUR, [["close", now - 2 * HOUR]])].map(archivedCase);
    expect(book.noteSnapshot(snapshot, now)).toEqual([{ op: "kpiSince", at: toBeijingIso(now - 2 * HOUR) }]);
    expect(book.pending(now)).toEqual([]);
    expect(book.record(now, () => snapshot).recorded).toEqual([]);
  });

  it("leaves the history's start alone when a snapshot comes with nothing left to count", () => {
    const book = new KpiDayBook();
    const now = Date.now();
    book.load({ days: dailyAggregates([], [date(2), date(1)]), since: at(2, 0) });
    expect(book.noteSnapshot([], now)).toEqual([]);
    expect(book.coveredSince).toBe(at(2, 0));
  });

  it("offers views the last eight days and the same date last year only", () => {
    const book = new KpiDayBook();
    const now = Date.now();
    const lastYear = formatDate(Date.parse(`${Number(date(0).slice(0, 4)) - 1}${date(0).slice(4)}T12:00:00+08:00`));
    book.load({ days: dailyAggregates([], [lastYear, date(30), date(8), date(1)]), since: at(400, 0) });
    const dates = book.forViews(now).map((d) => d.date);
    expect(dates).toEqual(date(0).endsWith("02-29") ? [date(8), date(1)] : [lastYear, date(8), date(1)]);
  });
});
