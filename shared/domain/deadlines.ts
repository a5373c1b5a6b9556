import type { Category, IncidentView } from "../bridge/contract.js";
import type { IncidentStatus } from "../protocol/types.js";
import type { EpochMs } from "./time.js";
import { toEpochMs } from "./time.js";

/*
 * Case deadlines and overdue (超期, held against the department: 挂账).
 *
 * A case has two deadlines: respond (the department reports back) and close
 * (verified and closed). The platform's respondBy/closeBy win; when it sends
 * none, the category's default hours apply, counted from dispatch when the
 * case has been dispatched (the department cannot be late before it has the
 * case) and from creation otherwise. All arithmetic is on epoch milliseconds,
 * so the machine's time zone never changes a result.
 */

export type DeadlineKind = "respond" | "close";

export type CaseDeadlines = { respondBy: EpochMs | null; closeBy: EpochMs | null };

/** What the deadline rules read of a case. */
export type DeadlineInput = Pick<IncidentView, "status" | "createdAt" | "respondBy" | "closeBy" | "category" | "milestones"> & {
  department?: IncidentView["department"];
};

export type CategoryIndex = ReadonlyMap<string, Category>;

/** Indexes by list: settings are replaced, never edited, and one list's users then share one index, and so `caseDeadlines`' memo. */
const indexes = new WeakMap<readonly Category[], CategoryIndex>();

/**
 * The categories by code. The same list gives the same index: the engine's queue, map counts and
 * attention list each index the settings' categories, and with an index each the deadlines of a case
 * record were worked out again by each of them (`caseDeadlines` keeps one index's result per record).
 */
export function indexCategories(categories: readonly Category[]): CategoryIndex {
  let index = indexes.get(categories);
  if (index === undefined) indexes.set(categories, (index = new Map(categories.map((c) => [c.code, c]))));
  return index;
}

const HOUR_MS = 3_600_000;

