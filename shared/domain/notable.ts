import type { IncidentView } from "../bridge/contract.js";
import { deadlineState, type CategoryIndex } from "./deadlines.js";
import { isOpen } from "./lifecycle.js";
import { maskName, maskPhone } from "./masking.js";
import type { IncidentStatus, Priority } from "../protocol/types.js";

/*
 * The notable cases (the briefing's 重点案件, the export's list), reduced to
 * what visitors may read: title, category, grid and status. The record built
 * here has no field for the reporter, the address or the description, so no
 * later change to a scene can show them by accident. The engine keeps them
 * with the situation (electron/engine/grid-counts.ts `notable`); `notableCases`
 * is the full recomputation it is held to.
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

/**
 * A case title as it may go on a wall or on paper: phone-like runs masked, and
 * the case's own reporter's name and phone masked wherever a hotline operator
 * typed them into the title.
 */
export function maskTitle(title: string, reporter: IncidentView["reporter"]): string {
  let text = title;
  const name = reporter?.name?.trim();
  if (name && !reporter?.masked && Array.from(name).length >= 2) text = text.split(name).join(maskName(name));
  const phone = reporter?.phone?.trim();
  if (phone && !reporter?.masked && phone.replace(/\D/g, "").length >= 5) text = text.split(phone).join(maskPhone(phone));
  return scrubPhones(text);
}

/** What the list reads of a case. */
export type NotableInput = Pick<IncidentView, "id" | "title" | "category" | "gridCode" | "status" | "priority" | "createdAt" | "reporter">;

/** A candidate as the order compares it: overdue first, then by priority, then the oldest, then by id. */
export type NotableCandidate = { incident: NotableInput; overdue: boolean; created: number };

/**
 * A strict total order on distinct cases: ids are compared by code unit, not `localeCompare` (which calls
 * some distinct strings equal, "é" and "e\u0301"), so the engine's kept list finds each entry again.
 */
export function notableOrder(a: NotableCandidate, b: NotableCandidate): number {
  const x = a.incident.id;
  const y = b.incident.id;
  return Number(b.overdue) - Number(a.overdue) || PRIORITY_RANK[a.incident.priority] - PRIORITY_RANK[b.incident.priority] || a.created - b.created || (x < y ? -1 : x > y ? 1 : 0);
}

/** Whether an open case belongs on the list: overdue or urgent. */
export const isNotable = (incident: Pick<NotableInput, "status" | "priority">, overdue: boolean): boolean => isOpen(incident.status) && (overdue || incident.priority === "urgent");

export function notableCandidate(incident: NotableInput, overdue: boolean): NotableCandidate {
  const created = Date.parse(incident.createdAt);
  // NaN would make the order intransitive; the protocol's check admits only ISO times, so this is for safety.
  return { incident, overdue, created: Number.isNaN(created) ? 0 : created };
}

/** The record of a candidate: what may be shown, the title masked. */
export function notableCase({ incident, overdue }: NotableCandidate, names: ReadonlyMap<string, string>): NotableCase {
  return {
    id: incident.id,
    title: maskTitle(incident.title, incident.reporter),
    category: incident.category.minor ? `${incident.category.major}·${incident.category.minor}` : incident.category.major,
    gridCode: incident.gridCode,
    gridName: names.get(incident.gridCode) ?? incident.gridCode,
    status: incident.status,
    priority: incident.priority,
    overdue,
  };
}

/** Open cases that are overdue or urgent: overdue first, then by priority, then the oldest (the full recomputation). */
export function notableCases(incidents: Iterable<NotableInput & Parameters<typeof deadlineState>[0]>, categories: CategoryIndex, names: ReadonlyMap<string, string>, now: number, limit = 8): NotableCase[] {
  const picked: NotableCandidate[] = [];
  for (const incident of incidents) {
    if (!isOpen(incident.status)) continue;
    const overdue = deadlineState(incident, categories, now).overdue;
    if (isNotable(incident, overdue)) picked.push(notableCandidate(incident, overdue));
  }
  return picked.sort(notableOrder).slice(0, limit).map((c) => notableCase(c, names));
}
