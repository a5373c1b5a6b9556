import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import initSqlJs from "sql.js";
import type { Database, SqlJsStatic } from "sql.js";
import type { Incident } from "../../shared/protocol/types.js";
import type { HandoverRecord, StorageProblem } from "../../shared/bridge/contract.js";
import type { KpiDay } from "../../shared/domain/kpi-days.js";
import { encodeOp } from "./cache-codec.js";
import { Compactor } from "./cache-compact.js";
import { pruneCases, pruneKpiDays, pruneVisits } from "./cache-prune.js";
import * as stored from "./cache-read.js";
import { CACHE_FILE, JOURNAL_FILE, keepDamagedJournal, moveAside, openChecked } from "./cache-recovery.js";
import { sealStoredReporters, sealStoredStaffPhones } from "./cache-seal-rows.js";
import { CacheDatabase } from "./cache-sql.js";
import { CacheWriter } from "./cache-writes.js";
import { DataDirError, ensurePrivateDirectory, isAccessDenied } from "./disk.js";
import { Journal } from "./journal.js";
import { ReporterSeal, fileKeySource, type KeySource } from "./reporter-seal.js";
import type { CacheOp, LoadedCache, StoredAcknowledgement, StoredFix, Visit } from "./model.js";
import { REPORTERS_SEALED_VERSION, STAFF_PHONES_SEALED_VERSION, SchemaTooNewError, migrate, userVersion } from "./schema.js";

/*
 * The cache: sql.js (SQLite in memory) mirrored to <dataDir>/cache.sqlite by
 * compaction (export → atomic rename), with every change first appended to
 * <dataDir>/cache.journal. Between compactions the journal is the durable
 * record; on start the file is loaded and the journal replayed over it.
 * Reporters and staff phones are sealed on their way to either file (reporter-seal.ts).
 *
 * This class opens it and holds its parts together, one file per role:
 * cache-writes.ts (journal, then coalesced writes), cache-sql.ts (statements,
 * ops applied), cache-read.ts (rows back into the model), cache-prune.ts
 * (retention), cache-compact.ts (cache.sqlite), cache-codec.ts and
 * cache-seal-rows.ts (sealing on the way to either file), cache-recovery.ts
 * (a damaged file moved aside).
 */

export { CACHE_FILE, JOURNAL_FILE, RECOVERED_DIR } from "./cache-recovery.js";
export { REVEAL_AUDIT_DAYS } from "./cache-prune.js";

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

let sqlJs: Promise<SqlJsStatic> | null = null;
const loadSqlJs = (): Promise<SqlJsStatic> => (sqlJs ??= initSqlJs());

export type OpenedCache = { cache: Cache; loaded: LoadedCache; recovered?: { movedTo: string; reason: string } };

export class Cache {
  private readonly database: CacheDatabase;
  private readonly writer: CacheWriter;
  private readonly compactor: Compactor;

  private constructor(
    private readonly db: Database,
    private readonly journal: Journal<CacheOp>,
    readonly dataDir: string,
    private readonly log: Log,
    private readonly seal: ReporterSeal,
  ) {
    this.database = new CacheDatabase(db, seal);
    this.writer = new CacheWriter(this.database, journal, dataDir, log);
    this.compactor = new Compactor(this.database, journal, this.writer, dataDir);
  }

  /**
   * Opens the cache and loads it. Anything unreadable on the way (a garbled
   * file, pages that fail to read, a journal that does not replay) moves the
   * files aside and starts empty: the platform sends everything again.
   */
  static async open(dataDir: string, log: Log, keys: KeySource = fileKeySource(dataDir, log)): Promise<OpenedCache> {
    ensurePrivateDirectory(dataDir, log);
    const SQL = await loadSqlJs();
    const path = join(dataDir, CACHE_FILE);
    const seal = new ReporterSeal(keys.load());
    try {
      return Cache.build(SQL, existsSync(path) ? readFileSync(path) : null, dataDir, log, seal);
    } catch (error) {
      if (error instanceof SchemaTooNewError) throw error;
      // A permission refused is not damage: moving the cache aside would hide the cause and take the queued commands with it.
      if (isAccessDenied(error)) throw new DataDirError(String((error as NodeJS.ErrnoException).path ?? dataDir), (error as NodeJS.ErrnoException).code ?? "EACCES");
      const reason = (error as Error).message;
      const movedTo = moveAside(dataDir, reason, log);
      return { ...Cache.build(SQL, null, dataDir, log, seal), recovered: { movedTo, reason } };
    }
  }

  private static build(SQL: SqlJsStatic, bytes: Uint8Array | null, dataDir: string, log: Log, seal: ReporterSeal): OpenedCache {
    const db = bytes ? openChecked(SQL, bytes) : new SQL.Database();
    let journal: Journal<CacheOp> | null = null;
    try {
      const before = userVersion(db);
      migrate(db);
      let damaged: OpenedCache["recovered"];
      const opened = Journal.open<CacheOp>(
        join(dataDir, JOURNAL_FILE),
        (op) => encodeOp(op, seal),
        (whole, read) => {
          if (read.laterRecordAt === null) return;
          const reason = `cache.journal damaged at byte ${read.validBytes} of ${whole.length}: ${read.records.length} records before it replayed, the whole records after it (from byte ${read.laterRecordAt}) not`;
          damaged = { movedTo: keepDamagedJournal(dataDir, whole, reason, log), reason };
        },
      );
      journal = opened.journal;
      if (opened.read.tornBytes > 0 && !damaged) log("warn", "cache journal had a torn tail; ignored it", { bytes: opened.read.tornBytes });
      const cache = new Cache(db, journal, dataDir, log, seal);
      if (before > 0 && before < REPORTERS_SEALED_VERSION) sealStoredReporters(cache.database, seal);
      if (before > 0 && before < STAFF_PHONES_SEALED_VERSION) sealStoredStaffPhones(cache.database, seal);
      cache.writer.replay(opened.read.records);
      const loaded = cache.load();
      const unavailable = seal.takeFailures();
      if (unavailable > 0) log("error", "reporters of some cached cases cannot be opened with the reporter key (lost or replaced): shown as unavailable", { cases: unavailable });
      const phones = seal.takeUnitFailures();
      if (phones > 0) log("error", "phones of some cached staff cannot be opened with the reporter key (lost or replaced): left out until the platform sends them again", { staff: phones });
      return damaged ? { cache, loaded, recovered: damaged } : { cache, loaded };
    } catch (error) {
      journal?.close();
      db.close();
      throw error;
    }
  }

