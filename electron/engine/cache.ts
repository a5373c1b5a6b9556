import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import initSqlJs from "sql.js";
import type { Database, SqlJsStatic, SqlValue, Statement } from "sql.js";
import type { Alert, AlertLevel, Command, Incident, Unit } from "../../shared/protocol/types.js";
import type { HandoverRecord, StorageProblem } from "../../shared/bridge/contract.js";
import type { KpiDay } from "../../shared/domain/kpi-days.js";
import { formatReasons, parseReasons } from "../../shared/domain/attention.js";
import { writeFileAtomic } from "./atomic-file.js";
import { CACHE_FILE, JOURNAL_FILE, keepDamagedJournal, moveAside, openChecked, pruneRecovered } from "./cache-recovery.js";
import { DataDirError, disk, ensurePrivateDirectory, isAccessDenied, isDiskFull, noSpace } from "./disk.js";
import { Journal } from "./journal.js";
import { ReporterSeal, commandScope, fileKeySource, type KeySource, type StoredUnit } from "./reporter-seal.js";
import type { CacheOp, LoadedCache, Meta, StoredAcknowledgement, StoredCommand, StoredFix, Visit } from "./model.js";
import { REPORTERS_SEALED_VERSION, STAFF_PHONES_SEALED_VERSION, SchemaTooNewError, migrate, userVersion } from "./schema.js";

/*
 * The cache: sql.js (SQLite in memory) mirrored to <dataDir>/cache.sqlite by
 * compaction (export → atomic rename), with every change first appended to
 * <dataDir>/cache.journal. Between compactions the journal is the durable
 * record; on start the file is loaded and the journal replayed over it.
 * Reporters and staff phones are sealed on their way to either file (reporter-seal.ts).
 */

export { CACHE_FILE, JOURNAL_FILE, RECOVERED_DIR } from "./cache-recovery.js";

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

let sqlJs: Promise<SqlJsStatic> | null = null;
const loadSqlJs = (): Promise<SqlJsStatic> => (sqlJs ??= initSqlJs());

const STATEMENTS = {
  // data arrives as UTF-8 bytes and is stored as TEXT (CAST): sql.js encodes a bound string in JavaScript, byte by
  // byte, which for a case's JSON cost twice the upsert itself; Buffer.from encodes natively.
  upsertIncident: `INSERT INTO incidents (id, version, status, grid_code, updated_at, archived, data) VALUES (?, ?, ?, ?, ?, 0, CAST(? AS TEXT))
    ON CONFLICT(id) DO UPDATE SET version = excluded.version, status = excluded.status, grid_code = excluded.grid_code,
    updated_at = excluded.updated_at, archived = 0, data = excluded.data`,
  archiveIncident: "UPDATE incidents SET archived = 1, version = MAX(version, ?) WHERE id = ?",
  upsertUnit: `INSERT INTO units (id, name, status, grid_code, data, slot) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, status = excluded.status, grid_code = excluded.grid_code, data = excluded.data, slot = excluded.slot`,
  upsertAlert: "INSERT INTO alerts (id, at, acknowledged, data) VALUES (?, ?, 0, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at, data = excluded.data",
  ackAlert: "UPDATE alerts SET acknowledged = 1 WHERE id = ?",
  setMeta: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  putOutbox: `INSERT INTO outbox (command_id, position, type, incident_id, state, attempts, issued_at, command, failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(command_id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts, failure = excluded.failure`,
  deleteOutbox: "DELETE FROM outbox WHERE command_id = ?",
  insertReveal: "INSERT INTO reveals (at, operator_id, operator_name, incident_id, reason, session) VALUES (?, ?, ?, ?, ?, ?)",
  upsertPosition: `INSERT INTO positions (unit_id, slot, lon, lat, at, heading, speed, accuracy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(unit_id) DO UPDATE SET slot = excluded.slot, lon = excluded.lon, lat = excluded.lat, at = excluded.at,
    heading = excluded.heading, speed = excluded.speed, accuracy = excluded.accuracy`,
  insertVisit: "INSERT OR IGNORE INTO visits (day, grid_code, unit_id, hour) VALUES (?, ?, ?, ?)",
  insertAck: "INSERT INTO acknowledgements (item_key, level, reasons, operator_id, operator_name, at) VALUES (?, ?, ?, ?, ?, ?)",
  endAck: "UPDATE acknowledgements SET ended_at = ?, ended_why = ? WHERE item_key = ? AND ended_at IS NULL",
  insertHandover: "INSERT OR IGNORE INTO handovers (id, written_at, operator_id, operator_name, record) VALUES (?, ?, ?, ?, ?)",
  ackHandover: "UPDATE handovers SET acknowledged_at = ?, acknowledged_by_id = ?, acknowledged_by_name = ? WHERE id = ? AND acknowledged_at IS NULL",
  // A past day's figure never changes once recorded: a second write of the same day is ignored.
  insertKpiDay: "INSERT OR IGNORE INTO kpi_days (day, recorded_at, data) VALUES (?, ?, ?)",
} as const;
type StatementName = keyof typeof STATEMENTS;
const BACKLOG_SLICE = 2000;
/** Past this many cases and staff waiting to be written (a snapshot), they go to the backlog, written in slices. */
const COALESCE_LIMIT = 10_000;
/**
 * How long a reveal of a reporter stays in the audit table, whatever the cases' retention: it is an
 * audit (who looked at whose phone, and why), asked for after the case itself is long gone.
 */
