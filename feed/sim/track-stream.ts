import type { Fix } from "../../shared/protocol/types.js";
import { shiftFrom } from "./duty.js";
import { type Plantable, shiftTrack } from "./fraud.js";
import type { ShiftTrack } from "./walk.js";

/*
 * The recorded fixes of many members over a window, in time order, computed
 * shift by shift as they are read: a week of a district is millions of fixes,
 * and only one page of them exists at a time. Ties in time go by member
 * index, so (at, index) orders every fix and says where a page ended.
 */

export type Position = { at: number; index: number };

/** After `position` in the (at, index) order. */
const isAfter = (fix: Fix, index: number, position: Position): boolean => fix[3] > position.at || (fix[3] === position.at && index > position.index);

/**
 * One member's fixes with from <= at < until, opening each shift as the last
 * one runs out. Until `materialize` it only knows a lower bound of its first
 * fix's time (`key`): catching a shift up to `from` means walking it from its
 * start, which a merge does only when the member's turn comes.
 */
export class MemberFixes {
  fix: Fix | null = null;
  /** The first fix's time once ready; a lower bound before. */
  key: number;
  ready = false;
  /** Fixes computed so far, shown or skipped: the work this stream has cost. */
  work = 0;
  private track: ShiftTrack | null = null;
  private shiftEnd: number;

  constructor(
    private readonly member: Plantable,
    readonly index: number,
    private readonly from: number,
    private readonly until: number,
    private readonly seed: number,
    private readonly after?: Position,
  ) {
    const window = shiftFrom(member.plan, from);
    this.shiftEnd = from;
    this.key = window && window.start < until ? Math.max(from, window.start) : Infinity;
  }

  get exhausted(): boolean {
    return this.key === Infinity || (this.ready && this.fix === null);
  }

  materialize(): void {
    this.ready = true;
    this.open(this.from);
    this.advance();
    while (this.fix && (this.fix[3] < this.from || (this.after && !isAfter(this.fix, this.index, this.after)))) this.advance();
  }

  private open(from: number): void {
    const window = shiftFrom(this.member.plan, from);
    this.track = window && window.start < this.until ? shiftTrack(this.member, window, this.seed) : null;
    this.shiftEnd = window?.end ?? this.until;
    this.fix = null;
  }

  advance(): void {
    for (;;) {
      if (!this.track) {
        this.fix = null;
        this.key = Infinity;
        return;
      }
      const fix = this.track.next();
      this.work++;
      if (fix) {
        this.fix = fix[3] < this.until ? fix : null;
        if (!this.fix) this.track = null;
        this.key = this.fix ? this.fix[3] : Infinity;
        return;
      }
      this.open(this.shiftEnd);
    }
  }
}

/** (key, index) order. A stream not yet ready sorts by its lower bound, which is safe: its true place can only be later. */
const before = (a: MemberFixes, b: MemberFixes): boolean => a.key < b.key || (a.key === b.key && a.index < b.index);

/** A k-way merge of members' fixes by (at, index), a binary heap of one stream per member. */
export class MergedFixes {
  private readonly heap: MemberFixes[] = [];

  constructor(streams: Iterable<MemberFixes>) {
    for (const stream of streams) if (!stream.exhausted) this.push(stream);
  }

  get done(): boolean {
    return this.heap.length === 0;
  }

  /**
   * Up to `limit` fixes in order, and where they ended. `budget` bounds the
   * fixes computed (shown or skipped) so that one page never holds the event
   * loop for long. `atLeastOne`: go on past the budget to the first fix, so
   * that paging makes progress even when nothing is kept between pages.
   */
  take(limit: number, budget = Infinity, atLeastOne = false): { fixes: Fix[]; last: Position | null } {
    const fixes: Fix[] = [];
    let last: Position | null = null;
    let work = 0;
    while (fixes.length < limit && this.heap.length > 0 && (work < budget || (atLeastOne && fixes.length === 0))) {
      const top = this.heap[0]!;
      const workBefore = top.work;
      if (top.ready) {
        fixes.push(top.fix!);
        last = { at: top.fix![3], index: top.index };
        top.advance();
      } else top.materialize();
      work += top.work - workBefore;
      if (!top.exhausted) this.siftDown(0);
      else {
        const tail = this.heap.pop()!;
        if (this.heap.length > 0) {
          this.heap[0] = tail;
          this.siftDown(0);
        }
      }
    }
    return { fixes, last };
  }

  private push(stream: MemberFixes): void {
    const heap = this.heap;
    heap.push(stream);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
