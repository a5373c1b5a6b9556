import type { Department } from "../../../shared/bridge/contract.js";
import type { PeriodMetrics } from "../../../shared/domain/kpi.js";
import { HOUR_MS, type Period } from "../../../shared/domain/kpi-time.js";
import type { AreaCount, AreaNames, CategoryShare } from "../../../shared/domain/kpi-breakdown.js";
import { UNASSIGNED, byOverdue, configuredFirst, rankByOnTime, type LedgerRow, type RankingRow } from "../../../shared/domain/kpi-departments.js";
import type { HotSpot } from "../../../shared/domain/hotspots.js";
import { firstAtOrAfter, type Entry, type EventKind } from "./day-book.js";
import { overdueAt, type SituationRecord } from "./record.js";

/*
 * The arithmetic of the situation's figures, each the same as its reference
 * in shared/domain (kpi.ts periodMetrics, kpi-breakdown.ts,
 * kpi-departments.ts, hotspots.ts; keeper.test.ts checks it after random
 * changes) from what the keeper keeps: counts by day (day-book.ts) and the
 * few cases whose state at an instant matters (keeper.ts `atInstant`).
 */

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

type DueState = "not_due" | "open" | "closed_on_time" | "closed_late";

/** dueToClose (kpi.ts) on a record. */
function dueToClose(r: SituationRecord, period: Period): DueState {
  if (r.rejected < period.end) return "not_due";
  if (Number.isNaN(r.created) || r.created >= period.end) return "not_due";
  if (r.closed < period.start) return "not_due";
  if (!(r.closed < period.end)) return r.closeBy < period.end || overdueAt(r, period.end) ? "open" : "not_due";
  return Number.isNaN(r.closeBy) || r.closed <= r.closeBy ? "closed_on_time" : "closed_late";
}

/** The part of a period's figures that is a state at its end (应结案, 超期), from every case that can be in it. */
export type PeriodState = { due: number; dueAndClosed: number; dueOnTime: number; overdue: number };

/** `overdue`, when given, collects the cases overdue at the period's end (the ledger's and the ranking's at now). */
export function periodState(records: Iterable<SituationRecord>, period: Period, overdue?: SituationRecord[]): PeriodState {
  const state: PeriodState = { due: 0, dueAndClosed: 0, dueOnTime: 0, overdue: 0 };
  for (const r of records) {
    const due = dueToClose(r, period);
    if (due !== "not_due") state.due++;
    if (due === "closed_on_time" || due === "closed_late") state.dueAndClosed++;
    if (due === "closed_on_time") state.dueOnTime++;
    if (overdueAt(r, period.end)) {
      state.overdue++;
      overdue?.push(r);
    }
  }
  return state;
}

/** periodMetrics for a period from its day's start to `period.end` within that day: the flows by binary search on the day's events. */
export function periodFigures(events: ((kind: EventKind) => readonly Entry[]) | null, period: Period, state: PeriodState): PeriodMetrics {
  const before = (kind: EventKind): number => (events ? firstAtOrAfter(events(kind), period.end) : 0);
  const handledCount = before("handled");
  let handlingMs = 0;
  for (let i = 0; i < handledCount; i++) handlingMs += events!("handled")[i]!.value;
  return {
    reported: before("created"),
    registered: before("registered"),
    dispatched: before("dispatched"),
    closed: before("closed"),
    closureRate: rate(state.dueAndClosed, state.due),
    onTimeRate: rate(state.dueOnTime, state.due),
    reworkRate: rate(before("reworked"), before("checked")),
    averageHandlingHours: handledCount === 0 ? null : handlingMs / handledCount / HOUR_MS,
    overdue: state.overdue,
    satisfactionRate: rate(before("satisfied"), before("evaluated")),
  };
}

/** categoryBreakdown's order from counts by major. */
export function categoryShares(counts: ReadonlyMap<string, number>): CategoryShare[] {
  let total = 0;
  for (const count of counts.values()) total += count;
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([major, count]) => ({ major, count, share: count / total }))
    .sort((a, b) => b.count - a.count || a.major.localeCompare(b.major, "zh-CN"));
}

