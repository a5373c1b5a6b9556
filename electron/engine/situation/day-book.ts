import { communityOf } from "../../../shared/domain/kpi-breakdown.js";
import { startOfBeijingDay } from "../../../shared/domain/time.js";
import type { SituationRecord } from "./record.js";

/*
 * What happened to the cases, by Beijing day: each event of a case (created,
 * registered, dispatched, closed, …) filed under its day in a list sorted by
 * time, with the day's counts by category, grid, community and department
 * beside it. A figure over whole days adds days up; a figure over part of a
 * day (today until now, yesterday until the same clock time) counts the
 * events before its end by binary search. A case's change removes its old
 * events and files its new ones: O(log n) per event, never a pass over the
 * cases.
 */

export const EVENT_KINDS = ["created", "registered", "dispatched", "closed", "handled", "evaluated", "satisfied", "reworked", "checked"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One event: when, whose, and a value (the handling time of a `handled` event; 0 otherwise). */
export type Entry = { at: number; record: SituationRecord; value: number };

type Counts = Map<string, number>;

export type Day = {
  readonly start: number;
  /** Read them through `DayBook.events`, which sorts what a bulk load appended. */
  readonly events: Record<EventKind, Entry[]>;
  /** Kinds whose list had an entry appended out of order since it was last sorted. */
  readonly unsorted: Set<EventKind>;
  /** Cases created this day by major category, grid and community (a case with no grid adds to neither area). */
  readonly majors: Counts;
  readonly grids: Counts;
  readonly communities: Counts;
  /** By department: dispatched this day, closed this day, and of those closed on or before the platform's closeBy. */
  readonly dispatched: Counts;
  readonly closed: Counts;
  readonly closedOnTime: Counts;
};

const add = (counts: Counts, key: string, by: number): void => {
  const next = (counts.get(key) ?? 0) + by;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
};

/** The index of the first entry at or after `at`. */
export function firstAtOrAfter(entries: readonly Entry[], at: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.at < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** An event of a case: its kind, time and value (as in `Entry`). */
type Event = [kind: EventKind, at: number, value: number];

/** A case's events: only those whose time is known. */
export function eventsOf(r: SituationRecord): Event[] {
  const events: Event[] = [];
  const push = (kind: EventKind, at: number, value = 0) => {
    if (Number.isFinite(at)) events.push([kind, at, value]);
  };
  push("created", r.created);
  push("registered", r.registered);
  push("dispatched", r.dispatched);
  push("closed", r.closed);
  if (r.dispatched <= r.closed) push("handled", r.closed, r.closed - r.dispatched);
  push("evaluated", r.evaluatedAt);
  if (r.satisfied) push("satisfied", r.evaluatedAt);
  push("reworked", r.reworked);
  // 返工率's denominator counts a case once when it responded or was sent back in a period; every period starts at
  // a day's start, so two of them on one day count once, at the earlier.
  if (Number.isFinite(r.responded) && Number.isFinite(r.reworked) && startOfBeijingDay(r.responded) === startOfBeijingDay(r.reworked)) push("checked", Math.min(r.responded, r.reworked));
  else {
    push("checked", r.responded);
    push("checked", r.reworked);
  }
  return events;
}

/** Whether two versions of a case count their events under the same keys (`DayBook.count`): category, grid, department, closed on time. */
function sameCounts(a: SituationRecord, b: SituationRecord): boolean {
  return a.major === b.major && a.gridCode === b.gridCode && a.departmentId === b.departmentId && closedOnTime(a) === closedOnTime(b);
}

const closedOnTime = (record: SituationRecord): boolean => !Number.isFinite(record.platformCloseBy) || record.closed <= record.platformCloseBy;

export class DayBook {
  readonly days = new Map<number, Day>();
  /** Set while many cases are filed at once (`loading`). */
  private loading = false;
  /** Called with each created event filed (+1) or removed (−1): the keeper's rolling window of areas. */
  constructor(private readonly onCreated: (day: number, record: SituationRecord, by: 1 | -1) => void) {}

  day(start: number): Day | undefined {
    return this.days.get(start);
  }

  /** Files many cases at once: each day's lists are sorted once, not kept in order entry by entry. */
  load(work: () => void): void {
    this.loading = true;
    try {
      work();
    } finally {
      this.loading = false;
    }
  }

  /** A day's events of one kind, by time. */
  events(day: Day, kind: EventKind): Entry[] {
    const entries = day.events[kind];
    if (day.unsorted.delete(kind)) entries.sort((a, b) => a.at - b.at);
    return entries;
  }

  file(record: SituationRecord): void {
    for (const [kind, at, value] of eventsOf(record)) this.fileEvent(record, kind, at, value);
  }

  unfile(record: SituationRecord): void {
    for (const [kind, at] of eventsOf(record)) this.unfileEvent(record, kind, at);
  }

  /**
   * `unfile(before)` then `file(after)` for a new version of a case. A case moving one step keeps most
   * of its events (the same kind, time and value, counted under the same category, grid and
   * department): those keep their place in the day's list with the new record in it, and only the
   * events that changed are removed and filed. Removing and filing them again cost two splices of a
   * day's list each (at city scale, lists of thousands), and the day's counts went down and up again.
   */
  refile(before: SituationRecord, after: SituationRecord): void {
    if (!sameCounts(before, after)) {
      this.unfile(before);
      this.file(after);
      return;
    }
    const old: (Event | undefined)[] = eventsOf(before);
    const next = eventsOf(after);
    const kept = next.map(([kind, at, value]) => {
      const i = old.findIndex((o) => o !== undefined && o[0] === kind && o[1] === at && o[2] === value);
      if (i >= 0) old[i] = undefined;
      return i >= 0;
    });
    for (const event of old) if (event !== undefined) this.unfileEvent(before, event[0], event[1]);
    next.forEach(([kind, at, value], i) => {
      if (!(kept[i] && this.swap(before, after, kind, at, value))) this.fileEvent(after, kind, at, value);
    });
  }

  private fileEvent(record: SituationRecord, kind: EventKind, at: number, value: number): void {
    const day = this.dayFor(at);
    // A live case's new events are the day's latest: appended. An older one goes in its place, except while
    // loading (many cases at once, in no order), when the list is sorted once, when it is next read.
    const entries = day.events[kind];
    const entry = { at, record, value };
    if (entries.length === 0 || entries[entries.length - 1]!.at <= at) entries.push(entry);
    else if (this.loading || day.unsorted.has(kind)) {
      day.unsorted.add(kind);
      entries.push(entry);
    } else entries.splice(firstAtOrAfter(entries, at + 1), 0, entry);
    this.count(day, kind, record, 1);
  }

  private unfileEvent(record: SituationRecord, kind: EventKind, at: number): void {
    const day = this.days.get(startOfBeijingDay(at));
    if (!day) return;
    const entries = this.events(day, kind);
    for (let i = firstAtOrAfter(entries, at); i < entries.length && entries[i]!.at === at; i++) {
      if (entries[i]!.record !== record) continue;
      entries.splice(i, 1);
      this.count(day, kind, record, -1);
      break;
    }
  }

  /** Puts `after` in `before`'s entry for this event (same time, same counts); false if `before` has none there. */
  private swap(before: SituationRecord, after: SituationRecord, kind: EventKind, at: number, value: number): boolean {
    const day = this.days.get(startOfBeijingDay(at));
    if (!day) return false;
    const entries = this.events(day, kind);
    for (let i = firstAtOrAfter(entries, at); i < entries.length && entries[i]!.at === at; i++) {
      if (entries[i]!.record !== before) continue;
      entries[i] = { at, record: after, value };
      return true;
    }
    return false;
  }

  private count(day: Day, kind: EventKind, record: SituationRecord, by: 1 | -1): void {
    const department = record.departmentId;
    if (kind === "created") {
      add(day.majors, record.major, by);
      if (record.gridCode !== "") {
        add(day.grids, record.gridCode, by);
        add(day.communities, communityOf(record.gridCode), by);
      }
      this.onCreated(day.start, record, by);
    } else if (kind === "dispatched" && department !== undefined) add(day.dispatched, department, by);
    else if (kind === "closed" && department !== undefined) {
      add(day.closed, department, by);
      if (closedOnTime(record)) add(day.closedOnTime, department, by);
    }
  }

  private dayFor(at: number): Day {
    const start = startOfBeijingDay(at);
    let day = this.days.get(start);
    if (!day) {
      const events = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, [] as Entry[]])) as Record<EventKind, Entry[]>;
      day = { start, events, unsorted: new Set(), majors: new Map(), grids: new Map(), communities: new Map(), dispatched: new Map(), closed: new Map(), closedOnTime: new Map() };
      this.days.set(start, day);
    }
    return day;
  }
}
