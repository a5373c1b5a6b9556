import type { StatusReason } from "./contract.js";

/** The reason in English, for logs and diagnostics. */
export function describeStatusReason(reason: StatusReason): string {
  switch (reason.code) {
    case "connecting":
      return "connecting to the platform";
    case "awaiting_hello":
      return "connected; waiting for the platform's hello";
    case "token_refused":
      return `the platform refused the console's token; check the configuration (next try ${reason.retryAt})`;
    case "protocol_refused":
      return `the platform does not speak protocol 1; check the configuration (next try ${reason.retryAt})`;
    case "unreachable":
      return `cannot reach the platform (${reason.error}); retrying in ${reason.retryInS} s`;
    case "connection_lost":
      return `connection lost (${reason.error}); retrying in ${reason.retryInS} s`;
    case "no_heartbeat":
      return `no heartbeat for ${reason.seconds} s; the feed may be stuck`;
    case "engine_stopped":
      if (reason.crashes !== undefined) return `the console's engine crashed ${reason.crashes} times within ${Math.round((reason.windowS ?? 0) / 60)} min and is no longer restarted (last: ${reason.error}); restart the console`;
      return `the console's engine stopped (${reason.error}); restart the console`;
    case "engine_restarting":
      return `the console's engine stopped unexpectedly (${reason.error}); restarting it in ${reason.retryInS} s (restart ${reason.attempt})`;
  }
}