export const REVEAL_AUDIT_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Left free for the journal when cache.sqlite is written: a compaction never takes the last of the disk. */
const JOURNAL_HEADROOM_BYTES = 1024 * 1024;

export type OpenedCache = { cache: Cache; loaded: LoadedCache; recovered?: { movedTo: string; reason: string } };

export class Cache {
  private statements = new Map<StatementName, Statement>();
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
  private generation: number;
  private compacting: Promise<void> | null = null;
  private closed = false;
  /** Why the journal refused the last append, until one succeeds; likewise for the last compaction. */
  private journalProblem: StorageProblem | null = null;
  private compactionProblem: StorageProblem | null = null;

  private constructor(
    private readonly db: Database,
    private readonly journal: Journal<CacheOp>,
    readonly dataDir: string,
    private readonly log: Log,
    private readonly seal: ReporterSeal,
  ) {
    this.generation = Number(this.metaValue("journal_generation") ?? "0");
    connectionPragmas(db);
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
      if (before > 0 && before < REPORTERS_SEALED_VERSION) cache.sealStoredReporters();
      if (before > 0 && before < STAFF_PHONES_SEALED_VERSION) cache.sealStoredStaffPhones();
      cache.replay(opened.read.records);
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

  /**
   * Rows written by a release before reporters were sealed hold them (and phone-in callers) in clear: sealed here, once (the
   * database is in memory; until the next compaction writes it, the file on disk is the old version,
   * and a kill before then does this again at the next start).
   */
  private sealStoredReporters(): void {
    const rows = this.rows("SELECT id, data FROM incidents WHERE data LIKE '%\"reporter\"%'");
    this.applyToDatabase([], () => {
      for (const [id, data] of rows) {
        const incident = JSON.parse(String(data)) as Incident;
        const sealed = this.seal.sealIncident(incident);
        if (sealed !== incident) this.db.run("UPDATE incidents SET data = ? WHERE id = ?", [JSON.stringify(sealed), id ?? null]);
      }
      for (const [id, text] of this.rows("SELECT command_id, command FROM outbox WHERE type = 'report'")) {
        const command = JSON.parse(String(text)) as Command;
        const sealed = this.seal.sealCommand(command);
        if (sealed !== command) this.db.run("UPDATE outbox SET command = ? WHERE command_id = ?", [JSON.stringify(sealed), id ?? null]);
      }
    });
  }

  /** Likewise staff phones, kept in clear in the units table by a release before schema 7. */
  private sealStoredStaffPhones(): void {
    const rows = this.rows("SELECT id, data FROM units WHERE data LIKE '%\"phone\"%'");
    this.applyToDatabase([], () => {
      for (const [id, data] of rows) {
        const unit = JSON.parse(String(data)) as Unit;
        const sealed = this.seal.sealUnit(unit);
        if (sealed !== unit) this.db.run("UPDATE units SET data = ? WHERE id = ?", [JSON.stringify(sealed), id ?? null]);
      }
    });
  }

  private replay(records: { generation: number; ops: CacheOp[] }[]): void {
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
    this.applyToDatabase(ops);
    this.log("info", "replayed cache journal", { records: replayed });
  }

  /** Queues ops to be journaled and written together at the end of this tick. */
  queue(ops: CacheOp[]): void {
    if (this.closed || ops.length === 0) return;
    for (const op of ops) this.pending.push(op);
    // While the journal refuses (a full disk) the engine's push tick retries it, once a second, not every queue.
    if (this.flushScheduled || this.journalProblem) return;
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
      if (this.journalProblem?.problem === "disk_full" && disk().freeBytes(this.dataDir) >= JOURNAL_HEADROOM_BYTES) this.journalWritesAgain();
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
      this.journalProblem = storageProblem(error, this.dataDir, this.journalProblem);
      throw error;
    }
    if (this.journalProblem) this.journalWritesAgain();
  }

