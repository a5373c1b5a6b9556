import type { StatusReason } from "../../../shared/bridge/contract.js";
import { formatClock, formatShort, startOfBeijingDay, toEpochMs } from "../../../shared/domain/time.js";
import { fill } from "../i18n/index.js";

/** A Beijing time of day for today, with the date in front for older times. */
export function formatSince(iso: string | null, now: number): string | null {
  if (iso === null) return null;
  const ms = toEpochMs(iso);
  if (!Number.isFinite(ms)) return null;
  return startOfBeijingDay(ms) === startOfBeijingDay(now) ? formatClock(ms) : `${formatShort(ms)}:${formatClock(ms).slice(6)}`;
}

/** `1.2 MB` style byte counts for diagnostics. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Commands waiting: not yet accepted or refused by the platform (refused ones wait for the operator, not the network). */
export const countWaiting = (outbox: readonly { state: string }[]): number => outbox.filter((e) => e.state === "queued" || e.state === "sending").length;

type NetMessages = Record<"netTransportClose" | "netPingTimeout" | "netServerDisconnect" | "netTransportError" | "netTimeout" | "netError", string>;
type CauseMessages = Record<"engineCauseOutOfMemory" | "engineCauseExit" | "engineCauseUncaught" | "engineCauseTerminated" | "engineCauseStartTimeout" | "engineCauseStartFailed", string>;
type ReasonMessages = NetMessages &
  CauseMessages &
  Record<"reasonConnecting" | "reasonAwaitingHello" | "reasonTokenRefused" | "reasonProtocolRefused" | "reasonUnreachable" | "reasonConnectionLost" | "reasonNoHeartbeat" | "reasonEngineStopped" | "reasonEngineGaveUp" | "reasonEngineRestarting", string>;

/** Socket.IO's own words for a lost or failed connection; anything else is shown as the socket gave it. */
const NET_ERRORS: Record<string, keyof NetMessages> = {
  "transport close": "netTransportClose",
  "ping timeout": "netPingTimeout",
  "io server disconnect": "netServerDisconnect",
  "transport error": "netTransportError",
  timeout: "netTimeout",
  "websocket error": "netError",
  "xhr poll error": "netError",
  "xhr post error": "netError",
};

const netError = (error: string, t: NetMessages): string => {
  const key = NET_ERRORS[error];
  return key ? t[key] : error;
};

const ENGINE_CAUSES: Record<string, keyof CauseMessages> = {
  out_of_memory: "engineCauseOutOfMemory",
  uncaught_error: "engineCauseUncaught",
  terminated: "engineCauseTerminated",
  start_timeout: "engineCauseStartTimeout",
  start_failed: "engineCauseStartFailed",
};

/**
 * Why the engine's thread died, from the supervisor's cause code
 * (electron/engine/worker/supervisor.ts: out_of_memory, exit <code>, …), in
 * the page's language; anything else is shown as given.
 */
export function engineCauseText(cause: string, t: CauseMessages): string {
  const exit = /^exit (-?\d+)$/.exec(cause);
  if (exit) return fill(t.engineCauseExit, { code: exit[1] ?? "" });
  const key = ENGINE_CAUSES[cause];
  return key ? t[key] : cause;
}

/** Why the connection is where it is, in the page's language (times in Beijing time). */
export function statusReasonText(reason: StatusReason, t: ReasonMessages, now: number): string {
  switch (reason.code) {
    case "connecting":
      return t.reasonConnecting;
    case "awaiting_hello":
      return t.reasonAwaitingHello;
    case "token_refused":
      return fill(t.reasonTokenRefused, { time: formatSince(reason.retryAt, now) ?? "—" });
    case "protocol_refused":
      return fill(t.reasonProtocolRefused, { time: formatSince(reason.retryAt, now) ?? "—" });
    case "unreachable":
      return fill(t.reasonUnreachable, { error: netError(reason.error, t), seconds: reason.retryInS });
    case "connection_lost":
      return fill(t.reasonConnectionLost, { error: netError(reason.error, t), seconds: reason.retryInS });
    case "no_heartbeat":
      return fill(t.reasonNoHeartbeat, { seconds: reason.seconds });
    case "engine_stopped":
      if (reason.crashes !== undefined) return fill(t.reasonEngineGaveUp, { error: engineCauseText(reason.error, t), crashes: reason.crashes, minutes: Math.round((reason.windowS ?? 0) / 60) });
      return fill(t.reasonEngineStopped, { error: engineCauseText(reason.error, t) });
    case "engine_restarting":
      return fill(t.reasonEngineRestarting, { error: engineCauseText(reason.error, t), seconds: reason.retryInS, attempt: reason.attempt });
  }
}
