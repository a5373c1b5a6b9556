import type { IncidentView } from "../../../shared/bridge/contract.js";
import { deadlineState, type CategoryIndex } from "../../../shared/domain/deadlines.js";
import { isOpen } from "../../../shared/domain/lifecycle.js";
import { maskPhone } from "../../../shared/domain/masking.js";
import type { IncidentStatus, Priority } from "../../../shared/protocol/types.js";

/*
 * The briefing's notable cases, reduced to what visitors may read: title,
 * category, grid and status. The record built here has no field for the
 * reporter, the address or the description, so no later change to a scene can
 * show them by accident.
 */

export type NotableCase = {
  id: string;
  title: string;
  category: string;
  gridCode: string;
  gridName: string;
  status: IncidentStatus;
  priority: Priority;
  overdue: boolean;
};

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * Titles are typed by people (a hotline operator may write "王先生 13912345678
 * 反映…"): any phone-like run of digits is masked before it reaches the wall.
 */
const PHONE_LIKE = /(?:\+?86[\s-]?)?(?:1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{7,8})/g;
export const scrubPhones = (text: string): string => text.replace(PHONE_LIKE, (match) => maskPhone(match));

/** Open cases that are overdue or urgent: overdue first, then by priority, then the oldest. */
export function notableCases(
  incidents: Iterable<IncidentView>,
  categories: CategoryIndex,
  names: ReadonlyMap<string, string>,
  now: number,
  limit = 8,
): NotableCase[] {
  const picked: (NotableCase & { created: number })[] = [];
  for (const incident of incidents) {
    if (!isOpen(incident.status)) continue;
    const overdue = deadlineState(incident, categories, now).overdue;
    if (!overdue && incident.priority !== "urgent") continue;
    picked.push({
      id: incident.id,
      title: scrubPhones(incident.title),
      category: incident.category.minor ? `${incident.category.major}·${incident.category.minor}` : incident.category.major,
      gridCode: incident.gridCode,
      gridName: names.get(incident.gridCode) ?? incident.gridCode,
      status: incident.status,
      priority: incident.priority,
      overdue,
      created: Date.parse(incident.createdAt),
    });
  }
  picked.sort((a, b) => Number(b.overdue) - Number(a.overdue) || PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.created - b.created || a.id.localeCompare(b.id));
  return picked.slice(0, limit).map(({ created: _created, ...rest }) => rest);
}
