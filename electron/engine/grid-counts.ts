import type { GridCounts, IncidentMarkers } from "../../shared/bridge/contract.js";
import { deadlineState, nextOverdueChange, type CategoryIndex } from "../../shared/domain/deadlines.js";
import { gridLayerKey, gridOfCase } from "../../shared/domain/grid-counts.js";
import { copyColumns, hasMarker, isPulsing, MARKER_NONE, markerKind, pulseEnds, type MarkerCase } from "../../shared/domain/incident-markers.js";
import { isOpen } from "../../shared/domain/lifecycle.js";
import { isNotable, notableCandidate, notableOrder, type NotableCandidate, type NotableInput } from "../../shared/domain/notable.js";
import { createGridIndex } from "../../shared/geo/grid-index.js";
import type { RegionArea } from "../../shared/geo/region.js";
import { SortedChunks } from "./sorted-chunks.js";

/*
 * The map's case counts per grid (open, overdue), kept as cases change rather
 * than counted again over every case: each case's part (its grid, whether it
 * is open, whether overdue) is remembered, so a new version of a case takes
 * the old part away and adds its own. Cases turn overdue with no change to
 * them: each open case waits in a heap by the next instant its overdue can
 * change (`nextOverdueChange`), and a sweep takes out only those whose time
 * has passed. The reference is shared/domain/grid-counts.ts `caseGridCounts`
 * (grid-counts.test.ts holds the two equal after random sequences).
 *
 * The map's incident markers are kept here too, from the same parts: each
 * open case with a place holds a slot in columns (position, kind, grid) for
 * as long as it stays open, and a push carries the slots that changed since
 * the last (shared/bridge/contract.ts `IncidentMarkers`), so a page draws
 * open cases without holding any case. A newly urgent case's pulse ends with
 * no change to it, like an overdue: it waits in the same heap. The reference
 * is shared/domain/incident-markers.ts `caseMarker`.
 *
 * So is the notable list (the briefing's 重点案件): every notable part (open,
 * urgent or overdue; tens of thousands at city scale) is kept in
 * `notableOrder`, so the list is its first items rather than a pass over every
 * case each time it may have moved. The reference is shared/domain/notable.ts
 * `notableCases`.
 */

/** Counts go to the pages at most this often. */
export const GRID_COUNTS_PUSH_MS = 250;

const OPEN = 1;
const OVERDUE = 2;

/** What the counter reads of a case: its grid and marker, and what the notable list shows. */
export type CountedCase = MarkerCase & NotableInput;
/** `notable`: the part's entry in the notable order, while the case is notable. */
type Part = { incident: CountedCase; grid: number; flags: number; slot: number; notable: NotableCandidate | null };
type Due = { at: number; incident: CountedCase };

export class GridCounter {
  private key: string | null = null;
  private gridIndex: ReadonlyMap<string, number> = new Map();
  private locate: ((lon: number, lat: number) => number) | undefined;
  private open = new Uint32Array(0);
  private overdue = new Uint32Array(0);
  private readonly parts = new Map<string, Part>();
  /** A binary min-heap by `at`; an entry whose case has a newer record since is skipped when it comes up. */
  private due: Due[] = [];
  private changed = false;
  /** Cases still to count after `startLayer`, or null once every case is counted. */
  private pending: Iterator<CountedCase> | null = null;
  private lastPush = -Infinity;
  private countedAt = 0;
  private readonly markers = new MarkerColumns();
  private notables = SortedChunks.from<NotableCandidate>([], notableOrder);
  private changes = 0;
  private lastMarkersPush = -Infinity;

  constructor(
    private readonly categories: CategoryIndex,
    private readonly pushMs = GRID_COUNTS_PUSH_MS,
  ) {}

  get layerKey(): string | null {
    return this.key;
  }

  /**
   * The region layer's grids (in the layer's order, which is the counts' index) and every case now: counted
   * once, then kept by `apply`. Before a layer the counter holds nothing (`apply` is a no-op).
   */
  setLayer(grids: readonly RegionArea[], cases: Iterable<CountedCase>, now: number): void {
    this.startLayer(grids, cases, now);
    this.loadStep(Infinity, now);
  }

