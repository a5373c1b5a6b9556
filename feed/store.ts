import { randomBytes } from "node:crypto";
import { LIMITS } from "../shared/protocol/limits.js";
import type { Delta, FeedEvent, Incident, Snapshot, Unit } from "../shared/protocol/types.js";
import { toBeijingIso } from "../shared/domain/time.js";

/*
 * The server's truth: one epoch, a seq that grows by exactly one per delta,
 * the live incidents and units, and the recent deltas kept for resume.
 * Every change goes through `commit`, so state and the delta stream can never
 * disagree; chaos only distorts copies on their way out (see chaos.ts).
 */

export type DeltaListener = (delta: Delta) => void;
export type PartLimits = { incidents: number; units: number };

export const newEpochId = (): string => `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;

export class FeedStore {
  epoch: string;
  seq = 0;
  readonly incidents = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  /** Ids of cases dropped from live views, with their last version, newest last; bounded. */
  readonly archived = new Map<string, number>();
  private deltas: Delta[] = [];
  private readonly listeners = new Set<DeltaListener>();
  private readonly epochListeners = new Set<(epoch: string) => void>();

  constructor(
    private readonly now: () => number,
    private readonly options: { retainDeltas: number; partLimits: PartLimits; archiveLimit: number } = {
      retainDeltas: 20_000,
      partLimits: { incidents: LIMITS.incidentsPerPart, units: LIMITS.unitsPerPart },
      archiveLimit: 20_000,
    },
  ) {
    this.epoch = newEpochId();
  }

  onDelta(listener: DeltaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEpoch(listener: (epoch: string) => void): () => void {
    this.epochListeners.add(listener);
    return () => this.epochListeners.delete(listener);
  }

  /** Applies the events and publishes them as deltas of at most `eventsPerDelta` events each. */
  commit(events: readonly FeedEvent[]): Delta[] {
    const out: Delta[] = [];
    for (let start = 0; start < events.length; start += LIMITS.eventsPerDelta) {
      const chunk = events.slice(start, start + LIMITS.eventsPerDelta);
      for (const event of chunk) this.apply(event);
      this.seq += 1;
      const delta: Delta = { epoch: this.epoch, seq: this.seq, at: toBeijingIso(this.now()), events: chunk };
      this.deltas.push(delta);
      out.push(delta);
    }
    if (this.deltas.length > this.options.retainDeltas * 1.25) this.deltas = this.deltas.slice(-this.options.retainDeltas);
    for (const delta of out) for (const listener of this.listeners) listener(delta);
    return out;
  }

  private apply(event: FeedEvent): void {
    switch (event.type) {
      case "incident.upsert":
        this.incidents.set(event.incident.id, event.incident);
        this.archived.delete(event.incident.id);
        return;
      case "incident.archived":
        this.incidents.delete(event.id);
        this.archived.set(event.id, event.version);
        if (this.archived.size > this.options.archiveLimit) {
          const oldest = this.archived.keys().next().value;
          if (oldest !== undefined) this.archived.delete(oldest);
        }
        return;
      case "unit.upsert":
        this.units.set(event.unit.id, event.unit);
        return;
      case "alert":
        return;
    }
  }

  /** Position updates are not sequenced: they change the unit's last fix without a delta. */
  setLastFix(unitId: string, fix: NonNullable<Unit["lastFix"]>): void {
    const unit = this.units.get(unitId);
    // A fresh object, so a unit already inside a retained delta keeps what was sent.
    if (unit) this.units.set(unitId, { ...unit, lastFix: fix });
  }

  /** The deltas after `sinceSeq` if this epoch still holds all of them, else null (send a snapshot). */
  deltasSince(epoch: string | undefined, sinceSeq: number | undefined): Delta[] | null {
    if (epoch !== this.epoch || sinceSeq === undefined || sinceSeq > this.seq) return null;
    if (sinceSeq === this.seq) return [];
    const first = this.deltas[0];
    if (!first || first.seq > sinceSeq + 1) return null;
    return this.deltas.slice(sinceSeq + 1 - first.seq);
  }

  /** The whole state as of `seq`, in parts within the part limits. */
  snapshotParts(): Snapshot[] {
    const incidents = [...this.incidents.values()];
    const units = [...this.units.values()];
    const { incidents: perIncidents, units: perUnits } = this.options.partLimits;
    const parts = Math.max(1, Math.ceil(incidents.length / perIncidents), Math.ceil(units.length / perUnits));
    const out: Snapshot[] = [];
    for (let part = 1; part <= parts; part++) {
      out.push({
        epoch: this.epoch,
        seq: this.seq,
        part,
        parts,
        incidents: incidents.slice((part - 1) * perIncidents, part * perIncidents),
        units: units.slice((part - 1) * perUnits, part * perUnits),
      });
    }
    return out;
  }

  /** A new sequence space: every console's cached seq is void and it must take a snapshot. */
  changeEpoch(): void {
    this.epoch = newEpochId();
    this.seq = 0;
    this.deltas = [];
    for (const listener of this.epochListeners) listener(this.epoch);
  }

  retained(): Delta[] {
    return this.deltas.slice();
  }

  /** Restores a saved state (persist.ts); only before any console connects. */
  restore(saved: { epoch: string; seq: number; incidents: Incident[]; units: Unit[]; deltas: Delta[] }): void {
    this.epoch = saved.epoch;
    this.seq = saved.seq;
    this.incidents.clear();
    this.units.clear();
    for (const incident of saved.incidents) this.incidents.set(incident.id, incident);
    for (const unit of saved.units) this.units.set(unit.id, unit);
    this.deltas = saved.deltas.filter((d) => d.epoch === saved.epoch && d.seq <= saved.seq);
  }
}
