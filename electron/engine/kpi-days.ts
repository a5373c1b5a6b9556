import type { CategoryIndex } from "../../shared/domain/deadlines.js";
import { dailyAggregates, historyCoverage, KPI_DAYS_KEPT, recordableDates, sameDateLastYear, type KpiDay } from "../../shared/domain/kpi-days.js";
import type { KpiIncident } from "../../shared/domain/kpi-time.js";
import { formatDate, startOfBeijingDay, toBeijingIso } from "../../shared/domain/time.js";
import type { CacheOp } from "./model.js";

/*
 * The daily KPI aggregates the engine keeps (shared/domain/kpi-days.ts): a
 * Beijing day is counted once, at the first check after it ends while the
 * feed is live, from every case the console holds (live and archived), and
 * written to cache.sqlite. From then on its figures are read, never counted
 * again: the platform archiving a case, the retention pruning it after 90
 * days or a restart cannot change them. Kept KPI_DAYS_KEPT days.
 *
 * A day is counted only if the console's history covers it whole: from
 * where its first snapshot shows the platform's record begins
 * (historyCoverage), and never across a stretch it was away for. When a
 * later snapshot arrives with days not yet counted that its cases do not
 * cover (the console was off or offline when they ended), those days are
 * given up: no figure is better than one that looks real and undercounts.
 */

const DAY_MS = 86_400_000;
/** How many recent days views get (today's comparisons and the week's trend need 8 at most), besides last year's date. */
const RECENT_DAYS = 8;

export class KpiDayBook {
  private readonly days = new Map<string, KpiDay>();
  private since: number | null = null;

  load(stored: { days: readonly KpiDay[]; since: number | null }): void {
    this.days.clear();
    for (const day of stored.days) this.days.set(day.date, day);
    this.since = stored.since;
  }

  /** Where the console's case history begins (epoch ms), null before its first snapshot. */
  get coveredSince(): number | null {
    return this.since;
  }

  get(date: string): KpiDay | undefined {
    return this.days.get(date);
  }

  /**
   * A complete snapshot arrived: the first one sets where the history begins;
   * a later one gives up the days not yet counted that it does not cover.
   */
  noteSnapshot(incidents: Iterable<KpiIncident>, now: number): CacheOp[] {
    const covered = historyCoverage(incidents, now);
    if (this.since !== null && this.pending(now).every((date) => Date.parse(`${date}T00:00:00+08:00`) >= covered)) return [];
    this.since = this.since === null ? covered : Math.max(this.since, covered);
    return [{ op: "kpiSince", at: toBeijingIso(this.since) }];
  }

  /** Whole days the history covers that have no aggregate yet, oldest first. */
  pending(now: number): string[] {
    if (this.since === null) return [];
    const oldest = startOfBeijingDay(now) - KPI_DAYS_KEPT * DAY_MS;
    return recordableDates(Math.max(this.since, oldest), now).filter((date) => !this.days.has(date));
  }

  /** Counts the pending days from `cases` (read only when there are any) and returns the ops that keep them. */
  record(now: number, cases: () => Iterable<KpiIncident>, categories?: CategoryIndex): { ops: CacheOp[]; recorded: KpiDay[] } {
    const dates = this.pending(now);
    if (dates.length === 0) return { ops: [], recorded: [] };
    const recorded = dailyAggregates(cases(), dates, categories);
    const at = toBeijingIso(now);
    for (const day of recorded) this.days.set(day.date, day);
    return { ops: recorded.map((day) => ({ op: "kpiDay", day, at })), recorded };
  }

  /** Forgets days older than the kept period; returns the oldest date kept, for the cache's own pruning. */
  prune(now: number): string {
    const oldest = formatDate(startOfBeijingDay(now) - KPI_DAYS_KEPT * DAY_MS);
    for (const date of this.days.keys()) if (date < oldest) this.days.delete(date);
    return oldest;
  }

  /** What views read: the last days and the same date last year (同比), oldest first. */
  forViews(now: number): KpiDay[] {
    const recent = formatDate(startOfBeijingDay(now) - RECENT_DAYS * DAY_MS);
    const lastYear = sameDateLastYear(now);
    return [...this.days.values()].filter((day) => day.date >= recent || day.date === lastYear).sort((a, b) => a.date.localeCompare(b.date));
  }
}
