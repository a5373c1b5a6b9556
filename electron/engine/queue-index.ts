import type { IncidentView } from "../../shared/bridge/contract.js";
import type { QueueFacets, QueueRow, QueueWindow } from "../../shared/bridge/queue.js";
import { caseDeadlines, deadlineStateOf, nextOverdueChangeOf, type CategoryIndex } from "../../shared/domain/deadlines.js";
import { isOpen } from "../../shared/domain/lifecycle.js";
import { attentionTier, matchesFilter, type QueueFilter } from "../../shared/domain/queue.js";
import { toEpochMs } from "../../shared/domain/time.js";
import { SortedChunks } from "./sorted-chunks.js";

/*
 * The operator's queue kept by the engine (issue 14): the same order and
 * filters as shared/domain/queue.ts `buildQueue` (the reference; the property
 * test holds this to it), kept from the replica's case changes instead of
 * rebuilt over every case on each of them.
 *
 * - Every case is an `Entry` with its sort keys (attention tier, due time,
 *   creation) worked out at the index's clock. Entries are replaced, never
 *   edited, so an old entry can still be found by its old keys.
 * - `all` holds every case in attention order; each filter a page shows is a
 *   `View`: the cases that match, in the same order (a subsequence of `all`,
 *   so a new view is one ordered pass, no sort). Both are sorted lists in
 *   chunks (sorted-chunks.ts): a change costs a binary search and a splice
 *   of one chunk per view it touches, wherever the case moves to.
 * - A case's tier and the overdue filter change with time, not only with the
 *   case: each entry's next overdue boundary sits in a min-heap, and when the
 *   clock passes it only that case is worked out again.
 * - Facets (majors and departments among open cases, with counts) are counts
 *   kept on each change.
 * - Views live while a page's session asks for them; a session that has not
 *   asked for `SESSION_IDLE_MS` is forgotten, and a view no session holds is dropped.
 */

type Entry = {
  readonly view: IncidentView;
  readonly overdue: boolean;
  readonly tier: number;
  /** The applicable deadline, +Infinity when none. */
  readonly due: number;
  readonly createdMs: number;
  /** When this case's overdue state next changes (at the clock it was worked out at), null = never. */
  readonly next: number | null;
};

type View = {
  readonly id: string;
  readonly key: string;
  readonly filter: QueueFilter;
  readonly needle: string;
  items: SortedChunks<Entry>;
  /** The index's version when this view last changed. */
  version: number;
};

/** A page that has not asked for its window this long no longer holds its view (pages ask again at least once a minute). */
export const SESSION_IDLE_MS = 5 * 60_000;
const MAX_SESSIONS = 64;
const BACKWARD_TOLERANCE_MS = 60_000;

function compareEntries(a: Entry, b: Entry): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (a.tier !== 0 && a.due !== b.due) return a.due < b.due ? -1 : 1;
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  const x = a.view.id;
  const y = b.view.id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The filter as a key: two pages with the same filter share a view. */
export function filterKey(filter: QueueFilter): string {
  return JSON.stringify([
    [...filter.statuses].sort(),
    filter.category,
    filter.area,
    filter.departmentId,
    filter.source,
    filter.overdueOnly,
    filter.search.trim().toLowerCase(),
  ]);
}

/** A min-heap of [time, case id]: the cases' next overdue boundaries. Stale items (the case changed since) are skipped when popped. */
class BoundaryHeap {
  private times: number[] = [];
  private ids: string[] = [];

  get size(): number {
    return this.times.length;
  }

  peek(): number | undefined {
    return this.times[0];
  }

  peekId(): string | undefined {
    return this.ids[0];
  }

  clear(): void {
    this.times = [];
    this.ids = [];
  }

  push(time: number, id: string): void {
    const times = this.times;
    const ids = this.ids;
    let i = times.length;
    times.push(time);
    ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((times[parent] as number) <= time) break;
      times[i] = times[parent] as number;
      ids[i] = ids[parent] as string;
      i = parent;
    }
    times[i] = time;
    ids[i] = id;
  }

  pop(): [number, string] | undefined {
    const times = this.times;
    const ids = this.ids;
    if (times.length === 0) return undefined;
    const top: [number, string] = [times[0] as number, ids[0] as string];
    const lastTime = times.pop() as number;
    const lastId = ids.pop() as string;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && (times[right] as number) < (times[left] as number) ? right : left;
        if ((times[child] as number) >= lastTime) break;
        times[i] = times[child] as number;
        ids[i] = ids[child] as string;
        i = child;
      }
      times[i] = lastTime;
      ids[i] = lastId;
    }
    return top;
  }
}