  private journalWritesAgain(): void {
    this.log("info", "the cache journal takes writes again", { dataDir: this.dataDir });
    this.journalProblem = null;
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
      this.guarded("database write", () => this.applyToDatabase(this.backlog.splice(0, BACKLOG_SLICE)));
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
  private settle(): void {
    this.flush();
    this.releaseLatest();
    if (this.backlog.length === 0) return;
    const ops = this.backlog;
    this.backlog = [];
    this.applyToDatabase(ops);
  }

  private statement(name: StatementName): Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = this.db.prepare(STATEMENTS[name]);
      this.statements.set(name, statement);
    }
    return statement;
  }

  private run(name: StatementName, params: SqlValue[]): void {
    this.statement(name).run(params);
  }

  private applyToDatabase(ops: readonly CacheOp[], extra?: () => void): void {
    // A meta op only sets the meta rows, which no other op reads: in one transaction the last one is all
    // that counts (every delta carries one: three statements a delta, a thousand deltas a second).
    const lastMeta = lastMetaIndex(ops);
    this.db.exec("BEGIN");
    try {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i] as CacheOp;
        if (op.op !== "meta" || i === lastMeta) this.applyOp(op);
      }
      extra?.();
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  private applyOp(op: CacheOp): void {
    switch (op.op) {
      case "reset":
        this.db.exec("UPDATE incidents SET archived = 1; DELETE FROM units; DELETE FROM positions;");
        return;
      case "incident": {
        const i = op.incident;
        this.run("upsertIncident", [i.id, i.version, i.status, i.gridCode, i.updatedAt, Buffer.from(takeIncidentJson(i, this.seal), "utf8")]);
        return;
      }
      case "archive":
        this.run("archiveIncident", [op.version, op.id]);
        return;
      case "unit": {
        const { lastFix: _fix, ...unit } = op.unit;
        this.run("upsertUnit", [unit.id, unit.name, unit.status, unit.gridCode, JSON.stringify(this.seal.sealUnit(unit)), op.slot]);
        return;
      }
      case "alert":
        this.run("upsertAlert", [op.alert.id, op.alert.at, JSON.stringify(op.alert)]);
        return;
      case "alertAck":
        this.run("ackAlert", [op.id]);
        return;
      case "meta":
        this.run("setMeta", ["epoch", op.meta.epoch]);
        this.run("setMeta", ["last_seq", String(op.meta.lastSeq)]);
        this.run("setMeta", ["data_as_of", op.meta.dataAsOf]);
        return;
      case "outboxPut": {
        const { command, position, state, attempts, failure } = op.entry;
        const incidentId = command.type === "report" ? null : command.incidentId;
        this.run("putOutbox", [command.commandId, position, command.type, incidentId, state, attempts, command.issuedAt, JSON.stringify(this.seal.sealCommand(command)), failure ? JSON.stringify(failure) : null]);
        return;
      }
      case "outboxDel":
        this.run("deleteOutbox", [op.commandId]);
        this.seal.forget(commandScope(op.commandId));
        return;
      case "reveal":
        this.run("insertReveal", [op.at, op.operator.id, op.operator.name, op.incidentId, op.reason, op.session === undefined ? null : JSON.stringify(op.session)]);
        return;
      case "ack":
        this.run("endAck", [op.ack.at, "superseded", op.ack.key]);
        this.run("insertAck", [op.ack.key, op.ack.level, formatReasons(op.ack.reasons), op.ack.operator.id, op.ack.operator.name, op.ack.at]);
        return;
      case "ackEnd":
        this.run("endAck", [op.at, op.why, op.key]);
        return;
      case "handover": {
        const { acknowledged: _kept, ...record } = op.record;
        this.run("insertHandover", [record.id, record.to, record.by.id, record.by.name, JSON.stringify(record)]);
        return;
      }
      case "handoverAck":
        this.run("ackHandover", [op.at, op.by.id, op.by.name, op.id]);
        return;
      case "kpiDay":
        this.run("insertKpiDay", [op.day.date, op.at, JSON.stringify(op.day)]);
        return;
      case "kpiSince":
        this.run("setMeta", ["kpi_history_since", op.at]);
        return;
    }
  }

  private metaValue(key: string): string | null {
    const value = this.db.exec("SELECT value FROM meta WHERE key = ?", [key])[0]?.values[0]?.[0];
    return typeof value === "string" ? value : null;
  }

  private rows(sql: string, params: SqlValue[] = []): SqlValue[][] {
    const statement = this.db.prepare(sql, params);
    try {
      const out: SqlValue[][] = [];
      while (statement.step()) out.push(statement.get());
      return out;
    } finally {
      statement.free();
    }
  }

  load(): LoadedCache {
    this.settle();
    const meta: Meta = {
      epoch: this.metaValue("epoch"),
      lastSeq: Number(this.metaValue("last_seq") ?? "0") || 0,
      dataAsOf: this.metaValue("data_as_of"),
    };
    const incidents = this.rows("SELECT data FROM incidents WHERE archived = 0").map((r) => this.seal.openIncident(JSON.parse(String(r[0])) as Incident));
    const units = this.rows("SELECT data, slot FROM units").map((r) => ({ unit: this.seal.openUnit(JSON.parse(String(r[0])) as StoredUnit), slot: typeof r[1] === "number" ? r[1] : -1 }));
    const fixes = this.rows("SELECT unit_id, lon, lat, at, heading, speed, accuracy FROM positions").map(
      (r): StoredFix => ({ unitId: String(r[0]), lon: Number(r[1]), lat: Number(r[2]), at: Number(r[3]), heading: nullableNumber(r[4]), speed: nullableNumber(r[5]), accuracy: nullableNumber(r[6]) }),
    );
    const outbox = this.rows("SELECT command, position, state, attempts, failure FROM outbox ORDER BY position").map(
      (r): StoredCommand => {
        const entry: StoredCommand = { command: this.seal.openCommand(JSON.parse(String(r[0])) as Command), position: Number(r[1]), state: String(r[2]) as StoredCommand["state"], attempts: Number(r[3]) };
        if (typeof r[4] === "string") entry.failure = JSON.parse(r[4]) as StoredCommand["failure"] & object;
        return entry;
      },
    );
    const alerts = this.rows("SELECT data, acknowledged FROM alerts ORDER BY at DESC LIMIT 200").map((r) => ({ alert: JSON.parse(String(r[0])) as Alert, acknowledged: r[1] === 1 }));
    const visits = this.rows("SELECT day, grid_code, unit_id, hour FROM visits").map((r): Visit => ({ day: String(r[0]), gridCode: String(r[1]), unitId: String(r[2]), hour: Number(r[3]) }));
    const acknowledgements = this.rows("SELECT item_key, level, reasons, operator_id, operator_name, at FROM acknowledgements WHERE ended_at IS NULL ORDER BY id").map(
      (r): StoredAcknowledgement => ({ key: String(r[0]), level: alertLevel(r[1]), reasons: parseReasons(String(r[2])), operator: { id: String(r[3]), name: String(r[4]) }, at: String(r[5]) }),
    );
    return { meta, incidents, units, fixes, outbox, alerts, visits, acknowledgements };
  }

  /** Archived cases (history) last changed at or after `sinceMs`, for the views' KPIs. */
  archivedSince(sinceMs: number): Incident[] {
    this.settle();
    // updated_at is compared as an instant (the platform may write any offset); the JSON is parsed only for those kept.
    return this.rows("SELECT data, updated_at FROM incidents WHERE archived = 1")
      .filter((r) => Date.parse(String(r[1])) >= sinceMs)
      .map((r) => this.seal.openIncident(JSON.parse(String(r[0])) as Incident));
  }

  /** The recorded daily KPI aggregates, oldest first, and where the console's case history begins (epoch ms; null before the first snapshot). */
  kpiDays(): { days: KpiDay[]; since: number | null } {
    this.settle();
    const days = this.rows("SELECT data FROM kpi_days ORDER BY day").map((r) => JSON.parse(String(r[0])) as KpiDay);
    const since = Date.parse(this.metaValue("kpi_history_since") ?? "");
    return { days, since: Number.isFinite(since) ? since : null };
  }

  /** Daily KPI aggregates of Beijing days before `oldestDay` (YYYY-MM-DD) are deleted. */
  pruneKpiDays(oldestDay: string): void {
    this.settle();
    this.applyToDatabase([], () => this.db.run("DELETE FROM kpi_days WHERE day < ?", [oldestDay]));
  }

  /** The latest handover record (交接班) with its acknowledgement, or null before the first. */
  latestHandover(): HandoverRecord | null {
    this.settle();
    const row = this.rows("SELECT record, acknowledged_at, acknowledged_by_id, acknowledged_by_name FROM handovers ORDER BY rowid DESC LIMIT 1")[0];
    if (!row) return null;
    const record = JSON.parse(String(row[0])) as HandoverRecord;
    if (typeof row[1] === "string") record.acknowledged = { at: row[1], by: { id: String(row[2]), name: String(row[3]) } };
    return record;
  }

  /** Acknowledgements of attention items made at or after `sinceIso`, ended ones included (the audit trail). */
  acknowledgementsSince(sinceIso: string): StoredAcknowledgement[] {
    this.settle();
    // The engine writes every `at` with toBeijingIso (one offset, fixed width), so text order is time order.
    return this.rows("SELECT item_key, level, reasons, operator_id, operator_name, at FROM acknowledgements WHERE at >= ? ORDER BY id", [sinceIso]).map(
      (r): StoredAcknowledgement => ({ key: String(r[0]), level: alertLevel(r[1]), reasons: parseReasons(String(r[2])), operator: { id: String(r[3]), name: String(r[4]) }, at: String(r[5]) }),
    );
  }

  /** A case as cached, archived ones included (they stay as history). */
  incident(id: string): Incident | undefined {
    this.settle();
    const row = this.rows("SELECT data FROM incidents WHERE id = ?", [id])[0];
    return row ? this.seal.openIncident(JSON.parse(String(row[0])) as Incident) : undefined;
  }

  reveals(incidentId: string): { at: string; operatorId: string; reason: string | null }[] {
    this.settle();
    return this.rows("SELECT at, operator_id, reason FROM reveals WHERE incident_id = ? ORDER BY id", [incidentId]).map((r) => ({ at: String(r[0]), operatorId: String(r[1]), reason: r[2] === null ? null : String(r[2]) }));
  }

  /**
   * The retention: closed, rejected and archived cases last changed before `cutoffMs`, alerts beyond the
   * newest 200, reveal audit rows older than REVEAL_AUDIT_DAYS, and files in recovered/ older than
   * `cutoffMs` are deleted (secure_delete zeroes the rows in the file at the next compaction).
   */
  prune(cutoffMs: number, nowMs: number = Date.now()): number {
    this.settle();
    // Compared as instants, not strings: the platform may write any offset.
    const expired = this.rows("SELECT id, updated_at FROM incidents WHERE status IN ('closed', 'rejected') OR archived = 1").filter((r) => Date.parse(String(r[1])) < cutoffMs);
    const revealCutoff = nowMs - REVEAL_AUDIT_DAYS * DAY_MS;
    const expiredReveals = this.rows("SELECT id, at FROM reveals").filter((r) => Date.parse(String(r[1])) < revealCutoff);
    this.applyToDatabase([], () => {
      for (const [id] of expired) {
        this.db.run("DELETE FROM incidents WHERE id = ?", [id ?? null]);
        this.seal.forget(String(id));
      }
      for (const [id] of expiredReveals) this.db.run("DELETE FROM reveals WHERE id = ?", [id ?? null]);
      this.db.run("DELETE FROM alerts WHERE id NOT IN (SELECT id FROM alerts ORDER BY at DESC LIMIT 200)");
    });
    const removed = pruneRecovered(this.dataDir, cutoffMs);
    if (removed > 0) this.log("info", "removed copies in recovered/ past the retention", { files: removed });
    return expired.length;
  }

  /** Patrol visits of Beijing days before `oldestDay` (YYYY-MM-DD) are deleted. */
  pruneVisits(oldestDay: string): void {
    this.settle();
    this.db.run("DELETE FROM visits WHERE day < ?", [oldestDay]);
  }

  /**
   * Writes the whole database to cache.sqlite atomically, then drops the
   * journal records it now holds. Positions and visits are not journaled (too
   * frequent; losing the last seconds of them is harmless) and are written here.
   */
  compact(positions: readonly (StoredFix & { slot: number })[] = [], visits: readonly Visit[] = []): Promise<void> {
    if (this.compacting) return this.compacting.then(() => this.compact(positions, visits));
    if (this.closed) return Promise.resolve();
    this.settle();
    // Everything journaled so far is older than the new generation; everything appended from here on is not.
    const generationStart = this.journal.bytes;
    this.generation += 1;
    const generation = this.generation;
    this.applyToDatabase([], () => {
      for (const f of positions) this.run("upsertPosition", [f.unitId, f.slot, f.lon, f.lat, f.at, f.heading, f.speed, f.accuracy]);
      for (const v of visits) this.run("insertVisit", [v.day, v.gridCode, v.unitId, v.hour]);
      this.run("setMeta", ["journal_generation", String(generation)]);
    });
    const bytes = this.exportBytes();
    // A file that would not fit is not started: its partial temp file would take the space the journal needs.
    const free = disk().freeBytes(this.dataDir);
    const write =
      free < bytes.length + JOURNAL_HEADROOM_BYTES
        ? Promise.reject(noSpace(`${CACHE_FILE} needs ${bytes.length} bytes and ${JOURNAL_HEADROOM_BYTES} to spare, ${free} free`))
        : writeFileAtomic(join(this.dataDir, CACHE_FILE), bytes);
    this.compacting = write
      .then(() => {
        if (!this.closed) this.journal.dropBefore(generation, generationStart);
      })
      .then(
        () => {
          this.compactionProblem = null;
        },
        (error: unknown) => {
          // The journal still holds every change: the next compaction tries again.
          this.compactionProblem = storageProblem(error, this.dataDir, this.compactionProblem);
          throw error;
        },
      )
      .finally(() => {
        this.compacting = null;
      });
    return this.compacting;
  }

  private exportBytes(): Uint8Array {
    // WARNING: sql.js closes and reopens the database to export it, freeing every prepared statement.
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    const bytes = this.db.export();
    connectionPragmas(this.db);
    return bytes;
  }

  /** Whether the journal refused its last write (and no write or free space has shown it takes writes again). */
  get journalRefusing(): boolean {
    return this.journalProblem !== null;
  }

  /**
   * Set while the data directory refuses writes (a full disk): the journal's
   * problem first (changes are then not durable), else the last compaction's.
   */
  get storageProblem(): StorageProblem | null {
    return this.journalProblem ?? this.compactionProblem;
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
    if (this.closed) return;
    try {
      await this.compact(positions, visits);
    } finally {
      // Closed even when the last write failed (a full disk): the journal holds what the file lacks.
      this.closed = true;
      this.journal.close();
      for (const statement of this.statements.values()) statement.free();
      this.statements.clear();
      this.db.close();
    }
  }

  /** For tests and the sqlite3 check: the schema version of the open database. */
  get schemaVersion(): number {
    return userVersion(this.db);
  }
}

