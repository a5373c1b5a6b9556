import type { BridgeHandlers } from "../../shared/bridge/contract.js";
import type { ConsoleEngine } from "./engine.js";

/*
 * 交接班's bridge calls. Requests are checked against the one table in
 * shared/bridge/schemas.ts (the hosts check them there too).
 */

type HandoverCalls = Pick<BridgeHandlers, "getHandover" | "writeHandover" | "acknowledgeHandover">;

const unavailable = { ok: false, error: { code: "unavailable", message: "handover is not ready yet" } } as const;

export function createHandoverHandlers(_engine: ConsoleEngine): HandoverCalls {
  return {
    getHandover: () => Promise.resolve(unavailable),
    writeHandover: () => Promise.resolve(unavailable),
    acknowledgeHandover: () => Promise.resolve(unavailable),
  };
}
