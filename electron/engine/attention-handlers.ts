import type { BridgeCalls, BridgeHandlers, Result } from "../../shared/bridge/contract.js";
import { parseBridgeRequest } from "../../shared/bridge/schemas.js";
import { diskFullMessage, isDiskFull } from "./disk.js";
import type { ConsoleEngine } from "./engine.js";

/*
 * The attention list's bridge calls. Requests are checked against the one
 * table in shared/bridge/schemas.ts (the hosts check them there too), not a
 * second copy.
 */

type AttentionCalls = Pick<BridgeHandlers, "acknowledgeAttention">;

export function createAttentionHandlers(engine: ConsoleEngine): AttentionCalls {
  return {
    acknowledgeAttention: async (request): Promise<Result<BridgeCalls["acknowledgeAttention"]["response"]>> => {
      const parsed = parseBridgeRequest("acknowledgeAttention", request);
      if (!parsed.ok) return parsed;
      if (!engine.isStarted) return { ok: false, error: { code: "unavailable", message: "the engine is starting" } };
      try {
        return { ok: true, value: { acknowledged: engine.acknowledgeAttention(parsed.value.key) } };
      } catch (error) {
        engine.options.log?.("error", "bridge call acknowledgeAttention failed", { error: String(error) });
        // Not kept, so not acknowledged: the operator is told why and can do it again.
        if (isDiskFull(error)) return { ok: false, error: { code: "unavailable", message: diskFullMessage(engine.options.dataDir) } };
        return { ok: false, error: { code: "internal", message: `acknowledgeAttention failed: ${(error as Error).message}` } };
      }
    },
  };
}