/**
 * The JSON of incidents journaled and not yet written to the database: the
 * journal record and the row's `data` hold the same text, so it is made once.
 * Taken (and forgotten) by the database write; replayed ops, not in it, are
 * stringified there.
 */
const incidentJson = new WeakMap<Incident, string>();

/**
 * `JSON.stringify(op)` for the journal, with a case's reporter, a report's caller and a staff phone sealed, keeping the case's text for its
 * row. (Replayed, the op carries the sealed reporter: stringifying it again gives the same text.)
 */
function encodeOp(op: CacheOp, seal: ReporterSeal): string {
  if (op.op === "outboxPut") return JSON.stringify({ ...op, entry: { ...op.entry, command: seal.sealCommand(op.entry.command) } });
  if (op.op === "unit") return JSON.stringify({ ...op, unit: seal.sealUnit(op.unit) });
  if (op.op !== "incident") return JSON.stringify(op);
  const json = JSON.stringify(seal.sealIncident(op.incident));
  incidentJson.set(op.incident, json);
  return `{"op":"incident","incident":${json}}`;
}

function takeIncidentJson(incident: Incident, seal: ReporterSeal): string {
  const json = incidentJson.get(incident);
  if (json === undefined) return JSON.stringify(seal.sealIncident(incident));
  incidentJson.delete(incident);
  return json;
}

