import type { Database, SqlValue, Statement } from "sql.js";
import { formatReasons } from "../../shared/domain/attention.js";
import { takeIncidentJson } from "./cache-codec.js";
import type { CacheOp } from "./model.js";
import { commandScope, type ReporterSeal } from "./reporter-seal.js";

/*
 * The cache's SQL layer: the sql.js database in memory, its prepared statements, and ops applied to it
 * in one transaction each call. It touches no file: cache-writes.ts decides when ops reach it,
 * cache-compact.ts writes its export to cache.sqlite.
 */

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

export class CacheDatabase {
  private statements = new Map<StatementName, Statement>();

  constructor(
    readonly db: Database,
    private readonly seal: ReporterSeal,
  ) {
    connectionPragmas(db);
  }

  private statement(name: StatementName): Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = this.db.prepare(STATEMENTS[name]);
      this.statements.set(name, statement);
    }
    return statement;
  }

  run(name: StatementName, params: SqlValue[]): void {
    this.statement(name).run(params);
  }

  apply(ops: readonly CacheOp[], extra?: () => void): void {
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

  metaValue(key: string): string | null {
    const value = this.db.exec("SELECT value FROM meta WHERE key = ?", [key])[0]?.values[0]?.[0];
    return typeof value === "string" ? value : null;
  }

  rows(sql: string, params: SqlValue[] = []): SqlValue[][] {
    const statement = this.db.prepare(sql, params);
    try {
      const out: SqlValue[][] = [];
      while (statement.step()) out.push(statement.get());
      return out;
    } finally {
      statement.free();
    }
  }

  exportBytes(): Uint8Array {
    // WARNING: sql.js closes and reopens the database to export it, freeing every prepared statement.
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    const bytes = this.db.export();
    connectionPragmas(this.db);
    return bytes;
  }

  close(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.db.close();
  }
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

export function lastMetaIndex(ops: readonly CacheOp[]): number {
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i]?.op === "meta") return i;
  return -1;
}
