import type { IncidentStatus } from "../../../shared/protocol/types.js";
import { workOutDeadlines, type CategoryIndex } from "../../../shared/domain/deadlines.js";
import { reachedAt, type KpiIncident } from "../../../shared/domain/kpi-time.js";

/*
 * A case as the engine's situation reads it: every instant the KPI functions
 * ask for, parsed once when the case changes (epoch ms; NaN where the case has
 * none), so that working out the situation is arithmetic on numbers and never
 * parses a date. The meanings are those of shared/domain/kpi-time.ts.
 */

export type SituationRecord = {
  readonly id: string;
  /** Held live by the replica (the overdue ledger counts only these); else an archived case, history for the figures. */
  readonly live: boolean;
  readonly status: IncidentStatus;
  readonly created: number;
  readonly updated: number;
  readonly registered: number;
  readonly dispatched: number;
  readonly responded: number;
  readonly reworked: number;
  /** reachedAt "closed" / "rejected": the milestone, or the last update of a case in that status without one. */
  readonly closed: number;
  readonly rejected: number;
  readonly evaluatedAt: number;
  readonly satisfied: boolean;
  /** The deadlines the overdue rules use (workOutDeadlines: the platform's, else the category's defaults). */
  readonly respondBy: number;
  readonly closeBy: number;
  /** The platform's own closeBy, which the department ranking's on-time count reads. */
  readonly platformCloseBy: number;
  readonly departmentId: string | undefined;
  readonly departmentName: string;
  readonly major: string;
  readonly gridCode: string;
  /**
   * The latest instant any figure reads of a closed or rejected case; NaN for
   * a case that is open (it can be overdue on any day) or whose end is not
   * known. A case whose `last` is before a figure's earliest instant adds
   * nothing to it (see keeper.ts).
   */
  readonly last: number;
};

const NONE = Number.NaN;
const time = (at: number | undefined): number => (at === undefined ? NONE : at);
const parsed = (iso: string | undefined): number => (iso === undefined ? NONE : Date.parse(iso));

export function situationRecord(incident: KpiIncident, live: boolean, categories: CategoryIndex): SituationRecord {
  // Mostly the situation's own copy of a live case (engine-situation.ts), read only here: its deadlines are not kept for it (`caseDeadlines`).
  const deadlines = workOutDeadlines(incident, categories);
  const closed = time(reachedAt(incident, "closed"));
  const rejected = time(reachedAt(incident, "rejected"));
  const record = {
    id: incident.id,
    live,
    status: incident.status,
    created: parsed(incident.createdAt),
    updated: parsed(incident.updatedAt),
    registered: time(reachedAt(incident, "registered")),
    dispatched: time(reachedAt(incident, "dispatched")),
    responded: time(reachedAt(incident, "responded")),
    reworked: time(reachedAt(incident, "reworked")),
    closed,
    rejected,
    evaluatedAt: incident.evaluation ? Date.parse(incident.evaluation.at) : NONE,
    satisfied: incident.evaluation !== undefined && incident.evaluation.rating !== "unsatisfied",
    respondBy: deadlines.respondBy ?? NONE,
    closeBy: deadlines.closeBy ?? NONE,
    platformCloseBy: parsed(incident.closeBy),
    departmentId: incident.department?.id,
    departmentName: incident.department?.name ?? "",
    major: incident.category.major,
    gridCode: incident.gridCode,
    last: NONE,
  };
  return { ...record, last: lastInstant(record) };
}

function lastInstant(record: Omit<SituationRecord, "last">): number {
  const end = record.status === "closed" ? record.closed : record.status === "rejected" ? record.rejected : NONE;
  // An open case, or a finished one whose end is unknown (the figures then hold it open): always looked at.
  if (Number.isNaN(end)) return NONE;
  let last = end;
  for (const at of [record.created, record.updated, record.registered, record.dispatched, record.responded, record.reworked, record.closed, record.rejected, record.evaluatedAt]) {
    if (at > last) last = at;
  }
  return last;
}

const isFinished = (status: IncidentStatus): boolean => status === "closed" || status === "rejected";

/** openAt (kpi-time.ts) on a record. */
export function openAt(r: SituationRecord, t: number): boolean {
  if (Number.isNaN(r.created) || r.created > t) return false;
  return !(r.closed <= t || r.rejected <= t);
}

/** deadlineState(...).overdue (deadlines.ts) on a record: by its current status. */
function overdueByStatus(r: SituationRecord, now: number): boolean {
  if (isFinished(r.status)) return false;
  const respondLate = r.status !== "responded" && now > r.respondBy;
  return respondLate || now > r.closeBy;
}

/** overdueAt (kpi-time.ts) on a record. */
export function overdueAt(r: SituationRecord, t: number): boolean {
  if (r.updated <= t) return overdueByStatus(r, t);
  if (!openAt(r, t)) return false;
  if (r.closeBy < t) return true;
  if (Number.isNaN(r.respondBy) || r.respondBy >= t) return false;
  return Number.isNaN(r.responded) || r.responded > t;
}