/**
 * Per-connection settings, not stored in the file: set again after an export,
 * as sql.js reopens the database to export it.
 * - SQLite's rollback journal in memory instead of a file in sql.js's
 *   in-memory file system: it only ever served ROLLBACK (the database itself
 *   lives in memory; cache.journal and the exported file are what survive a
 *   kill), and writing it cost a third of every upsert.
 * - secure_delete: a deleted row (a pruned case, an expired reveal) is
 *   overwritten with zeros, so it does not linger in a free page or a cell's
 *   slack of the exported file.
 */
function connectionPragmas(db: Database): void {
  db.exec("PRAGMA journal_mode = MEMORY; PRAGMA secure_delete = ON");
}

function lastMetaIndex(ops: readonly CacheOp[]): number {
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i]?.op === "meta") return i;
  return -1;
}

/** The ops with every meta op but the last left out: what applying them in one transaction leaves is the same. */
function withLastMetaOnly(ops: CacheOp[]): CacheOp[] {
  const last = lastMetaIndex(ops);
  let metas = 0;
  for (const op of ops) if (op.op === "meta") metas++;
  return metas <= 1 ? ops : ops.filter((op, i) => op.op !== "meta" || i === last);
}

function storageProblem(error: unknown, dataDir: string, previous: StorageProblem | null): StorageProblem {
  const problem = isDiskFull(error) ? "disk_full" : "write_failed";
  const since = previous?.problem === problem ? previous.since : new Date().toISOString();
  return { problem, dataDir, since, message: error instanceof Error ? error.message : String(error) };
}

const alertLevel = (value: SqlValue | undefined): AlertLevel => (value === "critical" || value === "warning" ? value : "info");

const nullableNumber = (value: SqlValue | undefined): number | null => (typeof value === "number" ? value : null);
