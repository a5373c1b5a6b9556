import type { Command, CommandResult, Incident } from "../../shared/protocol/types.js";
import type { CacheOp, StoredCommand } from "./model.js";

/*
 * Operator commands on their way to the platform. A command is journaled
 * (fsynced) before it is first sent, sent strictly in order, one at a time,
 * with an ack timeout, and re-sent with the same commandId until the platform
 * answers: the platform applies a commandId at most once, so "unknown" is
 * always safe to retry. Only an answer removes an entry; a refusal stays
 * visible until the operator redoes or dismisses it.
 */

export type OutboxPort = {
  /** Durable before it returns. */
  write(ops: CacheOp[]): void;
  send(command: Command, timeoutMs: number): Promise<CommandResult | "unknown">;
  canSend(): boolean;
  /** The platform's current version of a case, from an answer. */
  incident(incident: Incident): void;
  changed(incidentIds: readonly string[]): void;
  failed(error: unknown): void;
};

export type OutboxTiming = { ackTimeoutMs: number; retryBaseMs: number; retryMaxMs: number };
export const DEFAULT_OUTBOX_TIMING: OutboxTiming = { ackTimeoutMs: 10_000, retryBaseMs: 1_000, retryMaxMs: 30_000 };

const incidentOf = (command: Command): string | undefined => (command.type === "report" ? undefined : command.incidentId);

export class Outbox {
  private entries: StoredCommand[] = [];
  private nextPosition = 1;
  private pumping = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly port: OutboxPort,
    private readonly timing: OutboxTiming = DEFAULT_OUTBOX_TIMING,
  ) {}

  load(entries: readonly StoredCommand[]): void {
    // A command that was in flight at a crash may or may not have arrived: send it again.
    this.entries = entries.map((entry) => (entry.state === "sending" ? { ...entry, state: "queued" as const } : entry)).sort((a, b) => a.position - b.position);
    this.nextPosition = Math.max(0, ...this.entries.map((e) => e.position)) + 1;
  }

  list(): readonly StoredCommand[] {
    return this.entries;
  }

  pendingFor(incidentId: string): StoredCommand[] {
    return this.entries.filter((entry) => incidentOf(entry.command) === incidentId);
  }

  add(command: Command, replacing?: string): StoredCommand {
    const entry: StoredCommand = { command, position: this.nextPosition++, state: "queued", attempts: 0 };
    const ops: CacheOp[] = replacing ? [{ op: "outboxDel", commandId: replacing }] : [];
    ops.push({ op: "outboxPut", entry });
    this.port.write(ops);
    if (replacing) this.entries = this.entries.filter((e) => e.command.commandId !== replacing);
    this.entries.push(entry);
    this.notify(command);
    this.kick();
    return entry;
  }

  find(commandId: string): StoredCommand | undefined {
    return this.entries.find((e) => e.command.commandId === commandId);
  }

  /** Only a refused command, or one never sent, can be dismissed: one that may have arrived must get its answer. */
  dismiss(commandId: string): boolean {
    const entry = this.find(commandId);
    if (!entry) return false;
    const refused = entry.state === "conflict" || entry.state === "rejected";
    if (!refused && !(entry.state === "queued" && entry.attempts === 0)) return false;
    this.port.write([{ op: "outboxDel", commandId }]);
    this.entries = this.entries.filter((e) => e !== entry);
    this.notify(entry.command);
    return true;
  }

  /** Starts sending if there is something to send and nothing in flight. */
  kick(): void {
    if (this.pumping || this.stopped) return;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.pump().catch((error: unknown) => {
      // The journal refused a state change: try again later rather than send what is not on disk.
      this.port.failed(error);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, this.timing.retryMaxMs);
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const entry = this.entries.find((e) => e.state === "queued" || e.state === "sending");
        if (!entry || this.stopped || !this.port.canSend()) return;
        this.update(entry, { state: "sending", attempts: entry.attempts + 1 });
        const result = await this.port.send(entry.command, this.timing.ackTimeoutMs);
        if (this.stopped) return;
        if (result === "unknown") {
          this.failures++;
          const delay = Math.min(this.timing.retryMaxMs, this.timing.retryBaseMs * 2 ** Math.min(this.failures - 1, 10));
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, delay);
          return;
        }
        this.failures = 0;
        this.answered(entry, result);
      }
    } finally {
      this.pumping = false;
    }
  }

  private answered(entry: StoredCommand, result: CommandResult): void {
    if (result.incident) this.port.incident(result.incident);
    if (result.ok) {
      this.port.write([{ op: "outboxDel", commandId: entry.command.commandId }]);
      this.entries = this.entries.filter((e) => e !== entry);
      this.notify(entry.command);
      return;
    }
    const failure: NonNullable<StoredCommand["failure"]> = { code: result.code, message: result.message };
    if (result.incident) failure.incident = result.incident;
    this.update(entry, { state: result.code === "conflict" ? "conflict" : "rejected", failure });
  }

  /** On disk first: if the journal refuses (a full disk), the entry stays as it was, in memory as on disk. */
  private update(entry: StoredCommand, change: Partial<StoredCommand>): void {
    this.port.write([{ op: "outboxPut", entry: { ...entry, ...change } }]);
    Object.assign(entry, change);
    this.notify(entry.command);
  }

  private notify(command: Command): void {
    const incidentId = incidentOf(command);
    this.port.changed(incidentId ? [incidentId] : []);
  }
}
