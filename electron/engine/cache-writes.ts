import type { StorageProblem } from "../../shared/bridge/contract.js";
import { lastMetaIndex, type CacheDatabase } from "./cache-sql.js";
import { disk, isDiskFull } from "./disk.js";
import type { Journal } from "./journal.js";
import type { CacheOp } from "./model.js";

/*
 * The cache's way in: ops journaled first (queued for the end of the tick, or at once), then on to the
 * database, coalesced (the latest upsert per case and staff member) and written in slices, so a
 * district snapshot never blocks the event loop for long. Also the journal's replay at open, and
 * why the journal last refused a write.
 */

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

const BACKLOG_SLICE = 2000;
/** Past this many cases and staff waiting to be written (a snapshot), they go to the backlog, written in slices. */
const COALESCE_LIMIT = 10_000;
/** Left free for the journal when cache.sqlite is written: a compaction never takes the last of the disk. */
export const JOURNAL_HEADROOM_BYTES = 1024 * 1024;

export class CacheWriter {
  private pending: CacheOp[] = [];
  private flushScheduled = false;
  /** Journaled ops not yet in the database: written in slices so a district snapshot never blocks the event loop for long. */
  private backlog: CacheOp[] = [];
  private backlogScheduled = false;
  /**
   * Journaled case and staff upserts not yet in the database, the latest per id. They are written
   * when the database is read or exported (each compaction, every 10 s with a live feed), so a case
   * that changes every few seconds is written once there, not each time; the journal holds every one.
   */
  private latestIncident = new Map<string, Extract<CacheOp, { op: "incident" }>>();
  private latestUnit = new Map<string, Extract<CacheOp, { op: "unit" }>>();
  /** Likewise the feed position (epoch, last seq): every delta moves it, only the last one counts. */
  private latestMeta: Extract<CacheOp, { op: "meta" }> | null = null;
  /** The compaction generation journal records are tagged with: cache-compact.ts moves it on. */
  generation: number;
  private ended = false;
  /** Why the journal refused the last append, until one succeeds. */
  private problem: StorageProblem | null = null;

  constructor(
    private readonly database: CacheDatabase,
    private readonly journal: Journal<CacheOp>,
    private readonly dataDir: string,
    private readonly log: Log,
  ) {
    this.generation = Number(database.metaValue("journal_generation") ?? "0");
  }

  /** Set by the cache's close: nothing more is journaled or written to the database. */
  get closed(): boolean {
    return this.ended;
  }

  close(): void {
    this.ended = true;
  }

  get journalProblem(): StorageProblem | null {
    return this.problem;
  }

  replay(records: { generation: number; ops: CacheOp[] }[]): void {
    // One transaction for the whole replay: a record that fails to apply fails the open (and the cache is
    // moved aside) either way, and a commit per record made replay cost a transaction per journaled tick.
    const ops: CacheOp[] = [];
    let replayed = 0;
    for (const record of records) {
      if (record.generation < this.generation) continue;
      for (const op of record.ops) ops.push(op);
      replayed++;
    }
    if (replayed === 0) return;
    this.database.apply(ops);
    this.log("info", "replayed cache journal", { records: replayed });
  }

  /** Queues ops to be journaled and written together at the end of this tick. */
  queue(ops: CacheOp[]): void {
    if (this.closed || ops.length === 0) return;
    for (const op of ops) this.pending.push(op);
    // While the journal refuses (a full disk) the engine's push tick retries it, once a second, not every queue.
    if (this.flushScheduled || this.problem) return;
    this.flushScheduled = true;
    setImmediate(() => this.guarded("flush", () => this.flush()));
  }

  /**
   * Journals ops (fsynced) after anything queued, before returning: for what
   * must be durable before we act on it. If the disk refuses, it throws and
   * leaves nothing of `ops` behind to surface later.
   */
  write(ops: CacheOp[]): void {
    this.flush();
    if (this.closed || ops.length === 0) return;
    this.appendToJournal(ops);
    this.toDatabaseLater(ops);
  }

