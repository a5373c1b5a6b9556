import type { Department } from "../../../shared/bridge/contract.js";
import type { PeriodMetrics } from "../../../shared/domain/kpi.js";
import { DAY_MS, HOUR_MS, lastDays, type Period } from "../../../shared/domain/kpi-time.js";
import { communityOf, type AreaCount, type AreaNames, type CategoryShare, type TrendDay } from "../../../shared/domain/kpi-breakdown.js";
import { UNASSIGNED, type LedgerRow, type RankingRow } from "../../../shared/domain/kpi-departments.js";
import type { HotSpot } from "../../../shared/domain/hotspots.js";
import { formatDate, startOfBeijingDay } from "../../../shared/domain/time.js";
import { overdueAt, type SituationRecord } from "./record.js";

/*
 * The situation's figures from records (record.ts), each the same as its
 * reference in shared/domain over the same cases (kpi.ts periodMetrics,
 * kpi-breakdown.ts, kpi-departments.ts, hotspots.ts; situation.test.ts checks
 * it after random changes). The keeper hands these only the cases that can
 * count (keeper.ts), so the definitions live there and the arithmetic here.
 */

const within = (at: number, period: Period): boolean => at >= period.start && at < period.end;
const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

type DueState = "not_due" | "open" | "closed_on_time" | "closed_late";

function dueToClose(r: SituationRecord, period: Period): DueState {
  if (r.rejected < period.end) return "not_due";
  if (Number.isNaN(r.created) || r.created >= period.end) return "not_due";
  if (r.closed < period.start) return "not_due";
  if (!(r.closed < period.end)) return r.closeBy < period.end || overdueAt(r, period.end) ? "open" : "not_due";
  return Number.isNaN(r.closeBy) || r.closed <= r.closeBy ? "closed_on_time" : "closed_late";
}

export function periodFigures(records: readonly SituationRecord[], period: Period): PeriodMetrics {
  let reported = 0;
  let registered = 0;
  let dispatched = 0;
  let closed = 0;
  let due = 0;
  let dueAndClosed = 0;
  let dueOnTime = 0;
  let evaluated = 0;
  let satisfied = 0;
  let responded = 0;
  let reworked = 0;
  let handlingMs = 0;
  let handled = 0;
  let overdue = 0;
  for (const r of records) {
    if (within(r.created, period)) reported++;
    if (within(r.registered, period)) registered++;
    if (within(r.dispatched, period)) dispatched++;
    if (within(r.closed, period)) {
      closed++;
      if (r.dispatched <= r.closed) {
        handlingMs += r.closed - r.dispatched;
        handled++;
      }
    }
    const state = dueToClose(r, period);
    if (state !== "not_due") due++;
    if (state === "closed_on_time" || state === "closed_late") dueAndClosed++;
    if (state === "closed_on_time") dueOnTime++;
    if (within(r.evaluatedAt, period)) {
      evaluated++;
      if (r.satisfied) satisfied++;
    }
    const reworkedIn = within(r.reworked, period);
    if (reworkedIn) reworked++;
    if (reworkedIn || within(r.responded, period)) responded++;
    if (overdueAt(r, period.end)) overdue++;
  }
  return {
    reported,
    registered,
    dispatched,
    closed,
    closureRate: rate(dueAndClosed, due),
    onTimeRate: rate(dueOnTime, due),
    reworkRate: rate(reworked, responded),
    averageHandlingHours: handled === 0 ? null : handlingMs / handled / HOUR_MS,
    overdue,
    satisfactionRate: rate(satisfied, evaluated),
  };
}

/** dailyTrend over the last `days` Beijing days. */
export function trendFigures(records: readonly SituationRecord[], now: number, days = 7): TrendDay[] {
  const window = lastDays(now, days);
  const trend: TrendDay[] = Array.from({ length: days }, (_, i) => ({ date: formatDate(window.start + i * DAY_MS), reported: 0, closed: 0 }));
  const slot = (at: number) => trend[Math.floor((at - window.start) / DAY_MS)];
  for (const r of records) {
    if (within(r.created, window)) {
      const day = slot(r.created);
      if (day) day.reported++;
    }
    if (within(r.closed, window)) {
      const day = slot(r.closed);
      if (day) day.closed++;
    }
  }
  return trend;
}

/** categoryBreakdown. */
export function categoryFigures(records: readonly SituationRecord[], now: number, days = 7): CategoryShare[] {
  const window = lastDays(now, days);
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of records) {
    if (!within(r.created, window)) continue;
    counts.set(r.major, (counts.get(r.major) ?? 0) + 1);
    total++;
  }
  return [...counts].map(([major, count]) => ({ major, count, share: count / total })).sort((a, b) => b.count - a.count || a.major.localeCompare(b.major, "zh-CN"));
}