function parse(iso: string | undefined): EpochMs | null {
  if (iso === undefined) return null;
  const ms = toEpochMs(iso);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Deadlines worked out, by case record and category index. Case records are
 * never edited in place (the page's store and the engine replace a record
 * when its case changes), and the queue, the map's markers, the KPIs and the
 * briefing each ask for every case's deadlines: at city scale that was the
 * same 100,000 cases' dates parsed again by each of them.
 */
const worked = new WeakMap<DeadlineInput, { categories: CategoryIndex; deadlines: CaseDeadlines }>();

export function caseDeadlines(incident: DeadlineInput, categories: CategoryIndex): CaseDeadlines {
  const known = worked.get(incident);
  if (known !== undefined && known.categories === categories) return known.deadlines;
  const deadlines = workOutDeadlines(incident, categories);
  worked.set(incident, { categories, deadlines });
  return deadlines;
}

/**
 * `caseDeadlines` worked out and not kept: for a record made to be read once (the engine's situation
 * files a copy of each changed case), which the memo would only hold until the next collection.
 */
export function workOutDeadlines(incident: DeadlineInput, categories: CategoryIndex): CaseDeadlines {
  const category = categories.get(incident.category.code);
  const start = parse(incident.milestones?.dispatched) ?? parse(incident.createdAt);
  const fallback = (hours: number | undefined): EpochMs | null =>
    start === null || hours === undefined ? null : ((start + hours * HOUR_MS) as EpochMs);
  return {
    respondBy: parse(incident.respondBy) ?? fallback(category?.respondHours),
    closeBy: parse(incident.closeBy) ?? fallback(category?.closeHours),
  };
}

/**
 * The deadline the case is working against in this status: respond until the
 * department has responded, then close; none once it is closed or rejected.
 */
export function applicableDeadline(status: IncidentStatus): DeadlineKind | null {
  switch (status) {
    case "reported":
    case "registered":
    case "dispatched":
    case "processing":
      return "respond";
    case "responded":
      return "close";
    case "closed":
    case "rejected":
      return null;
  }
}

export type DeadlineState = {
  kind: DeadlineKind | null;
  /** The applicable deadline, or null when none applies or none is known. */
  due: EpochMs | null;
  /** due − now; negative when past due. Null when there is no due time. */
  remainingMs: number | null;
  /** Past due on any deadline the case has not yet met. */
  overdue: boolean;
};

/** Whether a deadline of this kind is already met in this status. */
function met(kind: DeadlineKind, status: IncidentStatus): boolean {
  if (status === "closed" || status === "rejected") return true;
  return kind === "respond" && status === "responded";
}

export function deadlineState(incident: DeadlineInput, categories: CategoryIndex, now: number): DeadlineState {
  return deadlineStateOf(incident, caseDeadlines(incident, categories), now);
}

/** `deadlineState` from deadlines already worked out (`caseDeadlines`), for callers that need them twice. */
export function deadlineStateOf(incident: Pick<DeadlineInput, "status">, deadlines: CaseDeadlines, now: number): DeadlineState {
  const kind = applicableDeadline(incident.status);
  const due = kind === null ? null : kind === "respond" ? deadlines.respondBy : deadlines.closeBy;
  // A case can be late on close while still not responded (close hours ran out first): either counts.
  const respondLate = deadlines.respondBy !== null && !met("respond", incident.status) && now > deadlines.respondBy;
  const closeLate = deadlines.closeBy !== null && !met("close", incident.status) && now > deadlines.closeBy;
  return { kind, due, remainingMs: due === null ? null : due - now, overdue: respondLate || closeLate };
}

/**
 * The next instant at which `deadlineState(...).overdue` can change for this
 * case, or null if never: lets a list recompute when a deadline passes rather
 * than on every tick.
 */
export function nextOverdueChange(incident: DeadlineInput, categories: CategoryIndex, now: number): EpochMs | null {
  return nextOverdueChangeOf(incident, caseDeadlines(incident, categories), now);
}

/** `nextOverdueChange` from deadlines already worked out (`caseDeadlines`). */
export function nextOverdueChangeOf(incident: Pick<DeadlineInput, "status">, deadlines: CaseDeadlines, now: number): EpochMs | null {
  let next: EpochMs | null = null;
  for (const [kind, due] of [
    ["respond", deadlines.respondBy],
    ["close", deadlines.closeBy],
  ] as const) {
    if (due === null || met(kind, incident.status) || due < now) continue;
    if (next === null || due < next) next = due;
  }
  return next;
}

export type DepartmentOverdue = { departmentId: string; name: string; overdue: number };

/** Overdue open cases per responsible department (挂账), most first. Cases with no department count under "". */
export function overdueByDepartment(incidents: Iterable<DeadlineInput>, categories: CategoryIndex, now: number): DepartmentOverdue[] {
  const counts = new Map<string, DepartmentOverdue>();
  for (const incident of incidents) {
    if (!deadlineState(incident, categories, now).overdue) continue;
    const id = incident.department?.id ?? "";
    const entry = counts.get(id) ?? { departmentId: id, name: incident.department?.name ?? "", overdue: 0 };
    entry.overdue++;
    counts.set(id, entry);
  }
  return [...counts.values()].sort((a, b) => b.overdue - a.overdue || a.departmentId.localeCompare(b.departmentId));
}

/** A duration split for display: `{ days: 1, hours: 2, minutes: 3, seconds: 4 }`, always non-negative. */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.floor(Math.abs(ms) / 1000);
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** `2:03:04`, or `3d 02:03:04` style parts joined by the caller's day word: `3天 02:03:04`. */
export function formatCountdown(ms: number, dayWord: string): string {
  const { days, hours, minutes, seconds } = splitDuration(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  const clock = `${days > 0 ? pad(hours) : hours}:${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days}${dayWord} ${clock}` : clock;
}
