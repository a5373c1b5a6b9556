import type { UnitView } from "../bridge/contract.js";
import { caseDeadlines, type CategoryIndex } from "./deadlines.js";
import { createdAt, HOUR_MS, historyStart, overdueAt, reachedAt, sameStretch, within, type KpiIncident, type Period } from "./kpi-time.js";

/*
 * Situation KPIs of the grid-management evaluation (数字城管 / 网格化 考评,
 * the CJ/T 292 style of indices: a rate is counted over the cases that were
 * due, so an open case past its deadline always pulls it down), computed
 * from the cases the console holds. Pure: cases, units and `now` (epoch ms)
 * in, numbers out; every day boundary is a Beijing day. The same definitions
 * are in the panel's tooltips and in docs/DESIGN-NOTES.md ("KPI definitions").
 *
 * WARNING: the platform archives cases closed long ago, so the further back a
 * comparison reaches, the more it undercounts closed cases. Comparisons from
 * the cases stop at one week for that reason; 同比 (last year) reads the
 * engine's daily aggregates instead (kpi-days.ts).
 */

export type PeriodMetrics = {
  /** 上报: cases created in the period. */
  reported: number;
  /** 立案: cases registered in the period. */
  registered: number;
  /** 派遣: cases dispatched in the period. */
  dispatched: number;
  /** 结案: cases closed in the period. */
  closed: number;
  /**
   * 结案率 = 结案数 ÷ 应结案数. 应结案数 (due to close): every case not
   * rejected and not already closed when the period began whose close
   * deadline (the platform's closeBy, else the category's default) falls
   * before the period's end, or that is overdue at the period's end on any
   * deadline (a missed response deadline too), plus every case closed in the
   * period (closing early makes a case due the day it closes). So a case
   * overdue since an earlier day stays in the count until it closes, and the
   * rate is below 100% whenever a case is overdue. 结案数: the due cases
   * closed by the period's end. Null when nothing was due.
   */
  closureRate: number | null;
  /**
   * 按期结案率 = 按期结案数 ÷ 应结案数: of the same due cases, those closed on
   * or before their close deadline (a case with none counts as on time). An
   * open overdue case and a case closed late both count against it; null
   * when nothing was due.
   */
  onTimeRate: number | null;
  /**
   * 返工率 = cases sent back (reworked) in the period ÷ cases whose response was
   * checked in the period: those that responded in it, plus those reworked in
   * it (a rework always follows a response, which may predate the period).
   * Null when none responded.
   */
  reworkRate: number | null;
  /** 平均处置时长 = mean of (closed − dispatched) in hours over the cases closed in the period that have a dispatch time. Null when none. */
  averageHandlingHours: number | null;
  /** 超期: cases overdue (see overdueAt in kpi-time.ts) at the end of the period. */
  overdue: number;
  /**
   * 满意率 = (满意 + 基本满意) ÷ 回访数: of the cases evaluated (评价, the
   * reporter's verdict after closing) in the period, those rated satisfied or
   * basically satisfied. Null when none was evaluated.
   */
  satisfactionRate: number | null;
};

export type KpiSummary = {
  today: PeriodMetrics;
  /** 环比: the same stretch of yesterday (00:00 to the same clock time); null when the data does not reach back that far. */
  yesterday: PeriodMetrics | null;
  /** The same stretch of the same weekday last week (周同比); null without that history. */
  lastWeek: PeriodMetrics | null;
  /**
   * 同比: the same date last year, from its recorded daily aggregate (kpi-days.ts `stretchOf`: the flow counts over
   * the same stretch, the levels of the whole day); null until a year of aggregates exists.
   */
  lastYear: PeriodMetrics | null;
  /** 在岗: units whose status is anything but off_duty. A present-tense count, so it has no comparison. */
  onDuty: number;
};

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function periodMetrics(incidents: Iterable<KpiIncident>, period: Period, categories?: CategoryIndex): PeriodMetrics {
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
  for (const incident of incidents) {
    if (within(createdAt(incident), period)) reported++;
    if (within(reachedAt(incident, "registered"), period)) registered++;
    const dispatchedAt = reachedAt(incident, "dispatched");
    if (within(dispatchedAt, period)) dispatched++;

    const closedAt = reachedAt(incident, "closed");
    const closedInPeriod = within(closedAt, period);
    if (closedInPeriod) {
      closed++;
      if (dispatchedAt !== undefined && dispatchedAt <= closedAt) {
        handlingMs += closedAt - dispatchedAt;
        handled++;
      }
    }
    const dueState = dueToClose(incident, period, closedAt, categories);
    if (dueState !== "not_due") due++;
    if (dueState === "closed_on_time" || dueState === "closed_late") dueAndClosed++;
    if (dueState === "closed_on_time") dueOnTime++;

    const evaluation = incident.evaluation;
    if (evaluation && within(Date.parse(evaluation.at), period)) {
      evaluated++;
      if (evaluation.rating !== "unsatisfied") satisfied++;
    }

    const reworkedInPeriod = within(reachedAt(incident, "reworked"), period);
    if (reworkedInPeriod) reworked++;
    if (reworkedInPeriod || within(reachedAt(incident, "responded"), period)) responded++;

    if (overdueAt(incident, period.end, categories)) overdue++;
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

const NO_CATEGORIES: CategoryIndex = new Map();

/** Where a case stands among the period's 应结案 (due to close): see `closureRate`. */
function dueToClose(incident: KpiIncident, period: Period, closedAt: number | undefined, categories: CategoryIndex = NO_CATEGORIES): "not_due" | "open" | "closed_on_time" | "closed_late" {
  const rejectedAt = reachedAt(incident, "rejected");
  if (rejectedAt !== undefined && rejectedAt < period.end) return "not_due";
  const created = createdAt(incident);
  if (created === undefined || created >= period.end) return "not_due";
  if (closedAt !== undefined && closedAt < period.start) return "not_due";
  const closeBy = caseDeadlines(incident, categories).closeBy;
  const closedInPeriod = closedAt !== undefined && closedAt < period.end;
  if (!closedInPeriod) return (closeBy !== null && closeBy < period.end) || overdueAt(incident, period.end, categories) ? "open" : "not_due";
  return closeBy === null || closedAt <= closeBy ? "closed_on_time" : "closed_late";
}

export type KpiInput = {
  incidents: readonly KpiIncident[];
  units: Iterable<Pick<UnitView, "status">>;
  now: number;
  /** Where the caller knows its history starts (e.g. the cache's first snapshot); defaults to the oldest case. */
  historySince?: number;
  /** For the default deadlines of cases the platform sent without any (see deadlines.ts). */
  categories?: CategoryIndex;
  /** 同比's side, from the daily aggregates (kpi-days.ts `lastYearStretch`); none: not enough history. */
  lastYear?: PeriodMetrics | null;
};

export function kpiSummary({ incidents, units, now, historySince, categories, lastYear = null }: KpiInput): KpiSummary {
  const since = historySince ?? historyStart(incidents);
  const compare = (daysBack: number): PeriodMetrics | null => {
    const period = sameStretch(now, daysBack);
    return since === undefined || since > period.start ? null : periodMetrics(incidents, period, categories);
  };
  let onDuty = 0;
  for (const unit of units) if (unit.status !== "off_duty") onDuty++;
  return { today: periodMetrics(incidents, sameStretch(now, 0), categories), yesterday: compare(1), lastWeek: compare(7), lastYear, onDuty };
}

/** The change of one metric against a comparison period: null when either side is null. */
export function change(current: number | null, previous: number | null | undefined): number | null {
  return current === null || previous === null || previous === undefined ? null : current - previous;
}
