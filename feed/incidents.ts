import { LIMITS } from "../shared/protocol/limits.js";
import type { HistoryEntry, Incident } from "../shared/protocol/types.js";
import { toBeijingIso } from "../shared/domain/time.js";

/** A new version of a case: version + 1, updatedAt, and a history line (newest last, at most 50). */
export function changeIncident(
  incident: Incident,
  change: Partial<Omit<Incident, "id" | "version" | "history" | "createdAt" | "updatedAt">>,
  at: number,
  entry: { action: string; actor: string; note?: string },
): Incident {
  const line: HistoryEntry = { at: toBeijingIso(at), action: entry.action, actor: entry.actor };
  if (entry.note !== undefined && entry.note !== "") line.note = entry.note;
  const history = [...incident.history, line];
  return {
    ...incident,
    ...change,
    version: incident.version + 1,
    updatedAt: line.at,
    history: history.length > LIMITS.historyEntries ? history.slice(-LIMITS.historyEntries) : history,
  };
}

/** Platform case numbers: district prefix, Beijing date, running number. */
export function caseNumber(prefix: string, at: number, counter: number): string {
  return `${prefix}${toBeijingIso(at).slice(0, 10).replaceAll("-", "")}${String(counter).padStart(6, "0")}`;
}

export function hoursLater(at: number, hours: number): string {
  return toBeijingIso(at + hours * 3600_000);
}
