import { randomBytes } from "node:crypto";
import type { CallerSession, CallerView } from "../../shared/bridge/contract.js";
import { toBeijingIso } from "../../shared/domain/time.js";
import type { PageRole } from "./roles.js";

/*
 * The session a shell gives each bridge connection (the web host's WebSocket,
 * Electron's webContents), passed to the engine beside every request so that
 * an audit row (a reporter reveal) names the page that asked. Made here, never
 * from a value the page sends: the id is 128 random bits.
 */

const VIEWS: ReadonlySet<string> = new Set<CallerView>(["briefing", "patrols"]);

/** The view a page was opened as, from its query (`?view=patrols`); anything else is the console. */
export function viewOfSearch(search: string): CallerView {
  const view = new URLSearchParams(search).get("view");
  return view !== null && VIEWS.has(view) ? (view as CallerView) : "console";
}

export function newCallerSession(role: PageRole, view: CallerView, now: number = Date.now()): CallerSession {
  return { id: randomBytes(16).toString("hex"), startedAt: toBeijingIso(now), role, view };
}
