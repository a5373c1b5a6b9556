import { pruneRecovered } from "./cache-recovery.js";
import type { CacheDatabase } from "./cache-sql.js";
import type { ReporterSeal } from "./reporter-seal.js";

/*
 * The cache's retention: which rows (and copies in recovered/) are old enough to delete. The caller
 * (Cache) first writes whatever is still on its way to the database.
 */

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/**
 * How long a reveal of a reporter stays in the audit table, whatever the cases' retention: it is an
 * audit (who looked at whose phone, and why), asked for after the case itself is long gone.
 */
export const REVEAL_AUDIT_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Closed, rejected and archived cases last changed before `cutoffMs`, alerts beyond the newest 200,
 * reveal audit rows older than REVEAL_AUDIT_DAYS, and files in recovered/ older than `cutoffMs` are
 * deleted (secure_delete zeroes the rows in the file at the next compaction). Returns how many cases.
 */
export function pruneCases(database: CacheDatabase, seal: ReporterSeal, dataDir: string, log: Log, cutoffMs: number, nowMs: number): number {
  // Compared as instants, not strings: the platform may write any offset.
  const expired = database.rows("SELECT id, updated_at FROM incidents WHERE status IN ('closed', 'rejected') OR archived = 1").filter((r) => Date.parse(String(r[1])) < cutoffMs);
  const revealCutoff = nowMs - REVEAL_AUDIT_DAYS * DAY_MS;
  const expiredReveals = database.rows("SELECT id, at FROM reveals").filter((r) => Date.parse(String(r[1])) < revealCutoff);
  database.apply([], () => {
    for (const [id] of expired) {
      database.db.run("DELETE FROM incidents WHERE id = ?", [id ?? null]);
      seal.forget(String(id));
    }
    for (const [id] of expiredReveals) database.db.run("DELETE FROM reveals WHERE id = ?", [id ?? null]);
    database.db.run("DELETE FROM alerts WHERE id NOT IN (SELECT id FROM alerts ORDER BY at DESC LIMIT 200)");
  });
  const removed = pruneRecovered(dataDir, cutoffMs);
  if (removed > 0) log("info", "removed copies in recovered/ past the retention", { files: removed });
  return expired.length;
}

/** Patrol visits of Beijing days before `oldestDay` (YYYY-MM-DD) are deleted. */
export function pruneVisits(database: CacheDatabase, oldestDay: string): void {
  database.db.run("DELETE FROM visits WHERE day < ?", [oldestDay]);
}

/** Daily KPI aggregates of Beijing days before `oldestDay` (YYYY-MM-DD) are deleted. */
export function pruneKpiDays(database: CacheDatabase, oldestDay: string): void {
  database.apply([], () => database.db.run("DELETE FROM kpi_days WHERE day < ?", [oldestDay]));
}
