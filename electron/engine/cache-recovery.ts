import { existsSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Database, SqlJsStatic } from "sql.js";
import { writeFileAtomicSync } from "./atomic-file.js";
import { ensurePrivateDirectory, tightenFile } from "./disk.js";

/* Opening a cache file that may be damaged, and keeping a damaged one for inspection. */

export const CACHE_FILE = "cache.sqlite";
export const JOURNAL_FILE = "cache.journal";
export const RECOVERED_DIR = "recovered";

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export function openChecked(SQL: SqlJsStatic, bytes: Uint8Array): Database {
  const db = new SQL.Database(bytes);
  try {
    // quick_check finds torn and garbled pages at a tenth of integrity_check's cost: cold start has a 2 s budget.
    const check = db.exec("PRAGMA quick_check")[0]?.values[0]?.[0];
    if (check !== "ok") throw new Error(`integrity check failed: ${String(check)}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Keeps a cache that cannot be used for inspection under recovered/, with its journal. */
export function moveAside(dataDir: string, reason: string, log: Log): string {
  const dir = join(dataDir, RECOVERED_DIR);
  ensurePrivateDirectory(dir);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const movedTo = join(dir, `cache-${stamp}.sqlite`);
  if (existsSync(join(dataDir, CACHE_FILE))) {
    renameSync(join(dataDir, CACHE_FILE), movedTo);
    tightenFile(movedTo);
  }
  const journal = join(dataDir, JOURNAL_FILE);
  if (existsSync(journal)) {
    const journalMovedTo = join(dir, `cache-${stamp}.journal`);
    renameSync(journal, journalMovedTo);
    tightenFile(journalMovedTo);
  }
  writeFileAtomicSync(join(dir, `cache-${stamp}.reason.txt`), Buffer.from(`${reason}\n`, "utf8"));
  log("error", "cache was unreadable; moved it aside and rebuilding from the platform", { movedTo, reason });
  return movedTo;
}

/** Removes the files in recovered/ last changed before `cutoffMs` (they hold cases and reporters too); how many. */
export function pruneRecovered(dataDir: string, cutoffMs: number): number {
  const dir = join(dataDir, RECOVERED_DIR);
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path);
    if (!stats.isFile() || stats.mtimeMs >= cutoffMs) continue;
    unlinkSync(path);
    removed++;
  }
  return removed;
}

/**
 * Keeps a journal damaged in the middle under recovered/ before it is cut: the records after the damage
 * (changes, queued commands) are not replayed, but they are not lost. Returns the copy's path.
 */
export function keepDamagedJournal(dataDir: string, bytes: Uint8Array, reason: string, log: Log): string {
  const dir = join(dataDir, RECOVERED_DIR);
  ensurePrivateDirectory(dir);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const copy = join(dir, `cache-${stamp}.damaged.journal`);
  writeFileAtomicSync(copy, bytes);
  writeFileAtomicSync(join(dir, `cache-${stamp}.reason.txt`), Buffer.from(`${reason}\n`, "utf8"));
  log("error", "cache journal damaged in the middle: kept a copy, replayed what came before the damage", { copy, reason });
  return copy;
}
