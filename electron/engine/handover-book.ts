import { randomUUID } from "node:crypto";
import type { AttentionItem } from "../../shared/bridge/attention.js";
import type { ConnectionState, HandoverRecord, OutboxEntry } from "../../shared/bridge/contract.js";
import type { CategoryIndex } from "../../shared/domain/deadlines.js";
import { toBeijingIso, toEpochMs } from "../../shared/domain/time.js";
import type { Incident, Operator } from "../../shared/protocol/types.js";
import { assembleHandover, type ShiftAcknowledgement, type StateChange } from "./handover.js";
import type { CacheOp } from "./model.js";

/*
 * 交接班 in the engine: when the shift began (the previous handover, else the
 * console's start), the connection's states since, and the record waiting for
 * the next operator. Nothing here writes: each change comes back as a cache
 * op, which the engine keeps on disk before it answers.
 */

/** What the record is made of, read from the engine when the note is written. */
export type ShiftSource = {
  incidents(sinceMs: number): Iterable<Incident>;
  outbox(): OutboxEntry[];
  attention(): AttentionItem[];
  acknowledgements(sinceIso: string): ShiftAcknowledgement[];
};

/** States older than the shift are dropped past this many (a flapping link over a long shift). */
const MAX_STATES = 2_000;

export class HandoverBook {
  private shiftFrom: number;
  private latest: HandoverRecord | null = null;
  private states: StateChange[] = [];

  constructor(
    startedAt: number,
    private readonly categories: CategoryIndex,
  ) {
    this.shiftFrom = startedAt;
  }

  /** The latest record kept in the cache: the shift began when it was written, restarts of the console since included. */
  load(latest: HandoverRecord | null): void {
    this.latest = latest;
    if (latest) this.shiftFrom = toEpochMs(latest.to);
  }

  recordState(state: ConnectionState, at: number): void {
    if (this.states.at(-1)?.state === state) return;
    this.states.push({ state, at });
    if (this.states.length > MAX_STATES) this.states.splice(0, this.states.length - MAX_STATES);
  }

  get shiftStartedAt(): string {
    return toBeijingIso(this.shiftFrom);
  }

  /** The latest record while nobody has taken it over. */
  pending(): HandoverRecord | null {
    return this.latest && !this.latest.acknowledged ? this.latest : null;
  }

  /** The shift's record with the note; the engine keeps `op` on disk, then calls `written`. */
  write(note: string, by: Operator, now: number, source: ShiftSource): { record: HandoverRecord; op: CacheOp } {
    const from = Math.min(this.shiftFrom, now);
    const record = assembleHandover({
      id: randomUUID(),
      from,
      to: now,
      by,
      note: note.trim(),
      incidents: source.incidents(from),
      categories: this.categories,
      outbox: source.outbox(),
      attention: source.attention(),
      acknowledgements: source.acknowledgements(toBeijingIso(from)),
      states: this.states,
    });
    return { record, op: { op: "handover", record } };
  }

  written(record: HandoverRecord): void {
    this.latest = record;
    this.shiftFrom = toEpochMs(record.to);
    // The state the new shift begins in stays: an outage that spans the handover belongs to both shifts.
    const before = this.states.filter((s) => s.at <= this.shiftFrom);
    this.states = [...before.slice(-1), ...this.states.filter((s) => s.at > this.shiftFrom)];
  }

  /** The op that takes record `id` over, or null when it is not the one waiting. */
  acknowledge(id: string, by: Operator, now: number): Extract<CacheOp, { op: "handoverAck" }> | null {
    const waiting = this.pending();
    if (!waiting || waiting.id !== id) return null;
    return { op: "handoverAck", id, by, at: toBeijingIso(now) };
  }

  acknowledged(id: string, by: Operator, at: string): void {
    if (this.latest?.id === id) this.latest = { ...this.latest, acknowledged: { by, at } };
  }
}
