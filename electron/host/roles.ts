import type { BridgeCallName } from "../../shared/bridge/contract.js";

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

const BRIEFING_CALLS: ReadonlySet<BridgeCallName> = new Set<BridgeCallName>(["getInitialState", "getIncident", "getDiagnostics", "getRegionLayer", "getCoverage", "getPatrolChecks", "getPatrolTrack"]);

export function mayCall(role: PageRole, name: BridgeCallName): boolean {
  return role === "operator" || BRIEFING_CALLS.has(name);
}

/** The role a request for index.html is served with: the briefing URL gets the briefing secret. */
export function roleOfPageRequest(search: string): PageRole {
  return new URLSearchParams(search).get("view") === "briefing" ? "briefing" : "operator";
}

export const FORBIDDEN_ON_BRIEFING = "简报模式不能查看个人信息或操作案件 / not allowed on the briefing screen";