/** areaRanking. */
export function areaFigures(records: readonly SituationRecord[], names: AreaNames, now: number, limit: number, days = 7): { communities: AreaCount[]; grids: AreaCount[] } {
  const window = lastDays(now, days);
  const grids = new Map<string, number>();
  const communities = new Map<string, number>();
  for (const r of records) {
    if (!within(r.created, window) || r.gridCode === "") continue;
    grids.set(r.gridCode, (grids.get(r.gridCode) ?? 0) + 1);
    const community = communityOf(r.gridCode);
    communities.set(community, (communities.get(community) ?? 0) + 1);
  }
  const rank = (counts: Map<string, number>): AreaCount[] =>
    [...counts]
      .map(([code, count]) => ({ code, name: names.get(code) ?? code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, limit);
  return { communities: rank(communities), grids: rank(grids) };
}

/** The departments' rows in the references' order: configured ones in settings order, then the others by id. */
function orderedRows<T extends { departmentId: string }>(configured: readonly Pick<Department, "id">[], rows: ReadonlyMap<string, T>): T[] {
  const ids = new Set(configured.map((d) => d.id));
  const first: T[] = [];
  const others: T[] = [];
  for (const row of rows.values()) (ids.has(row.departmentId) ? first : others).push(row);
  others.sort((a, b) => (a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : 0));
  return [...first, ...others];
}

function stableSort<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => compare(a.item, b.item) || a.index - b.index).map((x) => x.item);
}

/** overdueLedger over the live cases. */
export function ledgerFigures(records: readonly SituationRecord[], departments: readonly Pick<Department, "id" | "name">[], now: number): LedgerRow[] {
  const rows = new Map<string, LedgerRow>(departments.map((d) => [d.id, { departmentId: d.id, name: d.name, overdue: 0 }]));
  for (const r of records) {
    if (!r.live || !overdueAt(r, now)) continue;
    const id = r.departmentId ?? UNASSIGNED;
    const row = rows.get(id) ?? { departmentId: id, name: r.departmentName, overdue: 0 };
    row.overdue++;
    rows.set(id, row);
  }
  return stableSort(orderedRows(departments, rows), (a, b) => b.overdue - a.overdue);
}

/**
 * departmentRanking: `known` names every department any case held names (a
 * department whose cases are all older than the week still has its row).
 */
export function rankingFigures(
  records: readonly SituationRecord[],
  departments: readonly Pick<Department, "id" | "name">[],
  known: ReadonlyMap<string, string>,
  now: number,
  days = 7,
): RankingRow[] {
  const window = lastDays(now, days);
  const rows = new Map<string, RankingRow>();
  const row = (id: string, name: string): RankingRow => {
    let found = rows.get(id);
    if (!found) rows.set(id, (found = { departmentId: id, name, dispatched: 0, closed: 0, closedOnTime: 0, onTimeRate: null, overdue: 0 }));
    return found;
  };
  for (const d of departments) row(d.id, d.name);
  for (const [id, name] of known) row(id, name);
  for (const r of records) {
    if (r.departmentId === undefined) continue;
    const counted = row(r.departmentId, r.departmentName);
    if (within(r.dispatched, window)) counted.dispatched++;
    if (within(r.closed, window)) {
      counted.closed++;
      if (!Number.isFinite(r.platformCloseBy) || r.closed <= r.platformCloseBy) counted.closedOnTime++;
    }
    if (overdueAt(r, now)) counted.overdue++;
  }
  const ranked = orderedRows(departments, rows).map((r) => ({ ...r, onTimeRate: r.closed === 0 ? null : r.closedOnTime / r.closed }));
  return stableSort(ranked, (a, b) => {
    if (a.onTimeRate !== b.onTimeRate) {
      if (a.onTimeRate === null) return 1;
      if (b.onTimeRate === null) return -1;
      return b.onTimeRate - a.onTimeRate;
    }
    return b.closed - a.closed || a.overdue - b.overdue;
  });
}

/** hotSpots with the defaults (7 baseline days, floor 3, 2 sigmas); `since`: the oldest case's creation over every case. */
export function hotSpotFigures(records: readonly SituationRecord[], now: number, since: number | undefined): HotSpot[] {
  const floor = 3;
  const sigmas = 2;
  const todayStart = startOfBeijingDay(now);
  const covered = since === undefined ? 0 : Math.floor((todayStart - since) / DAY_MS);
  const days = Math.max(0, Math.min(7, covered));
  if (days === 0) return [];
  const baselineStart = todayStart - days * DAY_MS;
  const counts = new Map<string, { today: number; daily: number[] }>();
  for (const r of records) {
    const at = r.created;
    if (Number.isNaN(at) || at < baselineStart || at >= now || r.gridCode === "") continue;
    let grid = counts.get(r.gridCode);
    if (!grid) counts.set(r.gridCode, (grid = { today: 0, daily: new Array<number>(days).fill(0) }));
    if (at >= todayStart) grid.today++;
    else {
      const day = Math.floor((at - baselineStart) / DAY_MS);
      grid.daily[day] = (grid.daily[day] ?? 0) + 1;
    }
  }
  const spots: HotSpot[] = [];
  for (const [gridCode, { today, daily }] of counts) {
    const mean = daily.reduce((a, b) => a + b, 0) / days;
    const sd = Math.sqrt(daily.reduce((a, b) => a + (b - mean) ** 2, 0) / days);
    const threshold = Math.max(floor, mean + sigmas * sd);
    if (today >= threshold) spots.push({ gridCode, today, mean, sd, threshold, baselineDays: days });
  }
  return spots.sort((a, b) => b.today / b.threshold - a.today / a.threshold || b.today - a.today || a.gridCode.localeCompare(b.gridCode));
}