  /**
   * As `setLayer`, but the cases are counted by `loadStep` a slice at a time (100,000 cases at city scale take
   * seconds, which the engine's thread must not spend in one piece while pages wait for their first answers).
   * `cases` is read lazily: give the latest record of each case as it is reached. Until every case is counted
   * there are no counts to show (`current` is null), and `apply` counts the cases that change meanwhile.
   */
  startLayer(grids: readonly RegionArea[], cases: Iterable<CountedCase>, now: number): void {
    this.key = gridLayerKey(grids);
    this.gridIndex = new Map(grids.map((grid, index) => [grid.code, index]));
    const index = createGridIndex(grids);
    const byCode = this.gridIndex;
    this.locate = (lon, lat) => {
      const code = index.locate(lon, lat);
      return code === null ? -1 : (byCode.get(code) ?? -1);
    };
    this.open = new Uint32Array(grids.length);
    this.overdue = new Uint32Array(grids.length);
    this.due = [];
    this.parts.clear();
    this.markers.clear();
    this.notables = SortedChunks.from<NotableCandidate>([], notableOrder);
    this.countedAt = now;
    this.pending = cases[Symbol.iterator]();
    this.changed = true;
  }

  /** Counts loaded cases for about `budgetMs`; true once every case is counted. */
  loadStep(budgetMs: number, now: number): boolean {
    const pending = this.pending;
    if (pending === null) return true;
    const until = performance.now() + budgetMs;
    for (let n = 1; ; n++) {
      const next = pending.next();
      if (next.done) {
        this.pending = null;
        this.changed = true;
        return true;
      }
      // A case that changed since the start was counted by `apply`: counted again as it is now, not twice.
      this.remove(next.value.id);
      this.add(next.value, now);
      if (n % 256 === 0 && performance.now() > until) return false;
    }
  }

  /** Whether every case is counted (there are counts to show). */
  get ready(): boolean {
    return this.key !== null && this.pending === null;
  }

  /** A tick's case changes, as the pages get them (`reset`: `upserts` is every case). */
  apply(upserts: readonly CountedCase[], removed: readonly string[], reset: boolean, now: number): void {
    if (this.key === null) return;
    if (reset) {
      // Every case comes in `upserts`: none is left to count.
      this.pending = null;
      this.parts.clear();
      this.markers.clear();
      this.notables = SortedChunks.from<NotableCandidate>([], notableOrder);
      this.due = [];
      this.open.fill(0);
      this.overdue.fill(0);
      this.changed = true;
    }
    for (const id of removed) this.remove(id);
    for (const incident of upserts) {
      this.remove(incident.id);
      this.add(incident, now);
    }
  }

  /** Cases whose overdue may have changed by `now` counted again. */
  sweep(now: number): void {
    this.countedAt = now;
    while (this.due.length > 0 && (this.due[0] as Due).at < now) {
      const { incident } = this.pop();
      if (this.parts.get(incident.id)?.incident !== incident) continue;
      this.remove(incident.id);
      this.add(incident, now);
    }
  }

  /** The counts to push now, if they changed and the last push was at least `pushMs` ago. */
  take(now: number): GridCounts | null {
    // `now` is the case clock, which can step back: a push is then due rather than held until it catches up.
    if (!this.changed || !this.ready || (now >= this.lastPush && now - this.lastPush < this.pushMs)) return null;
    this.lastPush = now;
    this.changed = false;
    return this.current();
  }

  /** The markers that changed since the last push (or all of them after a new layer or a reset), if any and the last push was at least `pushMs` ago. */
  takeMarkers(now: number): IncidentMarkers | null {
    if (!this.ready || this.key === null || !this.markers.changed || (now >= this.lastMarkersPush && now - this.lastMarkersPush < this.pushMs)) return null;
    this.lastMarkersPush = now;
    return this.markers.take(this.key, this.countedAt);
  }

