import type { Database } from "sql.js";

/*
 * Numbered migrations of cache.sqlite. Each runs in one transaction together
 * with the bump of `PRAGMA user_version`, so a crash mid-migration leaves the
 * previous version intact. Never edit a released migration: add the next one.
 */

export type Migration = { version: number; describe: string; sql: string };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    describe: "incidents, units, outbox, alerts and meta",
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        grid_code TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        archived INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL
      );
      CREATE INDEX incidents_by_status ON incidents (status, updated_at);
      CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, grid_code TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE outbox (
        command_id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        type TEXT NOT NULL,
        incident_id TEXT,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        issued_at TEXT NOT NULL,
        command TEXT NOT NULL,
        failure TEXT
      );
      CREATE TABLE alerts (id TEXT PRIMARY KEY, at TEXT NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    describe: "audit of reporter reveals",
    sql: `
      CREATE TABLE reveals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        operator_name TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX reveals_by_incident ON reveals (incident_id, at);
    `,
  },
  {
    version: 3,
    describe: "stable unit slots, latest fixes and patrol visits",
    sql: `
      ALTER TABLE units ADD COLUMN slot INTEGER;
      CREATE TABLE positions (
        unit_id TEXT PRIMARY KEY,
        slot INTEGER NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        at INTEGER NOT NULL,
        heading REAL,
        speed REAL,
        accuracy REAL
      );
      CREATE TABLE visits (
        day TEXT NOT NULL,
        grid_code TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        hour INTEGER NOT NULL,
        PRIMARY KEY (day, grid_code, unit_id, hour)
      );
    `,
  },
  {
    version: 4,
    describe: "acknowledgements of the attention list, kept as an audit trail",
    // One row per acknowledgement, never deleted: ended_at is set when it stops holding (the item got worse,
    // or its case was resolved), so the rows with no ended_at are the current acknowledgements.
    sql: `
      CREATE TABLE acknowledgements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_key TEXT NOT NULL,
        level TEXT NOT NULL,
        reasons TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        operator_name TEXT NOT NULL,
        at TEXT NOT NULL,
        ended_at TEXT,
        ended_why TEXT
      );
      CREATE INDEX acknowledgements_current ON acknowledgements (item_key) WHERE ended_at IS NULL;
    `,
  },
  {
    version: 5,
    describe: "reveals pruned by age; reporters sealed",
    // Sealing needs the key, which SQL has not: the cache seals rows of an older version itself, right
    // after this step (Cache.sealStoredReporters), before anything is written to disk.
    sql: `
      CREATE INDEX reveals_by_at ON reveals (at);
    `,
  },
  {
    version: 6,
    describe: "handover records (交接班) and who took each over",
    // The record is the JSON the engine assembled at the handover; the acknowledgement is kept in columns, set once.
    sql: `
      CREATE TABLE handovers (
        id TEXT PRIMARY KEY,
        written_at TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        operator_name TEXT NOT NULL,
        record TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by_id TEXT,
        acknowledged_by_name TEXT
      );
    `,
  },
  {
    version: 7,
    describe: "staff phones sealed",
    // As in 5: the cache seals the units rows of an older version itself (Cache.sealStoredStaffPhones). Nothing changes in SQL.
    sql: `
      SELECT 1;
    `,
  },
  {
    version: 8,
    describe: "daily KPI aggregates (one row per Beijing day, recorded once) and where the console's case history begins",
    // The figures are the JSON of shared/domain/kpi-days.ts's KpiDay; the history's start is the meta key kpi_history_since.
    sql: `
      CREATE TABLE kpi_days (
        day TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    describe: "each reveal records the page that asked (its bridge session)",
    // The JSON of shared/bridge/contract.ts's CallerSession ({id, startedAt, role, view}); rows written before stay NULL.
    sql: `
      ALTER TABLE reveals ADD COLUMN session TEXT;
    `,
  },
];

/** From this version on, no row holds a reporter's name or phone in clear. */
export const REPORTERS_SEALED_VERSION = 5;

/** From this version on, no units row holds a staff member's phone in clear. */
export const STAFF_PHONES_SEALED_VERSION = 7;

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `cache.sqlite has schema version ${found}, newer than this console understands (${supported}). ` +
        "It was written by a newer release: run that release, or move cache.sqlite aside to rebuild it from the platform.",
    );
    this.name = "SchemaTooNewError";
  }
}

export function userVersion(db: Database): number {
  const row = db.exec("PRAGMA user_version")[0]?.values[0]?.[0];
  return typeof row === "number" ? row : 0;
}

/** Brings `db` up to `target` (default: the latest), one transaction per migration. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  const current = userVersion(db);
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(current, SCHEMA_VERSION);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.exec("BEGIN");
    try {
      db.exec(migration.sql);
      // PRAGMA takes no bound parameters; the value is an integer from our own table.
      db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw new Error(`migration ${migration.version} (${migration.describe}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return userVersion(db);
}