  /** Queues ops to be journaled and written together at the end of this tick. */
  queue(ops: CacheOp[]): void {
    this.writer.queue(ops);
  }

  /**
   * Journals ops (fsynced) after anything queued, before returning: for what
   * must be durable before we act on it. If the disk refuses, it throws and
   * leaves nothing of `ops` behind to surface later.
   */
  write(ops: CacheOp[]): void {
    this.writer.write(ops);
  }

  /** Journals what is queued. If the disk refuses, the ops stay queued for the next try and it throws. */
  flush(): void {
    this.writer.flush();
  }

  load(): LoadedCache {
    this.writer.settle();
    return stored.loadCache(this.database, this.seal);
  }

  /** Archived cases (history) last changed at or after `sinceMs`, for the views' KPIs. */
  archivedSince(sinceMs: number): Incident[] {
    this.writer.settle();
    return stored.archivedSince(this.database, this.seal, sinceMs);
  }

  /** The recorded daily KPI aggregates, oldest first, and where the console's case history begins (epoch ms; null before the first snapshot). */
  kpiDays(): { days: KpiDay[]; since: number | null } {
    this.writer.settle();
    return stored.kpiDays(this.database);
  }

  /** Daily KPI aggregates of Beijing days before `oldestDay` (YYYY-MM-DD) are deleted. */
  pruneKpiDays(oldestDay: string): void {
    this.writer.settle();
    pruneKpiDays(this.database, oldestDay);
  }

  /** The latest handover record (交接班) with its acknowledgement, or null before the first. */
  latestHandover(): HandoverRecord | null {
    this.writer.settle();
    return stored.latestHandover(this.database);
  }

  /** Acknowledgements of attention items made at or after `sinceIso`, ended ones included (the audit trail). */
  acknowledgementsSince(sinceIso: string): StoredAcknowledgement[] {
    this.writer.settle();
    return stored.acknowledgementsSince(this.database, sinceIso);
  }

  /** A case as cached, archived ones included (they stay as history). */
  incident(id: string): Incident | undefined {
    this.writer.settle();
    return stored.cachedIncident(this.database, this.seal, id);
  }

  reveals(incidentId: string): { at: string; operatorId: string; reason: string | null }[] {
    this.writer.settle();
    return stored.reveals(this.database, incidentId);
  }

  /**
   * The retention: closed, rejected and archived cases last changed before `cutoffMs`, alerts beyond the
   * newest 200, reveal audit rows older than REVEAL_AUDIT_DAYS, and files in recovered/ older than
   * `cutoffMs` are deleted (secure_delete zeroes the rows in the file at the next compaction).
   */
  prune(cutoffMs: number, nowMs: number = Date.now()): number {
    this.writer.settle();
    return pruneCases(this.database, this.seal, this.dataDir, this.log, cutoffMs, nowMs);
  }

  /** Patrol visits of Beijing days before `oldestDay` (YYYY-MM-DD) are deleted. */
  pruneVisits(oldestDay: string): void {
    this.writer.settle();
    pruneVisits(this.database, oldestDay);
  }

  /**
   * Writes the whole database to cache.sqlite atomically, then drops the
   * journal records it now holds. Positions and visits are not journaled (too
   * frequent; losing the last seconds of them is harmless) and are written here.
   */
  compact(positions: readonly (StoredFix & { slot: number })[] = [], visits: readonly Visit[] = []): Promise<void> {
    return this.compactor.compact(positions, visits);
  }

  /** Whether the journal refused its last write (and no write or free space has shown it takes writes again). */
  get journalRefusing(): boolean {
    return this.writer.journalProblem !== null;
  }

  /**
   * Set while the data directory refuses writes (a full disk): the journal's
   * problem first (changes are then not durable), else the last compaction's.
   */
  get storageProblem(): StorageProblem | null {
    return this.writer.journalProblem ?? this.compactor.compactionProblem;
  }

  get journalBytes(): number {
    return this.journal.bytes;
  }

  get cacheBytes(): number {
    const path = join(this.dataDir, CACHE_FILE);
    return existsSync(path) ? statSync(path).size : 0;
  }

  /** Final compaction, so a shutdown leaves one complete file and an empty journal. */
  async close(positions: readonly (StoredFix & { slot: number })[] = [], visits: readonly Visit[] = []): Promise<void> {
    if (this.writer.closed) return;
    try {
      await this.compact(positions, visits);
    } finally {
      // Closed even when the last write failed (a full disk): the journal holds what the file lacks.
      this.writer.close();
      this.journal.close();
      this.database.close();
    }
  }

  /** For tests and the sqlite3 check: the schema version of the open database. */
  get schemaVersion(): number {
    return userVersion(this.db);
  }
}
