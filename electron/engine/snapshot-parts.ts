import type { Incident, Snapshot, Unit } from "../../shared/protocol/types.js";

/*
 * Collects snapshot parts until one snapshot is complete. Parts are kept per
 * (epoch, seq, parts), so a stray part of some other snapshot never evicts
 * the parts of the one being received.
 */

export type CompleteSnapshot = { epoch: string; seq: number; incidents: Incident[]; units: Unit[] };
type Pending = { epoch: string; seq: number; parts: Map<number, Snapshot> };

const MAX_COLLECTED = 4;

export class SnapshotParts {
  private pending = new Map<string, Pending>();

  get collecting(): boolean {
    return this.pending.size > 0;
  }

  /** How many parts each snapshot in progress has, for the log. */
  progress(): number[] {
    return [...this.pending.values()].map((p) => p.parts.size);
  }

  clear(): void {
    this.pending.clear();
  }

  /** Adds a part; returns the whole snapshot, parts in order, once every part is in. */
  add(part: Snapshot): CompleteSnapshot | null {
    const key = `${part.epoch}:${part.seq}:${part.parts}`;
    let pending = this.pending.get(key);
    if (!pending) {
      const oldest = this.pending.keys().next();
      if (this.pending.size >= MAX_COLLECTED && !oldest.done) this.pending.delete(oldest.value);
      pending = { epoch: part.epoch, seq: part.seq, parts: new Map() };
      this.pending.set(key, pending);
    }
    pending.parts.set(part.part, part);
    if (pending.parts.size < part.parts) return null;
    this.pending.delete(key);
    const incidents: Incident[] = [];
    const units: Unit[] = [];
    for (let index = 1; index <= part.parts; index++) {
      const piece = pending.parts.get(index);
      if (!piece) continue;
      for (const incident of piece.incidents) incidents.push(incident);
      for (const unit of piece.units) units.push(unit);
    }
    return { epoch: pending.epoch, seq: pending.seq, incidents, units };
  }
}
