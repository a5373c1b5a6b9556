import type { IncidentView, Milestone } from "../bridge/contract.js";
import { caseDeadlines, deadlineState, type CategoryIndex } from "./deadlines.js";
import { startOfBeijingDay } from "./time.js";

/*
 * The timeline of a case as the KPI functions read it. Everything here works
 * from the milestones the engine derives from the platform's history, so a KPI
 * can ask "what was true at instant t" and compare today with yesterday.
 */

/** What the KPI functions need of a case: no personal data, no history. */
export type KpiIncident = Pick<
  IncidentView,
  "id" | "status" | "createdAt" | "updatedAt" | "respondBy" | "closeBy" | "reworkCount" | "milestones" | "department" | "category" | "gridCode" | "evaluation"
>;

/** A half-open span of epoch ms, [start, end). */
export type Period = { start: number; end: number };

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

const parse = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

export const createdAt = (incident: KpiIncident): number | undefined => parse(incident.createdAt);

/**
 * When the case reached a milestone. For the terminal stages a case whose
 * history was trimmed (the platform keeps 50 entries) may lack the milestone;
 * its last update is then the best estimate of when it closed or was rejected.
 */
export function reachedAt(incident: KpiIncident, milestone: Milestone): number | undefined {
  const at = parse(incident.milestones?.[milestone]);
  if (at !== undefined) return at;
  if ((milestone === "closed" || milestone === "rejected") && incident.status === milestone) return parse(incident.updatedAt);
  return undefined;
}

export const within = (at: number | undefined, period: Period): at is number => at !== undefined && at >= period.start && at < period.end;

/** Was the case open (created, neither closed nor rejected yet) at instant t? */
export function openAt(incident: KpiIncident, t: number): boolean {
  const created = createdAt(incident);
  if (created === undefined || created > t) return false;
  const closed = reachedAt(incident, "closed");
  const rejected = reachedAt(incident, "rejected");
  return !((closed !== undefined && closed <= t) || (rejected !== undefined && rejected <= t));
}

const NO_CATEGORIES: CategoryIndex = new Map();

/**
 * Overdue at instant t (PROTOCOL.md: "past due and not done"). When nothing
 * about the case has changed since t, its current status held at t and the
 * queue's own rule (deadlineState) decides, so the wall's count always agrees
 * with the rows flagged overdue. For an earlier instant (yesterday's figure)
 * the status then is rebuilt from the milestones: open at t, and past the
 * close deadline, or past the response deadline with no response by t.
 */
export function overdueAt(incident: KpiIncident, t: number, categories: CategoryIndex = NO_CATEGORIES): boolean {
  const updated = parse(incident.updatedAt);
  if (updated !== undefined && updated <= t) return deadlineState(incident, categories, t).overdue;
  if (!openAt(incident, t)) return false;
  const { respondBy, closeBy } = caseDeadlines(incident, categories);
  if (closeBy !== null && closeBy < t) return true;
  if (respondBy === null || respondBy >= t) return false;
  const responded = reachedAt(incident, "responded");
  return responded === undefined || responded > t;
}

/** Today so far in Beijing time, and the same stretch of the day `daysBack` days earlier. */
export function sameStretch(now: number, daysBack: number): Period {
  const start = startOfBeijingDay(now) - daysBack * DAY_MS;
  return { start, end: now - daysBack * DAY_MS };
}

/** The Beijing day `daysBack` days before the one containing `now`, whole. */
export function wholeDay(now: number, daysBack: number): Period {
  const start = startOfBeijingDay(now) - daysBack * DAY_MS;
  return { start, end: start + DAY_MS };
}

/** The last `days` Beijing days up to now, today included. */
export function lastDays(now: number, days: number): Period {
  return { start: startOfBeijingDay(now) - (days - 1) * DAY_MS, end: now };
}

/**
 * The earliest instant the data speaks for: the oldest case creation. Before
 * it the console holds nothing, so a comparison reaching back further has no
 * history and is reported as null, never as zero.
 */
export function historyStart(incidents: Iterable<KpiIncident>): number | undefined {
  let earliest: number | undefined;
  for (const incident of incidents) {
    const at = createdAt(incident);
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}
