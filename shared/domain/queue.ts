import type { IncidentView } from "../bridge/contract.js";
import type { Incident, IncidentStatus } from "../protocol/types.js";
import type { CategoryIndex, DeadlineState } from "./deadlines.js";
import { caseDeadlines, deadlineStateOf, nextOverdueChangeOf } from "./deadlines.js";
import { isOpen } from "./lifecycle.js";
import { toEpochMs } from "./time.js";

/*
 * The operator's queue: which cases match the filter, in the order they need
 * attention. Pure, so it is tested without a DOM and memoised by the view on
 * (incidents, filter, the instant the next deadline passes), never per frame.
 */

export type Source = Incident["source"];

export type QueueFilter = {
  /** Empty = every open status (closed and rejected are left out unless asked for). */
  statuses: readonly IncidentStatus[];
  /** A four-digit category code, or a two-digit major: matched as a prefix. */
  category: string | null;
  /** A street (9), community (12) or grid (15 digits) code: the grid code starts with it. */
  area: string | null;
  departmentId: string | null;
  source: Source | null;
  overdueOnly: boolean;
  /** Case number, address or title contains it (case-insensitive). */
  search: string;
};

export const EMPTY_FILTER: QueueFilter = { statuses: [], category: null, area: null, departmentId: null, source: null, overdueOnly: false, search: "" };

export type QueueItem = { incident: IncidentView; deadline: DeadlineState; createdMs: number };

export type Queue = {
  items: QueueItem[];
  /** When the overdue state of some listed-or-filtered case next changes; recompute then. Null = never. */
  recomputeAt: number | null;
};

export function matchesFilter(incident: IncidentView, filter: QueueFilter, overdue: boolean, needle: string): boolean {
  if (filter.statuses.length > 0 ? !filter.statuses.includes(incident.status) : !isOpen(incident.status)) return false;
  if (filter.category !== null && !incident.category.code.startsWith(filter.category)) return false;
  if (filter.area !== null && !incident.gridCode.startsWith(filter.area)) return false;
  if (filter.departmentId !== null && incident.department?.id !== filter.departmentId) return false;
  if (filter.source !== null && incident.source !== filter.source) return false;
  if (filter.overdueOnly && !overdue) return false;
  if (needle !== "") {
    const hit =
      incident.id.toLowerCase().includes(needle) ||
      incident.title.toLowerCase().includes(needle) ||
      (incident.address?.toLowerCase().includes(needle) ?? false);
    if (!hit) return false;
  }
  return true;
}

/**
 * Attention tiers, most pressing first:
 * 0. urgent reports still awaiting this center's first decision (register or
 *    reject): nobody is acting on them yet, so they lead, newest first, which
 *    puts a case that has just arrived at the very top;
 * 1. urgent and overdue; 2. urgent; 3. overdue; 4. everything else, each
 *    ordered by nearest deadline (the most overdue first), then newest.
 */
export function attentionTier(item: QueueItem): number {
  const urgent = item.incident.priority === "urgent";
  if (urgent && item.incident.status === "reported") return 0;
  if (urgent && item.deadline.overdue) return 1;
  if (urgent) return 2;
  if (item.deadline.overdue) return 3;
  return 4;
}

export function compareAttention(a: QueueItem, b: QueueItem): number {
  const tier = attentionTier(a) - attentionTier(b);
  if (tier !== 0) return tier;
  if (attentionTier(a) !== 0) {
    const dueA = a.deadline.due ?? Number.POSITIVE_INFINITY;
    const dueB = b.deadline.due ?? Number.POSITIVE_INFINITY;
    if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  }
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  return a.incident.id < b.incident.id ? -1 : a.incident.id > b.incident.id ? 1 : 0;
}

/** A listed case with its sort keys worked out once, not in each of the sort's comparisons (millions for a city's queue). */
type Keyed = { item: QueueItem; tier: number; due: number };

/** `compareAttention` over precomputed keys: the same order. */
function compareKeyed(a: Keyed, b: Keyed): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (a.tier !== 0 && a.due !== b.due) return a.due < b.due ? -1 : 1;
  const x = a.item;
  const y = b.item;
  if (x.createdMs !== y.createdMs) return y.createdMs - x.createdMs;
  return x.incident.id < y.incident.id ? -1 : x.incident.id > y.incident.id ? 1 : 0;
}

export function buildQueue(incidents: Iterable<IncidentView>, filter: QueueFilter, categories: CategoryIndex, now: number): Queue {
  const needle = filter.search.trim().toLowerCase();
  const keyed: Keyed[] = [];
  let recomputeAt: number | null = null;
  for (const incident of incidents) {
    // Cheap tests first: most cases of a big city fail the status or area filter before any date is parsed.
    if (filter.statuses.length > 0 ? !filter.statuses.includes(incident.status) : !isOpen(incident.status)) continue;
    if (filter.area !== null && !incident.gridCode.startsWith(filter.area)) continue;
    // Worked out once per case: both what follows need them, and each is several date parses.
    const deadlines = caseDeadlines(incident, categories);
    const deadline = deadlineStateOf(incident, deadlines, now);
    // Any case may enter or leave the list (overdue filter) or change place (tier) when a deadline passes.
    const change = nextOverdueChangeOf(incident, deadlines, now);
    if (change !== null && (recomputeAt === null || change < recomputeAt)) recomputeAt = change;
    if (!matchesFilter(incident, filter, deadline.overdue, needle)) continue;
    const item: QueueItem = { incident, deadline, createdMs: toEpochMs(incident.createdAt) };
    keyed.push({ item, tier: attentionTier(item), due: deadline.due ?? Number.POSITIVE_INFINITY });
  }
  keyed.sort(compareKeyed);
  return { items: keyed.map((k) => k.item), recomputeAt };
}

/** Filter values the data offers, for the filter menus: categories by major, departments and sources seen. */
export function queueFacets(incidents: Iterable<IncidentView>): { majors: Map<string, string>; departments: Map<string, string> } {
  const majors = new Map<string, string>();
  const departments = new Map<string, string>();
  for (const incident of incidents) {
    if (!isOpen(incident.status)) continue;
    majors.set(incident.category.code.slice(0, 2), incident.category.major);
    if (incident.department) departments.set(incident.department.id, incident.department.name);
  }
  return { majors, departments };
}