  /** Every marker (a page's first picture), or null before the layer and while cases are still being counted. */
  currentMarkers(): IncidentMarkers | null {
    if (!this.ready || this.key === null) return null;
    return this.markers.all(this.key, this.countedAt);
  }

  /** Changes whenever a case that is or was notable (open, urgent or overdue) is counted, taken away or swept, and when the counts become ready: the notable list may have changed. */
  get version(): number {
    return this.ready ? this.changes : -1;
  }

  /** The first `limit` notable cases (open, overdue or urgent; shared/domain/notable.ts) as of the last sweep. Null while cases are still being counted. */
  notable(limit: number): NotableCandidate[] | null {
    if (!this.ready) return null;
    return this.notables.slice(0, limit);
  }

  /** A copy of the counts (the pages keep what they are sent), or null before the layer and while cases are still being counted. */
  current(): GridCounts | null {
    if (!this.ready || this.key === null) return null;
    return { layer: this.key, at: this.countedAt, open: this.open.slice(), overdue: this.overdue.slice() };
  }

  private add(incident: CountedCase, now: number): void {
    const open = isOpen(incident.status);
    const grid = gridOfCase(incident, this.gridIndex, this.open.length, this.locate);
    const overdue = open && deadlineState(incident, this.categories, now).overdue;
    const flags = open ? OPEN | (overdue ? OVERDUE : 0) : 0;
    let slot = -1;
    if (hasMarker(incident)) {
      const pulsing = isPulsing(incident, now);
      slot = this.markers.put(incident.id, incident.lon, incident.lat, markerKind(incident.priority, incident.status, overdue, pulsing), grid);
    }
    // Only what can move the notable list (an open case, urgent or overdue) counts as a change of it.
    let notable: NotableCandidate | null = null;
    if (isNotable(incident, overdue)) {
      notable = notableCandidate(incident, overdue);
      this.notables.insert(notable);
      this.changes++;
    }
    this.parts.set(incident.id, { incident, grid, flags, slot, notable });
    if (grid >= 0 && flags !== 0) {
      if (flags & OPEN) this.open[grid] = (this.open[grid] as number) + 1;
      if (flags & OVERDUE) this.overdue[grid] = (this.overdue[grid] as number) + 1;
      this.changed = true;
    }
    if (open) {
      // The next instant its overdue or its pulse can change, whichever comes first.
      const overdueAt = nextOverdueChange(incident, this.categories, now);
      const pulse = pulseEnds(incident);
      // A pulse ends at `pulse` (pulsing while now < pulse), and a sweep takes what is due before its now.
      const pulseAt = pulse !== null && pulse > now ? pulse - 1 : null;
      const at = overdueAt === null ? pulseAt : pulseAt === null ? overdueAt : Math.min(overdueAt, pulseAt);
      if (at !== null) this.push({ at, incident });
    }
  }

  private remove(id: string): void {
    const part = this.parts.get(id);
    if (!part) return;
    this.parts.delete(id);
    if (part.notable !== null) {
      // Not found only if the order were broken (an entry's key changed while held): built again from the parts rather than left wrong on the wall.
      if (!this.notables.remove(part.notable)) this.rebuildNotables();
      this.changes++;
    }
    if (part.slot >= 0) this.markers.free(part.slot);
    if (part.grid < 0 || part.flags === 0) return;
    if (part.flags & OPEN) this.open[part.grid] = (this.open[part.grid] as number) - 1;
    if (part.flags & OVERDUE) this.overdue[part.grid] = (this.overdue[part.grid] as number) - 1;
    this.changed = true;
  }

  private rebuildNotables(): void {
    const held: NotableCandidate[] = [];
    for (const part of this.parts.values()) if (part.notable !== null) held.push(part.notable);
    this.notables = SortedChunks.from(held.sort(notableOrder), notableOrder);
  }