type Facet = { name: string; count: number };

export class QueueIndex {
  private entries = new Map<string, Entry>();
  private all = SortedChunks.from<Entry>([], compareEntries);
  private views = new Map<string, View>();
  private viewIds = new Map<string, View>();
  private sessions = new Map<string, { key: string; at: number }>();
  private heap = new BoundaryHeap();
  private majors = new Map<string, Facet>();
  private departments = new Map<string, Facet>();
  private changed = new Set<string>();
  private nextViewId = 1;
  private now: number;
  /** Bumped on every change that moved any view. */
  version = 0;

  constructor(
    private readonly categories: CategoryIndex,
    now: number,
  ) {
    this.now = now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The view of a case as the index last took it (the latest tick's), or undefined for a case it does not hold. */
  caseView(id: string): IncidentView | undefined {
    return this.entries.get(id)?.view;
  }

  /** The clock the entries were last brought up to. */
  get clock(): number {
    return this.now;
  }

  /** Every case at once (a snapshot, a start): built in one pass and one sort. */
  reset(incidents: Iterable<IncidentView>, now: number): void {
    this.now = now;
    this.entries.clear();
    this.heap.clear();
    this.majors.clear();
    this.departments.clear();
    for (const view of incidents) {
      const entry = this.entryOf(view);
      this.entries.set(view.id, entry);
      this.countFacets(view, 1);
      if (entry.next !== null) this.heap.push(entry.next, view.id);
    }
    this.all = SortedChunks.from([...this.entries.values()].sort(compareEntries), compareEntries);
    this.version++;
    for (const view of this.views.values()) this.fill(view);
  }

  /** The cases a tick changed (the engine's `incidents` push), worked out at the index's clock. */
  apply(upserts: readonly IncidentView[], removed: readonly string[]): void {
    for (const id of removed) this.put(id, null);
    for (const view of upserts) this.put(view.id, view);
  }

  /** Brings the cases whose overdue boundary the clock has passed up to `now`; a clock that went back works everything out again. */
  advance(now: number): void {
    // A clock stepped back a little (NTP) changes nothing worth a rebuild; a bigger step back works everything out again.
    if (now < this.now && this.now - now < BACKWARD_TOLERANCE_MS) return;
    if (now < this.now) {
      this.reset([...this.entries.values()].map((e) => e.view), now);
      return;
    }
    this.now = now;
    for (let top = this.heap.peek(); top !== undefined && top < now; top = this.heap.peek()) {
      const [time, id] = this.heap.pop() as [number, string];
      const entry = this.entries.get(id);
      if (entry !== undefined && entry.next === time) this.put(id, entry.view);
    }
    // Stale boundaries (cases changed or gone since) are dropped when they pile up.
    if (this.heap.size > 2 * this.entries.size + 1024) {
      this.heap.clear();
      for (const [id, entry] of this.entries) if (entry.next !== null) this.heap.push(entry.next, id);
    }
  }

  /** The ids of the views that changed since the last call (for the `queueChanged` push), or null when none did. */
  takeChanged(): { version: number; views: string[] } | null {
    if (this.changed.size === 0) return null;
    const views = [...this.changed].filter((id) => this.viewIds.has(id));
    this.changed.clear();
    return views.length === 0 ? null : { version: this.version, views };
  }

  /**
   * A session's window: `limit` cases from `offset` of the queue for `filter`.
   * The session now holds this filter's view (made in one ordered pass if no
   * page held it), and lets go of the one it held before.
   */
  window(session: string, filter: QueueFilter, offset: number, limit: number, at: number): QueueWindow {
    const view = this.hold(session, filter, at);
    return {
      view: view.id,
      version: view.version,
      total: view.items.length,
      offset,
      rows: view.items.slice(offset, offset + limit).map((entry) => queueRow(entry.view)),
      facets: this.facets(),
      recomputeAt: this.nextBoundary(),
    };
  }

  /** Majors and departments among open cases, with how many open cases each has. */
  facets(): QueueFacets {
    const list = (facets: Map<string, Facet>) =>
      [...facets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, { name, count }]) => ({ code, name, count }));
    return { majors: list(this.majors), departments: list(this.departments) };
  }

  /** How many views pages hold now (tests, diagnostics). */
  get viewCount(): number {
    return this.views.size;
  }

  /** Forgets sessions that have not asked since `at - SESSION_IDLE_MS`, and the views only they held. */
  expire(at: number): void {
    for (const [session, held] of this.sessions) if (at - held.at > SESSION_IDLE_MS) this.release(session);
  }

