import type { SqlValue } from "sql.js";
import type { HandoverRecord } from "../../shared/bridge/contract.js";
import { parseReasons } from "../../shared/domain/attention.js";
import type { KpiDay } from "../../shared/domain/kpi-days.js";
import type { Alert, AlertLevel, Command, Incident } from "../../shared/protocol/types.js";
import type { CacheDatabase } from "./cache-sql.js";
import type { LoadedCache, Meta, StoredAcknowledgement, StoredCommand, StoredFix, Visit } from "./model.js";
import type { ReporterSeal, StoredUnit } from "./reporter-seal.js";

/*
 * The cache's rows read back into the engine's model, personal data opened (reporter-seal.ts). The
 * caller (Cache) first writes whatever is still on its way to the database.
 */

export function loadCache(database: CacheDatabase, seal: ReporterSeal): LoadedCache {
  const meta: Meta = {
    epoch: database.metaValue("epoch"),
    lastSeq: Number(database.metaValue("last_seq") ?? "0") || 0,
    dataAsOf: database.metaValue("data_as_of"),
  };
  const incidents = database.rows("SELECT data FROM incidents WHERE archived = 0").map((r) => seal.openIncident(JSON.parse(String(r[0])) as Incident));
  const units = database.rows("SELECT data, slot FROM units").map((r) => ({ unit: seal.openUnit(JSON.parse(String(r[0])) as StoredUnit), slot: typeof r[1] === "number" ? r[1] : -1 }));
  const fixes = database.rows("SELECT unit_id, lon, lat, at, heading, speed, accuracy FROM positions").map(
    (r): StoredFix => ({ unitId: String(r[0]), lon: Number(r[1]), lat: Number(r[2]), at: Number(r[3]), heading: nullableNumber(r[4]), speed: nullableNumber(r[5]), accuracy: nullableNumber(r[6]) }),
  );
  const outbox = database.rows("SELECT command, position, state, attempts, failure FROM outbox ORDER BY position").map(
    (r): StoredCommand => {
      const entry: StoredCommand = { command: seal.openCommand(JSON.parse(String(r[0])) as Command), position: Number(r[1]), state: String(r[2]) as StoredCommand["state"], attempts: Number(r[3]) };
      if (typeof r[4] === "string") entry.failure = JSON.parse(r[4]) as StoredCommand["failure"] & object;
      return entry;
    },
  );
  const alerts = database.rows("SELECT data, acknowledged FROM alerts ORDER BY at DESC LIMIT 200").map((r) => ({ alert: JSON.parse(String(r[0])) as Alert, acknowledged: r[1] === 1 }));
  const visits = database.rows("SELECT day, grid_code, unit_id, hour FROM visits").map((r): Visit => ({ day: String(r[0]), gridCode: String(r[1]), unitId: String(r[2]), hour: Number(r[3]) }));
  const acknowledgements = database.rows("SELECT item_key, level, reasons, operator_id, operator_name, at FROM acknowledgements WHERE ended_at IS NULL ORDER BY id").map(
    (r): StoredAcknowledgement => ({ key: String(r[0]), level: alertLevel(r[1]), reasons: parseReasons(String(r[2])), operator: { id: String(r[3]), name: String(r[4]) }, at: String(r[5]) }),
  );
  return { meta, incidents, units, fixes, outbox, alerts, visits, acknowledgements };
}

/** Archived cases (history) last changed at or after `sinceMs`, for the views' KPIs. */
export function archivedSince(database: CacheDatabase, seal: ReporterSeal, sinceMs: number): Incident[] {
  // updated_at is compared as an instant (the platform may write any offset); the JSON is parsed only for those kept.
  return database.rows("SELECT data, updated_at FROM incidents WHERE archived = 1")
    .filter((r) => Date.parse(String(r[1])) >= sinceMs)
    .map((r) => seal.openIncident(JSON.parse(String(r[0])) as Incident));
}

/** The recorded daily KPI aggregates, oldest first, and where the console's case history begins (epoch ms; null before the first snapshot). */
export function kpiDays(database: CacheDatabase): { days: KpiDay[]; since: number | null } {
  const days = database.rows("SELECT data FROM kpi_days ORDER BY day").map((r) => JSON.parse(String(r[0])) as KpiDay);
  const since = Date.parse(database.metaValue("kpi_history_since") ?? "");
  return { days, since: Number.isFinite(since) ? since : null };
}

/** The latest handover record (交接班) with its acknowledgement, or null before the first. */
export function latestHandover(database: CacheDatabase): HandoverRecord | null {
  const row = database.rows("SELECT record, acknowledged_at, acknowledged_by_id, acknowledged_by_name FROM handovers ORDER BY rowid DESC LIMIT 1")[0];
  if (!row) return null;
  const record = JSON.parse(String(row[0])) as HandoverRecord;
  if (typeof row[1] === "string") record.acknowledged = { at: row[1], by: { id: String(row[2]), name: String(row[3]) } };
  return record;
}

/** Acknowledgements of attention items made at or after `sinceIso`, ended ones included (the audit trail). */
export function acknowledgementsSince(database: CacheDatabase, sinceIso: string): StoredAcknowledgement[] {
  // The engine writes every `at` with toBeijingIso (one offset, fixed width), so text order is time order.
  return database.rows("SELECT item_key, level, reasons, operator_id, operator_name, at FROM acknowledgements WHERE at >= ? ORDER BY id", [sinceIso]).map(
    (r): StoredAcknowledgement => ({ key: String(r[0]), level: alertLevel(r[1]), reasons: parseReasons(String(r[2])), operator: { id: String(r[3]), name: String(r[4]) }, at: String(r[5]) }),
  );
}

/** A case as cached, archived ones included (they stay as history). */
export function cachedIncident(database: CacheDatabase, seal: ReporterSeal, id: string): Incident | undefined {
  const row = database.rows("SELECT data FROM incidents WHERE id = ?", [id])[0];
  return row ? seal.openIncident(JSON.parse(String(row[0])) as Incident) : undefined;
}

export function reveals(database: CacheDatabase, incidentId: string): { at: string; operatorId: string; reason: string | null }[] {
  return database.rows("SELECT at, operator_id, reason FROM reveals WHERE incident_id = ? ORDER BY id", [incidentId]).map((r) => ({ at: String(r[0]), operatorId: String(r[1]), reason: r[2] === null ? null : String(r[2]) }));
}

const alertLevel = (value: SqlValue | undefined): AlertLevel => (value === "critical" || value === "warning" ? value : "info");

const nullableNumber = (value: SqlValue | undefined): number | null => (typeof value === "number" ? value : null);
