import type { BridgeError } from "../../../shared/bridge/contract.js";
import { fill } from "../i18n/index.js";

/**
 * What a form says when sendCommand did not answer ok. `unknown_outcome`
 * (the engine's thread died while taking the command, which may already be in
 * the outbox and be sent by the restarted engine) is never worded as "not
 * submitted": an operator who believed that would submit it again, and a
 * second commandId would dispatch or report twice.
 */
export function sendFailureText(t: { sendFailed: string; sendOutcomeUnknown: string }, error: BridgeError): string {
  if (error.code === "unknown_outcome") return t.sendOutcomeUnknown;
  return fill(t.sendFailed, { message: error.message });
}
