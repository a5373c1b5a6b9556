import type { ArchivedCase, ArchivedChanges } from "../../shared/bridge/archived.js";
import type { Incident } from "../../shared/protocol/types.js";
import { milestones } from "./bridge-objects.js";

/*
 * The cases the platform archived lately, kept for the views' KPIs (today,
 * the same stretch of yesterday and of last week): without them 今日结案 fell
 * whenever the platform archived a case closed earlier in the day.
 */

/**
 * A case a snapshot carries closed or rejected more than this long before
 * the snapshot's time is history at once: kept archived for the figures (and
 * the daily aggregates), never a row of the queue. A platform that archives
 * within hours sends none; one that keeps a month of closed cases (the
 * demo's feed at its start) would otherwise fill the views with tens of
 * thousands of cases nobody works on, and the first frame waits for them.
 */
export const HISTORY_AFTER_MS = 86_400_000;

/** The snapshot's cases that are live, and those closed long before `at` (epoch ms; see HISTORY_AFTER_MS). */
export function splitSnapshot(incidents: readonly Incident[], at: number): { live: Incident[]; history: Incident[] } {
  const live: Incident[] = [];
  const history: Incident[] = [];
  for (const incident of incidents) {
    const done = incident.status === "closed" || incident.status === "rejected";
    if (done && Date.parse(incident.updatedAt) < at - HISTORY_AFTER_MS) history.push(incident);
    else live.push(incident);
  }
  return { live, history };
}

/** Long enough for 同比 (the same weekday last week) and a day to spare. */
export const ARCHIVED_KEEP_DAYS = 8;
const DAY_MS = 86_400_000;

export class ArchivedCases {
  private readonly cases = new Map<string, ArchivedCase>();
  private upserts = new Map<string, ArchivedCase>();
  private removed = new Set<string>();

  /** Cases archived at or after `now` minus ARCHIVED_KEEP_DAYS (by their last change) are kept. */
  add(incidents: Iterable<Incident>, now: number): void {
    const cutoff = now - ARCHIVED_KEEP_DAYS * DAY_MS;
    for (const incident of incidents) {
      if (!(Date.parse(incident.updatedAt) >= cutoff)) continue;
      const record = archivedCase(incident);
      this.cases.set(incident.id, record);
      this.upserts.set(incident.id, record);
      this.removed.delete(incident.id);
    }
  }

  prune(now: number): void {
    const cutoff = now - ARCHIVED_KEEP_DAYS * DAY_MS;
    for (const [id, record] of this.cases) {
      if (Date.parse(record.updatedAt) >= cutoff) continue;
      this.cases.delete(id);
      this.upserts.delete(id);
      this.removed.add(id);
    }
  }

  list(): ArchivedCase[] {
    return [...this.cases.values()];
  }

  takeChanges(): ArchivedChanges | null {
    if (this.upserts.size === 0 && this.removed.size === 0) return null;
    const changes = { upserts: [...this.upserts.values()], removed: [...this.removed], reset: false };
    this.upserts = new Map();
    this.removed = new Set();
    return changes;
  }
}

/** A case as history for the figures: what the situation's KPIs read (never sent to a page), no text and no personal data. */
export function archivedCase(incident: Incident): ArchivedCase {
  const record: ArchivedCase = {
    id: incident.id,
    status: incident.status,
    priority: incident.priority,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    reworkCount: incident.reworkCount,
    milestones: milestones(incident),
    category: incident.category,
    gridCode: incident.gridCode,
  };
  if (incident.respondBy !== undefined) record.respondBy = incident.respondBy;
  if (incident.closeBy !== undefined) record.closeBy = incident.closeBy;
  if (incident.department !== undefined) record.department = incident.department;
  // The rating and its time count in 满意率; what the resident said (the note) is the case's, not the figures'.
  if (incident.evaluation !== undefined) record.evaluation = { rating: incident.evaluation.rating, at: incident.evaluation.at };
  return record;
}