  private push(entry: Due): void {
    // Entries of replaced records pile up between their deadlines: when they outnumber the cases, keep only the live ones.
    if (this.due.length > 2 * this.parts.size + 1024) this.compactHeap();
    const heap = this.due;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Due).at <= entry.at) break;
      heap[i] = heap[parent] as Due;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Due {
    const heap = this.due;
    const top = heap[0] as Due;
    const last = heap.pop() as Due;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && (heap[right] as Due).at < (heap[left] as Due).at ? right : left;
        if ((heap[child] as Due).at >= last.at) break;
        heap[i] = heap[child] as Due;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  private compactHeap(): void {
    const live = this.due.filter((entry) => this.parts.get(entry.incident.id)?.incident === entry.incident);
    live.sort((a, b) => a.at - b.at);
    this.due = live;
  }

  /** Entries waiting in the heap (tests: it stays bounded). */
  get waiting(): number {
    return this.due.length;
  }
}

/**
 * The markers' columns by slot, and which slots changed since the last push.
 * A freed slot is the next one taken, so a case that changes (taken away and
 * put back) keeps its slot and its push is one slot.
 */
class MarkerColumns {
  private ids: string[] = [];
  private position: Float64Array = new Float64Array(0);
  private kind: Uint32Array = new Uint32Array(0);
  private grid: Uint32Array = new Uint32Array(0);
  private size = 0;
  private readonly freeSlots: number[] = [];
  private readonly dirty = new Set<number>();
  /** Every slot is to be sent (a new layer, a reset). */
  private sendAll = true;

  get changed(): boolean {
    return this.sendAll || this.dirty.size > 0;
  }

  clear(): void {
    this.ids = [];
    this.size = 0;
    this.freeSlots.length = 0;
    this.kind.fill(MARKER_NONE);
    this.dirty.clear();
    this.sendAll = true;
  }

  put(id: string, lon: number, lat: number, kind: number, grid: number): number {
    const slot = this.freeSlots.pop() ?? this.size++;
    if (slot >= this.kind.length) this.grow(Math.max(1024, this.kind.length * 2));
    this.ids[slot] = id;
    this.position[slot * 2] = lon;
    this.position[slot * 2 + 1] = lat;
    this.kind[slot] = kind;
    this.grid[slot] = grid + 1;
    if (!this.sendAll) this.dirty.add(slot);
    return slot;
  }

  free(slot: number): void {
    this.ids[slot] = "";
    this.kind[slot] = MARKER_NONE;
    this.grid[slot] = 0;
    this.freeSlots.push(slot);
    if (!this.sendAll) this.dirty.add(slot);
  }

  /** The changed slots (all of them when every slot is to be sent), and nothing changed after. */
  take(layer: string, at: number): IncidentMarkers {
    if (this.sendAll) {
      this.sendAll = false;
      this.dirty.clear();
      return this.all(layer, at);
    }
    const slots = Uint32Array.from(this.dirty).sort();
    this.dirty.clear();
    const position = new Float64Array(slots.length * 2);
    const kind = new Uint32Array(slots.length);
    const grid = new Uint32Array(slots.length);
    const ids: string[] = [];
    slots.forEach((slot, i) => {
      ids.push(this.ids[slot] ?? "");
      position[i * 2] = this.position[slot * 2] as number;
      position[i * 2 + 1] = this.position[slot * 2 + 1] as number;
      kind[i] = this.kind[slot] as number;
      grid[i] = this.grid[slot] as number;
    });
    return { layer, at, all: false, slots, ids, position, kind, grid };
  }

  /** Every slot, as copies (the pages keep what they are sent). */
  all(layer: string, at: number): IncidentMarkers {
    const n = this.size;
    return { layer, at, all: true, slots: new Uint32Array(0), ids: this.ids.slice(0, n), position: this.position.slice(0, n * 2), kind: this.kind.slice(0, n), grid: this.grid.slice(0, n) };
  }

  private grow(capacity: number): void {
    ({ position: this.position, kind: this.kind, grid: this.grid } = copyColumns({ position: this.position, kind: this.kind, grid: this.grid }, capacity));
  }
}