/** areaRanking's first `limit` from counts by code (less what `minus` takes off), without sorting them all. */
export function topAreas(counts: ReadonlyMap<string, number>, minus: ReadonlyMap<string, number>, names: AreaNames, limit: number): AreaCount[] {
  const top: { code: string; count: number }[] = [];
  const before = (a: { code: string; count: number }, b: { code: string; count: number }) => b.count - a.count || a.code.localeCompare(b.code);
  for (const [code, total] of counts) {
    const count = total - (minus.get(code) ?? 0);
    if (count <= 0) continue;
    const candidate = { code, count };
    if (top.length === limit && before(candidate, top[limit - 1]!) >= 0) continue;
    let at = top.length;
    while (at > 0 && before(candidate, top[at - 1]!) < 0) at--;
    top.splice(at, 0, candidate);
    if (top.length > limit) top.pop();
  }
  return top.map(({ code, count }) => ({ code, name: names.get(code) ?? code, count }));
}

/** overdueLedger from the live cases overdue now. */
export function ledgerRows(overdueNow: readonly SituationRecord[], departments: readonly Pick<Department, "id" | "name">[]): LedgerRow[] {
  const rows = new Map<string, LedgerRow>(departments.map((d) => [d.id, { departmentId: d.id, name: d.name, overdue: 0 }]));
  for (const r of overdueNow) {
    if (!r.live) continue;
    const id = r.departmentId ?? UNASSIGNED;
    const row = rows.get(id) ?? { departmentId: id, name: r.departmentName, overdue: 0 };
    row.overdue++;
    rows.set(id, row);
  }
  return byOverdue(configuredFirst(rows, departments));
}

export type DepartmentCounts = { dispatched: ReadonlyMap<string, number>; closed: ReadonlyMap<string, number>; closedOnTime: ReadonlyMap<string, number> };

/** departmentRanking: `known` names every department any case names (each keeps its row). */
export function rankingRows(
  counts: DepartmentCounts,
  overdueNow: readonly SituationRecord[],
  departments: readonly Pick<Department, "id" | "name">[],
  known: ReadonlyMap<string, string>,
): RankingRow[] {
  const rows = new Map<string, RankingRow>();
  const row = (id: string, name: string): RankingRow => {
    let found = rows.get(id);
    if (!found) rows.set(id, (found = { departmentId: id, name, dispatched: 0, closed: 0, closedOnTime: 0, onTimeRate: null, overdue: 0 }));
    return found;
  };
  for (const d of departments) row(d.id, d.name);
  for (const [id, name] of known) row(id, name);
  for (const [id, count] of counts.dispatched) row(id, known.get(id) ?? id).dispatched += count;
  for (const [id, count] of counts.closed) row(id, known.get(id) ?? id).closed += count;
  for (const [id, count] of counts.closedOnTime) row(id, known.get(id) ?? id).closedOnTime += count;
  for (const r of overdueNow) if (r.departmentId !== undefined) row(r.departmentId, r.departmentName).overdue++;
  return rankByOnTime(configuredFirst(rows, departments).map((r) => ({ ...r, onTimeRate: r.closed === 0 ? null : r.closedOnTime / r.closed })));
}

/**
 * hotSpots (defaults: floor 3, 2 sigmas): only a grid with at least `floor`
 * cases today can reach its threshold, so only those are looked at.
 */
export function hotSpotRows(today: ReadonlyMap<string, number>, dailyOf: (gridCode: string) => number[], days: number): HotSpot[] {
  const floor = 3;
  const sigmas = 2;
  const spots: HotSpot[] = [];
  for (const [gridCode, count] of today) {
    if (count < floor) continue;
    const daily = dailyOf(gridCode);
    const mean = daily.reduce((a, b) => a + b, 0) / days;
    const sd = Math.sqrt(daily.reduce((a, b) => a + (b - mean) ** 2, 0) / days);
    const threshold = Math.max(floor, mean + sigmas * sd);
    if (count >= threshold) spots.push({ gridCode, today: count, mean, sd, threshold, baselineDays: days });
  }
  return spots.sort((a, b) => b.today / b.threshold - a.today / a.threshold || b.today - a.today || a.gridCode.localeCompare(b.gridCode));
}
