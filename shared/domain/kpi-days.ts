import { periodMetrics, type PeriodMetrics } from "./kpi.js";
import { createdAt, DAY_MS, HOUR_MS, reachedAt, type KpiIncident } from "./kpi-time.js";
import type { CategoryIndex } from "./deadlines.js";
import { beijingParts, formatDate, startOfBeijingDay } from "./time.js";

/*
 * Daily aggregates: each whole Beijing day's KPI figures, recorded once the
 * day is over and never counted again, so that the platform archiving a
 * case, the cache's retention pruning it or a restart cannot change a past
 * day's figure, and 同比 (the same date last year) reaches back further than
 * the cases are kept. The engine records them (electron/engine/kpi-days.ts);
 * views read them.
 */

/** The flow counts, cumulative from 00:00 to each whole hour (index h = 00:00 to h:00; 24 = the whole day). */
export type DayFlow = Record<"reported" | "registered" | "dispatched" | "closed", number[]>;

export type KpiDay = {
  /** The Beijing date, YYYY-MM-DD. */
  date: string;
  /** The whole day's figures (periodMetrics from 00:00 to 24:00). */
  metrics: PeriodMetrics;
  flow: DayFlow;
};

/** Aggregates are kept this long (the cache prunes older ones): a year and a month, for 同比 and its margin. */
export const KPI_DAYS_KEPT = 400;

const FLOW_MILESTONES = ["registered", "dispatched", "closed"] as const;

const dayStartOf = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/**
 * The figures of each day in `dates`. Each case is looked at only on the
 * days it can count for (from its creation to its last change, every day
 * after that while it is open), which gives the same figures as
 * periodMetrics over all cases (kpi-days.test.ts) at a fraction of the cost:
 * a district's 35 days are some 36,000 cases.
 */
export function dailyAggregates(incidents: Iterable<KpiIncident>, dates: readonly string[], categories?: CategoryIndex): KpiDay[] {
  if (dates.length === 0) return [];
  const starts = dates.map(dayStartOf);
  const index = new Map(starts.map((start, i) => [start, i]));
  const buckets: KpiIncident[][] = dates.map(() => []);
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  for (const incident of incidents) {
    const created = createdAt(incident);
    if (created === undefined) continue;
    const end = lastCounted(incident);
    const from = Math.max(first, startOfBeijingDay(created));
    const to = Math.min(last, end === undefined ? last : startOfBeijingDay(end));
    for (let day = from; day <= to; day += DAY_MS) {
      const slot = index.get(day);
      if (slot !== undefined) buckets[slot]!.push(incident);
    }
  }
  return dates.map((date, i) => {
    const start = starts[i]!;
    const cases = buckets[i]!;
    return { date, metrics: periodMetrics(cases, { start, end: start + DAY_MS }, categories), flow: dayFlow(cases, start) };
  });
}

/** The last instant a case can count for a day: its last change or milestone; undefined while it is open (it can be overdue any day). */
function lastCounted(incident: KpiIncident): number | undefined {
  if (incident.status !== "closed" && incident.status !== "rejected") return undefined;
  let end = Date.parse(incident.updatedAt);
  for (const at of Object.values(incident.milestones ?? {})) {
    const ms = Date.parse(at ?? "");
    if (ms > end || !Number.isFinite(end)) end = ms;
  }
  const evaluated = Date.parse(incident.evaluation?.at ?? "");
  if (evaluated > end) end = evaluated;
  return Number.isFinite(end) ? end : undefined;
}

function dayFlow(cases: readonly KpiIncident[], start: number): DayFlow {
  const hourly = { reported: new Array<number>(25).fill(0), registered: new Array<number>(25).fill(0), dispatched: new Array<number>(25).fill(0), closed: new Array<number>(25).fill(0) };
  const count = (list: number[], at: number | undefined) => {
    if (at === undefined || at < start || at >= start + DAY_MS) return;
    list[Math.floor((at - start) / HOUR_MS) + 1]!++;
  };
  for (const incident of cases) {
    count(hourly.reported, createdAt(incident));
    for (const milestone of FLOW_MILESTONES) count(hourly[milestone], reachedAt(incident, milestone));
  }
  for (const list of Object.values(hourly)) for (let h = 1; h <= 24; h++) list[h]! += list[h - 1]!;
  return hourly;
}

/**
 * The whole Beijing days that may be recorded at `now`: those after the
 * console's history begins (`coveredSince`) and before today, oldest first.
 */
export function recordableDates(coveredSince: number, now: number): string[] {
  const out: string[] = [];
  const today = startOfBeijingDay(now);
  for (let day: number = startOfBeijingDay(coveredSince + DAY_MS - 1); day < today; day += DAY_MS) out.push(formatDate(day));
  return out;
}

/**
 * Where the console's history begins, judged from its first snapshot: the
 * platform keeps closed cases for a while before archiving them, so holding
 * a case closed at t means it still holds every case closed since t; cases
 * open at the snapshot it holds anyway. So the history reaches back to the
 * earliest close (or rejection) among the snapshot's cases, and no further;
 * with none closed, to the snapshot itself.
 */
export function historyCoverage(incidents: Iterable<KpiIncident>, snapshotAt: number): number {
  let since = snapshotAt;
  for (const incident of incidents) {
    for (const milestone of ["closed", "rejected"] as const) {
      const at = reachedAt(incident, milestone);
      if (at !== undefined && at < since) since = at;
    }
  }
  return since;
}

/** The same date last year (同比); none for 29 February. */
export function sameDateLastYear(now: number): string | null {
  const { year, month, day } = beijingParts(now);
  if (month === 2 && day === 29) return null;
  return `${year - 1}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** 同比's side at `now`: the recorded day of the same date last year, read over the same stretch; null without it. */
export function lastYearStretch(days: readonly KpiDay[], now: number): PeriodMetrics | null {
  const date = sameDateLastYear(now);
  const day = date === null ? undefined : days.find((d) => d.date === date);
  return day ? stretchOf(day, now) : null;
}

/**
 * 同比 from a recorded day: the flow counts over the same stretch (00:00 to
 * the same clock time, read between the whole hours), the rates, handling
 * time and overdue count of that whole day (they are levels, not sums of a
 * stretch, and the day is all that is kept of it).
 */
export function stretchOf(day: KpiDay, now: number): PeriodMetrics {
  const into = (now - startOfBeijingDay(now)) / HOUR_MS;
  const hour = Math.min(23, Math.floor(into));
  const fraction = Math.min(1, into - hour);
  const at = (list: number[]) => Math.round(list[hour]! + (list[hour + 1]! - list[hour]!) * fraction);
  return { ...day.metrics, reported: at(day.flow.reported), registered: at(day.flow.registered), dispatched: at(day.flow.dispatched), closed: at(day.flow.closed) };
}
