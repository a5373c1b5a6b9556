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

/** One member's fixes with from <= at < until, opening each shift as the last one runs out. */
export class MemberFixes {
  fix: Fix | null = null;
  private track: ShiftTrack | null = null;
  private shiftEnd: number;

  constructor(
    private readonly member: Plantable,
    readonly index: number,
    from: number,
    private readonly until: number,
    private readonly seed: number,
    after?: Position,
  ) {
    this.shiftEnd = from;
    this.open(from);
    this.advance();
    while (this.fix && (this.fix[3] < from || (after && !isAfter(this.fix, index, after)))) this.advance();
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
        return;
      }
      const fix = this.track.next();
      if (fix) {
        this.fix = fix[3] < this.until ? fix : null;
        if (!this.fix) this.track = null;
        return;
      }
      this.open(this.shiftEnd);
    }
  }
}

const before = (a: MemberFixes, b: MemberFixes): boolean => a.fix![3] < b.fix![3] || (a.fix![3] === b.fix![3] && a.index < b.index);

/** A k-way merge of members' fixes by (at, index), a binary heap of one stream per member. */
export class MergedFixes {
  private readonly heap: MemberFixes[] = [];

  constructor(streams: Iterable<MemberFixes>) {
    for (const stream of streams) if (stream.fix) this.push(stream);
  }

  get done(): boolean {
    return this.heap.length === 0;
  }

  /** Up to `limit` fixes in order, and where they ended. */
  take(limit: number): { fixes: Fix[]; last: Position | null } {
    const fixes: Fix[] = [];
    let last: Position | null = null;
    while (fixes.length < limit && this.heap.length > 0) {
      const top = this.heap[0]!;
      fixes.push(top.fix!);
      last = { at: top.fix![3], index: top.index };
      top.advance();
      if (top.fix) this.siftDown(0);
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
