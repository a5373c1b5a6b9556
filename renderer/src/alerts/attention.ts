import type { IncidentView } from "../../../shared/bridge/contract.js";
import { isOpen } from "../../../shared/domain/lifecycle.js";
import { toEpochMs } from "../../../shared/domain/time.js";
import type { Alert, AlertLevel } from "../../../shared/protocol/types.js";

/*
 * What the bottom ticker shows and what makes the wall flash and sound: the
 * engine's alerts (SOS, platform alerts) and urgent cases that arrived while
 * the console was running. Pure, so the rules are tested without a DOM.
 */

export type TickerItem = {
  key: string;
  kind: "alert" | "urgent-case";
  level: AlertLevel;
  title: string;
  body?: string;
  at: string;
  incidentId?: string;
  unitId?: string;
  /** Engine alerts this item stands for, acknowledged through the bridge; an urgent-case item may carry none. */
  alertIds: string[];
};

const LEVEL_RANK: Record<AlertLevel, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Critical first, then warnings, then newest first. An engine alert about a
 * new urgent case (the platform often sends one) is folded into that case's
 * item, so the case shows once and one acknowledgement clears both.
 */
export function tickerItems(alerts: readonly Alert[], urgentCases: readonly IncidentView[]): TickerItem[] {
  const folded = new Map<string, string[]>(urgentCases.map((c) => [c.id, []]));
  const items: TickerItem[] = [];
  for (const a of alerts) {
    const into = a.incidentId === undefined ? undefined : folded.get(a.incidentId);
    if (into) {
      into.push(a.id);
      continue;
    }
    items.push({
      key: `alert:${a.id}`,
      kind: "alert",
      level: a.level,
      title: a.title,
      at: a.at,
      alertIds: [a.id],
      ...(a.body !== undefined && { body: a.body }),
      ...(a.incidentId !== undefined && { incidentId: a.incidentId }),
      ...(a.unitId !== undefined && { unitId: a.unitId }),
    });
  }
  for (const c of urgentCases) {
    items.push({
      key: `case:${c.id}`,
      kind: "urgent-case",
      level: "critical",
      title: c.title,
      body: c.address ?? c.category.minor,
      at: c.createdAt,
      incidentId: c.id,
      alertIds: folded.get(c.id) ?? [],
    });
  }
  return items.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || toEpochMs(b.at) - toEpochMs(a.at));
}

/**
 * Urgent open cases not in `known` (the ids present when the console started
 * or seen since). Cases already there at start are not news.
 */
export function newUrgentCases(incidents: Iterable<IncidentView>, known: ReadonlySet<string>): IncidentView[] {
  const found: IncidentView[] = [];
  for (const incident of incidents) {
    if (known.has(incident.id)) continue;
    if (incident.priority === "urgent" && isOpen(incident.status)) found.push(incident);
  }
  return found;
}

/** Items in `items` whose key is not in `seen`: the ones to flash and sound for. */
export const freshItems = (items: readonly TickerItem[], seen: ReadonlySet<string>): TickerItem[] => items.filter((item) => !seen.has(item.key));

export type Tone = "critical" | "urgent";

/** Silent when the setting is off and always in briefing mode (visitors in the room); critical outranks urgent. */
export function toneFor(fresh: readonly TickerItem[], soundOn: boolean, briefing: boolean): Tone | null {
  if (!soundOn || briefing || fresh.length === 0) return null;
  if (fresh.some((item) => item.kind === "alert" && item.level === "critical")) return "critical";
  if (fresh.some((item) => item.kind === "urgent-case")) return "urgent";
  if (fresh.some((item) => item.level === "critical")) return "critical";
  return null;
}
