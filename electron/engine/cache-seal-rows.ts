import type { Command, Incident, Unit } from "../../shared/protocol/types.js";
import type { CacheDatabase } from "./cache-sql.js";
import type { ReporterSeal } from "./reporter-seal.js";

/*
 * Rows that releases before schema 4 (reporters, phone-in callers) and schema 7 (staff phones) kept in
 * clear, sealed once at open. What is written from then on is sealed on its way (cache-codec.ts).
 */

/**
 * Rows written by a release before reporters were sealed hold them (and phone-in callers) in clear: sealed here, once (the
 * database is in memory; until the next compaction writes it, the file on disk is the old version,
 * and a kill before then does this again at the next start).
 */
export function sealStoredReporters(database: CacheDatabase, seal: ReporterSeal): void {
  const rows = database.rows("SELECT id, data FROM incidents WHERE data LIKE '%\"reporter\"%'");
  database.apply([], () => {
    for (const [id, data] of rows) {
      const incident = JSON.parse(String(data)) as Incident;
      const sealed = seal.sealIncident(incident);
      if (sealed !== incident) database.db.run("UPDATE incidents SET data = ? WHERE id = ?", [JSON.stringify(sealed), id ?? null]);
    }
    for (const [id, text] of database.rows("SELECT command_id, command FROM outbox WHERE type = 'report'")) {
      const command = JSON.parse(String(text)) as Command;
      const sealed = seal.sealCommand(command);
      if (sealed !== command) database.db.run("UPDATE outbox SET command = ? WHERE command_id = ?", [JSON.stringify(sealed), id ?? null]);
    }
  });
}

/** Likewise staff phones, kept in clear in the units table by a release before schema 7. */
export function sealStoredStaffPhones(database: CacheDatabase, seal: ReporterSeal): void {
  const rows = database.rows("SELECT id, data FROM units WHERE data LIKE '%\"phone\"%'");
  database.apply([], () => {
    for (const [id, data] of rows) {
      const unit = JSON.parse(String(data)) as Unit;
      const sealed = seal.sealUnit(unit);
      if (sealed !== unit) database.db.run("UPDATE units SET data = ? WHERE id = ?", [JSON.stringify(sealed), id ?? null]);
    }
  });
}