  private hold(session: string, filter: QueueFilter, at: number): View {
    const key = filterKey(filter);
    const held = this.sessions.get(session);
    if (held !== undefined && held.key !== key) this.release(session);
    this.sessions.delete(session);
    this.sessions.set(session, { key, at });
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.release(oldest);
    }
    this.expire(at);
    let view = this.views.get(key);
    if (view === undefined) {
      view = { id: `q${this.nextViewId++}`, key, filter: { ...filter, statuses: [...filter.statuses] }, needle: filter.search.trim().toLowerCase(), items: SortedChunks.from<Entry>([], compareEntries), version: this.version };
      this.fill(view);
      // The page asking has it fresh: nobody needs telling.
      this.changed.delete(view.id);
      this.views.set(key, view);
      this.viewIds.set(view.id, view);
    }
    return view;
  }

  private release(session: string): void {
    const held = this.sessions.get(session);
    if (held === undefined) return;
    this.sessions.delete(session);
    for (const other of this.sessions.values()) if (other.key === held.key) return;
    const view = this.views.get(held.key);
    if (view === undefined) return;
    this.views.delete(held.key);
    this.viewIds.delete(view.id);
    this.changed.delete(view.id);
  }

  private fill(view: View): void {
    view.items = SortedChunks.from(this.all.filter((entry) => this.matches(view, entry)), compareEntries);
    view.version = this.version;
    this.changed.add(view.id);
  }

  private matches(view: View, entry: Entry): boolean {
    return matchesFilter(entry.view, view.filter, entry.overdue, view.needle);
  }

  /** The earliest boundary of a case still held (stale tops are dropped on the way). */
  private nextBoundary(): number | null {
    for (let top = this.heap.peek(); top !== undefined; top = this.heap.peek()) {
      if (this.entries.get(this.heap.peekId() as string)?.next === top) return top;
      this.heap.pop();
    }
    return null;
  }

  private entryOf(view: IncidentView): Entry {
    const deadlines = caseDeadlines(view, this.categories);
    const deadline = deadlineStateOf(view, deadlines, this.now);
    const createdMs = toEpochMs(view.createdAt);
    const tier = attentionTier({ incident: view, deadline, createdMs });
    return { view, overdue: deadline.overdue, tier, due: deadline.due ?? Number.POSITIVE_INFINITY, createdMs, next: nextOverdueChangeOf(view, deadlines, this.now) };
  }

  /** Replaces a case's entry (null: removes it), in `all`, in each view it was or is now in, and in the facets. */
  private put(id: string, incident: IncidentView | null): void {
    const old = this.entries.get(id);
    const entry = incident === null ? undefined : this.entryOf(incident);
    if (old === undefined && entry === undefined) return;
    if (old !== undefined) {
      this.all.remove(old);
      this.countFacets(old.view, -1);
    }
    if (entry !== undefined) {
      this.entries.set(id, entry);
      this.all.insert(entry);
      this.countFacets(entry.view, 1);
      if (entry.next !== null && entry.next !== old?.next) this.heap.push(entry.next, id);
    } else this.entries.delete(id);
    this.version++;
    for (const view of this.views.values()) {
      const was = old !== undefined && view.items.remove(old);
      const is = entry !== undefined && this.matches(view, entry);
      if (is) view.items.insert(entry);
      if (was || is) {
        view.version = this.version;
        this.changed.add(view.id);
      }
    }
  }

  private countFacets(view: IncidentView, step: 1 | -1): void {
    if (!isOpen(view.status)) return;
    count(this.majors, view.category.code.slice(0, 2), view.category.major, step);
    if (view.department) count(this.departments, view.department.id, view.department.name, step);
  }
}

/** Rows by case record (records are replaced, never edited): a window asked for again reuses them. */
const rows = new WeakMap<IncidentView, QueueRow>();

function queueRow(view: IncidentView): QueueRow {
  let row = rows.get(view);
  if (row === undefined) {
    const { description: _description, reporter: _reporter, ...rest } = view;
    rows.set(view, (row = rest));
  }
  return row;
}

function count(facets: Map<string, Facet>, code: string, name: string, step: 1 | -1): void {
  const facet = facets.get(code);
  if (facet === undefined) {
    if (step > 0) facets.set(code, { name, count: 1 });
    return;
  }
  facet.count += step;
  if (step > 0) facet.name = name;
  if (facet.count <= 0) facets.delete(code);
}
