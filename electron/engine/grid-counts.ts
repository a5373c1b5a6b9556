import type { GridCounts } from "../../shared/bridge/contract.js";
import { deadlineState, nextOverdueChange, type CategoryIndex } from "../../shared/domain/deadlines.js";
import { gridLayerKey, gridOfCase, type GridCountCase } from "../../shared/domain/grid-counts.js";
import { isOpen } from "../../shared/domain/lifecycle.js";
import { createGridIndex } from "../../shared/geo/grid-index.js";
import type { RegionArea } from "../../shared/geo/region.js";

/*
 * The map's case counts per grid (open, overdue), kept as cases change rather
 * than counted again over every case: each case's part (its grid, whether it
 * is open, whether overdue) is remembered, so a new version of a case takes
 * the old part away and adds its own. Cases turn overdue with no change to
 * them: each open case waits in a heap by the next instant its overdue can
 * change (`nextOverdueChange`), and a sweep takes out only those whose time
 * has passed. The reference is shared/domain/grid-counts.ts `caseGridCounts`
 * (grid-counts.test.ts holds the two equal after random sequences).
 */

/** Counts go to the pages at most this often. */
export const GRID_COUNTS_PUSH_MS = 250;

const OPEN = 1;
const OVERDUE = 2;

type Part = { incident: GridCountCase; grid: number; flags: number };
type Due = { at: number; incident: GridCountCase };

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
  private pending: Iterator<GridCountCase> | null = null;
  private lastPush = -Infinity;
  private countedAt = 0;

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
  setLayer(grids: readonly RegionArea[], cases: Iterable<GridCountCase>, now: number): void {
    this.startLayer(grids, cases, now);
    this.loadStep(Infinity, now);
  }

  /**
   * As `setLayer`, but the cases are counted by `loadStep` a slice at a time (100,000 cases at city scale take
   * seconds, which the engine's thread must not spend in one piece while pages wait for their first answers).
   * `cases` is read lazily: give the latest record of each case as it is reached. Until every case is counted
   * there are no counts to show (`current` is null), and `apply` counts the cases that change meanwhile.
   */
  startLayer(grids: readonly RegionArea[], cases: Iterable<GridCountCase>, now: number): void {
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
  apply(upserts: readonly GridCountCase[], removed: readonly string[], reset: boolean, now: number): void {
    if (this.key === null) return;
    if (reset) {
      // Every case comes in `upserts`: none is left to count.
      this.pending = null;
      this.parts.clear();
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

  /** A copy of the counts (the pages keep what they are sent), or null before the layer and while cases are still being counted. */
  current(): GridCounts | null {
    if (!this.ready || this.key === null) return null;
    return { layer: this.key, at: this.countedAt, open: this.open.slice(), overdue: this.overdue.slice() };
  }

  private add(incident: GridCountCase, now: number): void {
    const open = isOpen(incident.status);
    const grid = gridOfCase(incident, this.gridIndex, this.open.length, this.locate);
    const flags = open ? OPEN | (deadlineState(incident, this.categories, now).overdue ? OVERDUE : 0) : 0;
    this.parts.set(incident.id, { incident, grid, flags });
    if (grid >= 0 && flags !== 0) {
      if (flags & OPEN) this.open[grid] = (this.open[grid] as number) + 1;
      if (flags & OVERDUE) this.overdue[grid] = (this.overdue[grid] as number) + 1;
      this.changed = true;
    }
    if (open) {
      const at = nextOverdueChange(incident, this.categories, now);
      if (at !== null) this.push({ at, incident });
    }
  }

  private remove(id: string): void {
    const part = this.parts.get(id);
    if (!part) return;
    this.parts.delete(id);
    if (part.grid < 0 || part.flags === 0) return;
    if (part.flags & OPEN) this.open[part.grid] = (this.open[part.grid] as number) - 1;
    if (part.flags & OVERDUE) this.overdue[part.grid] = (this.overdue[part.grid] as number) - 1;
    this.changed = true;
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