  /** Journals what is queued. If the disk refuses, the ops stay queued for the next try and it throws. */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    if (this.pending.length === 0) {
      // Nothing to write that would show a full disk takes writes again: ask it how much is free. (Other
      // failures, an I/O error, are only known to be over when a write succeeds.)
      if (this.problem?.problem === "disk_full" && disk().freeBytes(this.dataDir) >= JOURNAL_HEADROOM_BYTES) this.journalWritesAgain();
      return;
    }
    // One record is replayed in one transaction: of its meta ops only the last counts.
    const ops = withLastMetaOnly(this.pending);
    this.appendToJournal(ops);
    this.pending = [];
    this.toDatabaseLater(ops);
  }

  /** Every journal append: remembers why the disk refused, and forgets it once the disk takes writes again. */
  private appendToJournal(ops: CacheOp[]): void {
    try {
      this.journal.append(this.generation, ops);
    } catch (error) {
      this.problem = storageProblem(error, this.dataDir, this.problem);
      throw error;
    }
    if (this.problem) this.journalWritesAgain();
  }

  private journalWritesAgain(): void {
    this.log("info", "the cache journal takes writes again", { dataDir: this.dataDir });
    this.problem = null;
  }

  /** Work on timers must not throw out of the event loop: a failure is logged and retried by the next caller. */
  private guarded(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.log("error", `cache ${what} failed`, { error: String(error) });
    }
  }

  private scheduleBacklog(): void {
    if (this.backlogScheduled || this.backlog.length === 0) return;
    this.backlogScheduled = true;
    setImmediate(() => {
      this.backlogScheduled = false;
      if (this.closed) return;
      // The journal already holds these: a failed slice is replayed into a fresh database at the next start.
      this.guarded("database write", () => this.database.apply(this.backlog.splice(0, BACKLOG_SLICE)));
      this.scheduleBacklog();
    });
  }

  /**
   * Journaled ops on their way to the database. Upserts of a case or staff member wait in the
   * latest-per-id maps; whatever must keep its order with them (archiving that case, a snapshot's
   * reset) takes them along into the backlog first.
   */
  private toDatabaseLater(ops: readonly CacheOp[]): void {
    for (const op of ops) {
      switch (op.op) {
        case "incident":
          this.latestIncident.set(op.incident.id, op);
          break;
        case "unit":
          this.latestUnit.set(op.unit.id, op);
          break;
        case "meta":
          this.latestMeta = op;
          break;
        case "archive": {
          const upsert = this.latestIncident.get(op.id);
          if (upsert) {
            this.latestIncident.delete(op.id);
            this.backlog.push(upsert);
          }
          this.backlog.push(op);
          break;
        }
        case "reset":
          this.releaseLatest();
          this.backlog.push(op);
          break;
        default:
          this.backlog.push(op);
      }
    }
    if (this.latestIncident.size + this.latestUnit.size > COALESCE_LIMIT) this.releaseLatest();
    this.scheduleBacklog();
  }

  /** The waiting upserts into the backlog (their order among themselves does not matter: one row each, and meta rows of their own). */
  private releaseLatest(): void {
    for (const op of this.latestIncident.values()) this.backlog.push(op);
    for (const op of this.latestUnit.values()) this.backlog.push(op);
    if (this.latestMeta) this.backlog.push(this.latestMeta);
    this.latestIncident.clear();
    this.latestUnit.clear();
    this.latestMeta = null;
  }

  /** Everything journaled is in the database too: before reading it or exporting it. */
  settle(): void {
    this.flush();
    this.releaseLatest();
    if (this.backlog.length === 0) return;
    const ops = this.backlog;
    this.backlog = [];
    this.database.apply(ops);
  }
}

/** The ops with every meta op but the last left out: what applying them in one transaction leaves is the same. */
function withLastMetaOnly(ops: CacheOp[]): CacheOp[] {
  const last = lastMetaIndex(ops);
  let metas = 0;
  for (const op of ops) if (op.op === "meta") metas++;
  return metas <= 1 ? ops : ops.filter((op, i) => op.op !== "meta" || i === last);
}

export function storageProblem(error: unknown, dataDir: string, previous: StorageProblem | null): StorageProblem {
  const problem = isDiskFull(error) ? "disk_full" : "write_failed";
  const since = previous?.problem === problem ? previous.since : new Date().toISOString();
  return { problem, dataDir, since, message: error instanceof Error ? error.message : String(error) };
}
