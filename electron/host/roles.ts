import { scrubPhones } from "../../shared/domain/notable.js";
import type { AttentionTicker, BridgeCallName, BridgeCalls, BridgeEventName, BridgeEvents, Result } from "../../shared/bridge/contract.js";
import type { Alert } from "../../shared/protocol/types.js";

/*
 * What a page may do over the web host's bridge depends on how it was served,
 * never on what it says about itself. index.html carries a per-launch secret;
 * the briefing page (`/?view=briefing`) gets a different one, and the socket
 * that presents it is a briefing socket for its whole life. Briefing is the
 * leaders' read-only wall that visitors see (DESIGN.md): it may read the
 * (masked) picture and nothing else, so personal data cannot be revealed from
 * it and no case can be moved from it, whatever script runs in the page.
 */

export type PageRole = "operator" | "briefing";

// queueWindow is the operator's: the briefing page shows no queue (its cases come masked with the picture), so it may not page through one.
// getWall: what an operator pushed (ids and the pusher's name, shared/bridge/wall.ts); the wall draws it from its masked picture.
// getCases: the case pushed to the wall, masked as its picture is. getPastAddresses is the operator's (a report's address search).
const BRIEFING_CALLS: ReadonlySet<BridgeCallName> = new Set<BridgeCallName>(["getInitialState", "getRoster", "getIncidentMarkers", "getIncident", "getCases", "getDiagnostics", "getRegionLayer", "getCoverage", "getPatrolChecks", "getPatrolTrack", "getWall"]);

export function mayCall(role: PageRole, name: BridgeCallName): boolean {
  return role === "operator" || BRIEFING_CALLS.has(name);
}

/** The role a request for index.html is served with: the briefing URL gets the briefing secret. */
export function roleOfPageRequest(search: string): PageRole {
  return new URLSearchParams(search).get("view") === "briefing" ? "briefing" : "operator";
}

export const FORBIDDEN_ON_BRIEFING = "简报模式不能查看个人信息或操作案件 / not allowed on the briefing screen";

/*
 * What a briefing page reads of a case: everything it draws (title, category,
 * place, status, deadlines, a rating), never the free text a reporter, a
 * resident or an operator wrote (the description, the notes in its history,
 * the note of the 回访), which can name people or say more than a visitor
 * should read; phone-like runs in the title are masked. Applied by each shell to what it sends a briefing page,
 * whatever that page asks.
 */
function withoutFreeText<T extends { title?: string; description?: string; history?: { note?: string }[]; evaluation?: { note?: string } }>(incident: T): T {
  const title = incident.title === undefined ? undefined : scrubPhones(incident.title);
  if (title === incident.title && incident.description === undefined && incident.evaluation?.note === undefined && !incident.history?.some((entry) => entry.note !== undefined)) return incident;
  const { description: _description, ...rest } = incident;
  const out: Record<string, unknown> = rest;
  // A title is typed by people too: a number a hotline operator typed into it is masked, as on the briefing's lists.
  if (title !== undefined) out.title = title;
  if (incident.history) out.history = incident.history.map(({ note: _note, ...entry }) => entry);
  if (incident.evaluation) {
    const { note: _note, ...evaluation } = incident.evaluation;
    out.evaluation = evaluation;
  }
  return out as T;
}

/*
 * The attention list is the operator's (the briefing shows no ticker): a briefing page gets its counts, not its
 * items (case titles, addresses, the platform's alert texts). The feed's alerts it keeps for the map (a staff
 * member's SOS place), their titles' phone-like runs masked and their free-text bodies left out.
 */
const tickerCounts = (ticker: AttentionTicker): AttentionTicker => ({ ...ticker, items: [] });

function alertWithoutText(alert: Alert): Alert {
  const { body: _body, ...rest } = alert;
  return { ...rest, title: scrubPhones(alert.title) };
}

/** A reply for a briefing page (as the dispatcher gives it: checked against the contract, typed by the call's name). */
export function briefingReply(name: BridgeCallName, result: Result<unknown>): Result<unknown> {
  if (!result.ok) return result;
  if (name === "getInitialState") {
    const state = result.value as BridgeCalls["getInitialState"]["response"];
    return { ok: true, value: { ...state, attentionTicker: tickerCounts(state.attentionTicker), alerts: state.alerts.map(alertWithoutText) } };
  }
  if (name === "getCases") return { ok: true, value: (result.value as BridgeCalls["getCases"]["response"]).map(withoutFreeText) };
  if (name === "getIncident") return { ok: true, value: withoutFreeText(result.value as BridgeCalls["getIncident"]["response"]) };
  return result;
}

/** A pushed event for a briefing page. */
export function briefingEvent<K extends BridgeEventName>(name: K, payload: BridgeEvents[K]): BridgeEvents[K] {
  if (name === "incidents") {
    const changes = payload as BridgeEvents["incidents"];
    return { ...changes, upserts: changes.upserts.map(withoutFreeText) } as BridgeEvents[K];
  }
  if (name === "attentionTicker") return tickerCounts(payload as BridgeEvents["attentionTicker"]) as BridgeEvents[K];
  if (name === "alerts") return (payload as BridgeEvents["alerts"]).map(alertWithoutText) as BridgeEvents[K];
  return payload;
}
