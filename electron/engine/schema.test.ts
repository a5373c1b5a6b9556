import initSqlJs from "sql.js";
import type { Database, SqlJsStatic } from "sql.js";
import { beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, migrate, userVersion } from "./schema.js";

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const columns = (db: Database, table: string): string[] => (db.exec("SELECT name FROM pragma_table_info(?)", [table])[0]?.values ?? []).map((r) => String(r[0]));
const tables = (db: Database): string[] => (db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]?.values ?? []).map((r) => String(r[0]));

/** Data a database at each version may hold, written before migrating it to the next. */
const SEED: Record<number, string> = {
  1: `INSERT INTO incidents (id, version, status, grid_code, updated_at, data) VALUES ('A', 3, 'registered', 'g', '2026-11-22T09:00:00+08:00', '{}');
      INSERT INTO units (id, name, status, grid_code, data) VALUES ('U1', 'n', 'on_patrol', 'g', '{}');
      INSERT INTO meta (key, value) VALUES ('epoch', 'e'), ('last_seq', '42');
      INSERT INTO outbox (command_id, position, type, incident_id, state, attempts, issued_at, command) VALUES ('c1', 1, 'register', 'A', 'queued', 0, 't', '{}');`,
  2: `INSERT INTO reveals (at, operator_id, operator_name, incident_id, reason) VALUES ('t', 'op', 'name', 'A', 'call back');`,
  3: `INSERT INTO visits (day, grid_code, unit_id, hour) VALUES ('2026-11-22', 'g', 'U1', 9);`,
};

describe("cache schema migrations", () => {
  it("are numbered 1..N without holes", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it("migration 1 creates the tables and columns outside tools read", () => {
    const db = new SQL.Database();
    expect(migrate(db, 1)).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(["incidents", "units", "outbox", "meta"]));
    expect(columns(db, "incidents")).toEqual(expect.arrayContaining(["id", "version", "status"]));
    expect(columns(db, "outbox")).toContain("command_id");
    expect(columns(db, "meta")).toEqual(["key", "value"]);
  });

  for (const migration of MIGRATIONS.filter((m) => m.version > 1)) {
    it(`migration ${migration.version} (${migration.describe}) keeps the data of version ${migration.version - 1}`, () => {
      const db = new SQL.Database();
      migrate(db, migration.version - 1);
      for (let v = 1; v < migration.version; v++) if (SEED[v]) db.exec(SEED[v] as string);
      const before = tables(db).map((table) => [table, db.exec(`SELECT count(*) FROM "${table}"`)[0]?.values[0]?.[0]]);
      expect(migrate(db, migration.version)).toBe(migration.version);
      for (const [table, count] of before) expect(db.exec(`SELECT count(*) FROM "${String(table)}"`)[0]?.values[0]?.[0]).toBe(count);
      expect(db.exec("SELECT value FROM meta WHERE key = 'last_seq'")[0]?.values[0]?.[0]).toBe("42");
    });
  }

  it("migration 3 adds unit slots, positions and visits", () => {
    const db = new SQL.Database();
    migrate(db, 2);
    migrate(db, 3);
    expect(columns(db, "units")).toContain("slot");
    expect(tables(db)).toEqual(expect.arrayContaining(["positions", "visits"]));
  });

  it("migration 4 adds the acknowledgements, the current ones found by key", () => {
    const db = new SQL.Database();
    migrate(db, 3);
    migrate(db, 4);
    expect(columns(db, "acknowledgements")).toEqual(
      expect.arrayContaining(["item_key", "level", "reasons", "operator_id", "operator_name", "at", "ended_at", "ended_why"]),
    );
    db.exec(`INSERT INTO acknowledgements (item_key, level, reasons, operator_id, operator_name, at) VALUES ('case:A', 'critical', 'urgent', 'op', 'n', 't')`);
    expect(db.exec("SELECT count(*) FROM acknowledgements WHERE item_key = 'case:A' AND ended_at IS NULL")[0]?.values[0]?.[0]).toBe(1);
  });

  it("migration 6 adds the handover records, each taken over once", () => {
    const db = new SQL.Database();
    migrate(db, 5);
    migrate(db, 6);
    expect(columns(db, "handovers")).toEqual(
      expect.arrayContaining(["id", "written_at", "operator_id", "operator_name", "record", "acknowledged_at", "acknowledged_by_id", "acknowledged_by_name"]),
    );
    db.exec(`INSERT INTO handovers (id, written_at, operator_id, operator_name, record) VALUES ('h1', 't', 'op', 'n', '{}')`);
    expect(db.exec("SELECT count(*) FROM handovers WHERE acknowledged_at IS NULL")[0]?.values[0]?.[0]).toBe(1);
  });

  it("migration 8 adds the daily KPI aggregates, one row per day that a second write does not replace", () => {
    const db = new SQL.Database();
    migrate(db, 7);
    migrate(db, 8);
    expect(columns(db, "kpi_days")).toEqual(["day", "recorded_at", "data"]);
    db.exec(`INSERT OR IGNORE INTO kpi_days (day, recorded_at, data) VALUES ('2026-12-05', 't1', '{"first":1}')`);
    db.exec(`INSERT OR IGNORE INTO kpi_days (day, recorded_at, data) VALUES ('2026-12-05', 't2', '{"second":1}')`);
    expect(db.exec("SELECT recorded_at, data FROM kpi_days")[0]?.values).toEqual([["t1", '{"first":1}']]);
  });

  it("migration 9 adds the reveal's session: rows written before keep NULL, new rows carry the page's", () => {
    const db = new SQL.Database();
    migrate(db, 8);
    db.exec(SEED[2] as string);
    migrate(db, 9);
    expect(columns(db, "reveals")).toContain("session");
    db.exec(`INSERT INTO reveals (at, operator_id, operator_name, incident_id, reason, session) VALUES ('t2', 'op', 'name', 'A', 'again', '{"id":"s1"}')`);
    expect(db.exec("SELECT reason, session FROM reveals ORDER BY id")[0]?.values).toEqual([
      ["call back", null],
      ["again", '{"id":"s1"}'],
    ]);
  });

  it("running the migrations twice changes nothing", () => {
    const db = new SQL.Database();
    migrate(db);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
  });

  it("refuses a database newer than the code with a message that says what to do", () => {
    const db = new SQL.Database();
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
    expect(() => migrate(db)).toThrow(/newer than this console/);
    expect(userVersion(db)).toBe(SCHEMA_VERSION + 1);
  });
});
