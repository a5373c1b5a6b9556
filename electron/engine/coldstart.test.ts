import { afterEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import initSqlJs from "sql.js";
import { migrate } from "./schema.js";
import { makeIncident, makeUnit } from "./testing/mini-feed.js";
import { makeEngine, tempDir } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** District scale: Dongcheng's 589 grids with their open and recent cases and patrol staff, rounded up. */
const INCIDENTS = 20_000;
const UNITS = 4_000;

describe("cold start", () => {
  it(`shows the cached picture of ${INCIDENTS} cases and ${UNITS} units within 2 s with no network`, async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    // Built inside SQLite (a recursive CTE stamping ids into one template row): 24,000 inserts from JS would dominate the test.
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    migrate(db);
    const now = new Date().toISOString();
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO incidents (id, version, status, grid_code, updated_at, data)
       SELECT 'C' || i, 1 + i % 7, 'dispatched', '110101001001001', ?, json_set(?, '$.id', 'C' || i, '$.version', 1 + i % 7) FROM n`,
      [INCIDENTS - 1, now, JSON.stringify(makeIncident("template", 1, { status: "dispatched", updatedAt: now }))],
    );
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO units (id, name, status, grid_code, data, slot) SELECT 'U' || i, 'n', 'on_patrol', '110101001001001', json_set(?, '$.id', 'U' || i), i FROM n`,
      [UNITS - 1, JSON.stringify(makeUnit("template"))],
    );
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO positions (unit_id, slot, lon, lat, at) SELECT 'U' || i, i, 116.4, 39.9, ? FROM n`,
      [UNITS - 1, Date.now()],
    );
    db.run("INSERT INTO meta (key, value) VALUES ('epoch', 'e1'), ('last_seq', '123'), ('data_as_of', '2026-11-22T09:00:00.000+08:00')");
    writeFileSync(join(dir, "cache.sqlite"), db.export());
    db.close();

    // CPU time, not wall time: the budget is for a console PC, and this box is shared with other builds.
    const began = process.cpuUsage();
    const wallBegan = performance.now();
    const engine = makeEngine("http://127.0.0.1:9", dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    const initial = await engine.handlers.getInitialState({});
    const roster = await engine.handlers.getRoster({});
    const used = process.cpuUsage(began);
    const elapsed = (used.user + used.system) / 1000;
    console.info("cold start", { cpuMs: Math.round(elapsed), wallMs: Math.round(performance.now() - wallBegan) });
    if (!initial.ok) throw new Error(initial.error.message);
    expect(engine.replica.incidents.size).toBe(INCIDENTS);
    if (!roster.ok) throw new Error(roster.error.message);
    expect(roster.value.units).toHaveLength(UNITS);
    expect(roster.value.positions.data.length).toBe(UNITS * 6);
    expect(initial.value.status).toMatchObject({ epoch: "e1", lastSeq: 123, dataAsOf: "2026-11-22T09:00:00.000+08:00" });
    expect(["offline", "connecting"]).toContain(initial.value.status.state);
    expect(elapsed).toBeLessThan(2000);
  }, 30_000);
});
