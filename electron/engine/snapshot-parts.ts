import type { Incident, Snapshot, Unit } from "../../shared/protocol/types.js";
import { estimateBytes } from "./feed-budget.js";

/*
 * Collects snapshot parts until one snapshot is complete. Parts are kept per
 * (epoch, seq, parts), so a stray part of some other snapshot never evicts
 * the parts of the one being received, and all of them together are capped
 * by estimated bytes, whatever `parts` a message claims.
 */

export type CompleteSnapshot = { epoch: string; seq: number; incidents: Incident[]; units: Unit[] };
type Pending = { epoch: string; seq: number; parts: Map<number, { part: Snapshot; bytes: number }>; bytes: number };

const MAX_COLLECTED = 4;

export class SnapshotParts {
  private pending = new Map<string, Pending>();
  private total = 0;

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  get collecting(): boolean {
    return this.pending.size > 0;
  }

  /** Estimated bytes held, all snapshots together. */
  get bytes(): number {
    return this.total;
  }

  /** How many parts each snapshot in progress has, for the log. */
  progress(): number[] {
    return [...this.pending.values()].map((p) => p.parts.size);
  }

  clear(): void {
    this.pending.clear();
    this.total = 0;
  }

  /**
   * Adds a part; returns the whole snapshot, parts in order, once every part
   * is in; "too_large" (and nothing kept) when the snapshot it belongs to
   * would pass the byte cap even alone.
   */
  add(part: Snapshot): CompleteSnapshot | null | "too_large" {
    const key = `${part.epoch}:${part.seq}:${part.parts}`;
    let pending = this.pending.get(key);
    if (!pending) {
      const oldest = this.pending.keys().next();
      if (this.pending.size >= MAX_COLLECTED && !oldest.done) this.forget(oldest.value);
      pending = { epoch: part.epoch, seq: part.seq, parts: new Map(), bytes: 0 };
      this.pending.set(key, pending);
    }
    const previous = pending.parts.get(part.part);
    const bytes = estimateBytes(part, this.maxBytes);
    const growth = bytes - (previous?.bytes ?? 0);
    // Other snapshots in progress make room first, oldest first.
    for (const other of [...this.pending.keys()]) {
      if (this.total + growth <= this.maxBytes) break;
      if (other !== key) this.forget(other);
    }
    if (this.total + growth > this.maxBytes) {
      this.clear();
      return "too_large";
    }
    pending.parts.set(part.part, { part, bytes });
    pending.bytes += growth;
    this.total += growth;
    if (pending.parts.size < part.parts) return null;
    this.forget(key);
    const incidents: Incident[] = [];
    const units: Unit[] = [];
    for (let index = 1; index <= part.parts; index++) {
      const piece = pending.parts.get(index)?.part;
      if (!piece) continue;
      for (const incident of piece.incidents) incidents.push(incident);
      for (const unit of piece.units) units.push(unit);
    }
    return { epoch: pending.epoch, seq: pending.seq, incidents, units };
  }

  private forget(key: string): void {
    const pending = this.pending.get(key);
    if (!pending) return;
    this.pending.delete(key);
    this.total -= pending.bytes;
  }
}
