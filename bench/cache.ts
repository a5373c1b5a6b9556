import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import initSqlJs from "sql.js";
import { Cache, CACHE_FILE } from "../electron/engine/cache.js";
import { Replica } from "../electron/engine/replica.js";
import type { Figure, Suite, SuiteContext } from "./lib.js";
import { percentile, round } from "./lib.js";
import { seedCache, yieldToLoop } from "./engine-rig.js";
import { incidentDeltas, manyIncidents, world, type World } from "./fixtures.js";

/*
 * The cache: a burst of deltas through the engine's replica, journal and
 * database against bare sql.js inserts of the same rows; compaction (export +
 * atomic write) against writing the same bytes; journal replay at open
 * against opening the same database with no journal.
 */

const quiet = () => undefined;
const tempDir = (label: string) => mkdtempSync(path.join(tmpdir(), `bench-cache-${label}-`));
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

async function burst(context: SuiteContext, w: World): Promise<Figure> {
  const dir = tempDir("burst");
  try {
    await seedCache(dir, w);
    const rounds = context.quick ? 3 : 7;
    const engineMs: number[] = [];
    const plainMs: number[] = [];
    const SQL = await initSqlJs();
    const { cache, loaded } = await Cache.open(dir, quiet);
    const replica = new Replica();
    replica.load(loaded);
    let seq = loaded.meta.lastSeq;
    for (let r = 0; r < rounds; r++) {
      const deltas = incidentDeltas(w.incidents, w.epoch, seq, 1000, Date.now() + r * 60_000).map((d) => ({ ...d, unknownEvents: 0 }));
      seq += deltas.length;
      // The same rows as plain values, made before the clock starts: the reference does no work of ours.
      const rows = deltas.map((d) => {
        const i = d.events[0]?.incident;
        if (!i) throw new Error("delta without its incident");
        return [i.id, i.version, i.status, i.gridCode, i.updatedAt, JSON.stringify(i)];
      });
      const reference = new SQL.Database(new Uint8Array(cache["db"].export()));
      // Its pages read once before the clock starts, as the engine's long-open database has them in SQLite's cache.
      reference.exec("SELECT count(*), sum(length(data)) FROM incidents");
      const runEngine = async () => {
        await yieldToLoop();
        const began = performance.now();
        for (let i = 0; i < deltas.length; i++) {
          cache.queue(replica.applyDelta(deltas[i] as (typeof deltas)[number]));
          // Deltas arrive over several socket reads: the engine journals once per event-loop turn.
          if ((i + 1) % 100 === 0) await yieldToLoop();
        }
        cache.incident("(settle)");
        engineMs.push(performance.now() - began);
      };
      const runPlain = async () => {
        await yieldToLoop();
        const began = performance.now();
        const insert = reference.prepare(
          "INSERT INTO incidents (id, version, status, grid_code, updated_at, archived, data) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, status = excluded.status, grid_code = excluded.grid_code, updated_at = excluded.updated_at, archived = 0, data = excluded.data",
        );
        reference.exec("BEGIN");
        for (const row of rows) insert.run(row);
        reference.exec("COMMIT");
        insert.free();
        plainMs.push(performance.now() - began);
      };
      // Alternating which goes first, so that neither always pays for the other's garbage.
      if (r % 2 === 0) {
        await runEngine();
        await runPlain();
      } else {
        await runPlain();
        await runEngine();
      }
      reference.close();
    }
    await cache.close();
    const engine = median(engineMs);
    const plain = median(plainMs);
    return {
      suite: "cache",
      name: `apply and persist a 1,000-delta burst, ${w.scale} cache (${w.incidents.length} cases)`,
      value: round(engine, 1),
      unit: "ms",
      reference: { name: "sql.js prepared upserts of the same 1,000 rows in one transaction", value: round(plain, 1), unit: "ms" },
      ratio: round(engine / plain, 2),
      ratioMeaning: "engine / plain inserts",
      target: "≤ 2×",
      met: engine / plain <= 2,
      note: `median of ${rounds} bursts; the engine journals (fsync) every 100 deltas and, when the database is read, writes each case's latest row once (the reference writes all 1,000)`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compaction(context: SuiteContext, w: World): Promise<Figure[]> {
  const sizes = context.quick ? [1_000, 5_000] : [2_000, 20_000, 100_000];
  const places = w.incidents.map((i) => ({ gridCode: i.gridCode, lon: i.lon, lat: i.lat }));
  const figures: Figure[] = [];
  for (const size of sizes) {
    const dir = tempDir(`compact-${size}`);
    try {
      await seedCache(dir, w, manyIncidents(w.incidents, size, places, Date.now()));
      const { cache } = await Cache.open(dir, quiet);
      const compactMs: number[] = [];
      const writeMs: number[] = [];
      for (let r = 0; r < 3; r++) {
        cache.queue([{ op: "meta", meta: { epoch: w.epoch, lastSeq: r + 1, dataAsOf: new Date().toISOString() } }]);
        let began = performance.now();
        await cache.compact();
        compactMs.push(performance.now() - began);
        const bytes = new Uint8Array(cache["db"].export());
        began = performance.now();
        const fd = openSync(path.join(dir, "plain.bin"), "w");
        writeSync(fd, bytes);
        fsyncSync(fd);
        closeSync(fd);
        writeMs.push(performance.now() - began);
      }
      await cache.close();
      const mb = statSync(path.join(dir, CACHE_FILE)).size / 2 ** 20;
      const compact = median(compactMs);
      const plain = median(writeMs);
      figures.push({
        suite: "cache",
        name: `compaction (export + atomic write), ${size.toLocaleString("en-US")} cases + ${w.units.length} units, ${round(mb, 1)} MB`,
        value: round(compact, 1),
        unit: "ms",
        reference: { name: "writing the same bytes to a file with fsync", value: round(plain, 1), unit: "ms" },
        ratio: round(compact / plain, 2),
        ratioMeaning: "compaction / plain write",
        note: `${round(compact / mb, 1)} ms per MB; median of 3`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

async function replay(context: SuiteContext, w: World): Promise<Figure> {
  const dir = tempDir("replay");
  const plainDir = tempDir("replay-plain");
  try {
    await seedCache(dir, w);
    copyFileSync(path.join(dir, CACHE_FILE), path.join(plainDir, CACHE_FILE));
    const records = context.quick ? 200 : 1000;
    const writer = await Cache.open(dir, quiet);
    const replica = new Replica();
    replica.load(writer.loaded);
    // One journal record per delta, and no compaction: what a console killed after a busy minute leaves.
    for (const delta of incidentDeltas(w.incidents, w.epoch, 0, records, Date.now())) writer.cache.write(replica.applyDelta({ ...delta, unknownEvents: 0 }));
    const journalBytes = writer.cache.journalBytes;
    let began = performance.now();
    const replayed = await Cache.open(dir, quiet);
    const replayMs = performance.now() - began;
    if (replayed.loaded.meta.lastSeq !== records) throw new Error(`replay reached seq ${replayed.loaded.meta.lastSeq}, not ${records}`);
    began = performance.now();
    const plain = await Cache.open(plainDir, quiet);
    const plainMs = performance.now() - began;
    await plain.cache.close();
    await replayed.cache.close();
    return {
      suite: "cache",
      name: `open with journal replay, ${records} records (${round(journalBytes / 2 ** 20, 1)} MB) over the ${w.scale} cache`,
      value: round(replayMs, 1),
      unit: "ms",
      reference: { name: "opening the same database with no journal", value: round(plainMs, 1), unit: "ms" },
      ratio: round(replayMs / plainMs, 2),
      ratioMeaning: "with replay / without",
      note: `${round((replayMs - plainMs) / records, 3)} ms per record replayed`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(plainDir, { recursive: true, force: true });
  }
}

export const cacheSuite: Suite = {
  name: "cache",
  title: "Cache: delta bursts, compaction, journal replay",
  method: [
    "Caches are written with the engine's own code (`Cache.open` / `write` / `close`) from the reference feed's district roster and cases (and, for the larger sizes, copies of those cases with new ids).",
    "**Burst**: 1,000 deltas (one `incident.upsert` each) through `Replica.applyDelta` and `Cache.queue`, yielding to the event loop every 100 (so the journal is appended and fsynced 10 times, as when a burst arrives over several socket reads), until the database holds them all. Reference: a copy of the same database, `prepare`d upserts of the same 1,000 rows (values made before the clock starts) in one `BEGIN`/`COMMIT`. Wall time, median of several bursts.",
    "**Compaction**: `Cache.compact()` (settle, `db.export()`, write to a temp file, fsync, rename) at a few database sizes, against writing the same exported bytes to a file with fsync.",
    "**Journal replay**: a console killed after writing N journal records (one per delta) and no compaction is reopened with `Cache.open`; reference: opening a copy of the same database file without the journal.",
  ].join("\n"),
  async run(context) {
    const w = await world("district");
    context.log("cache: burst");
    const figures = [await burst(context, w)];
    context.log("cache: compaction");
    figures.push(...(await compaction(context, w)));
    context.log("cache: replay");
    figures.push(await replay(context, w));
    return figures;
  },
};
