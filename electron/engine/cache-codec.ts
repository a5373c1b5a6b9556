import type { Incident } from "../../shared/protocol/types.js";
import type { CacheOp } from "./model.js";
import type { ReporterSeal } from "./reporter-seal.js";

/*
 * The text of an op in cache.journal, with a case's reporter, a report's caller and a staff phone
 * sealed (reporter-seal.ts), and the case JSON a journal record and its row share, made once.
 */

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
export function encodeOp(op: CacheOp, seal: ReporterSeal): string {
  if (op.op === "outboxPut") return JSON.stringify({ ...op, entry: { ...op.entry, command: seal.sealCommand(op.entry.command) } });
  if (op.op === "unit") return JSON.stringify({ ...op, unit: seal.sealUnit(op.unit) });
  if (op.op !== "incident") return JSON.stringify(op);
  const json = JSON.stringify(seal.sealIncident(op.incident));
  incidentJson.set(op.incident, json);
  return `{"op":"incident","incident":${json}}`;
}

export function takeIncidentJson(incident: Incident, seal: ReporterSeal): string {
  const json = incidentJson.get(incident);
  if (json === undefined) return JSON.stringify(seal.sealIncident(incident));
  incidentJson.delete(incident);
  return json;
}
