import type { BridgeHandlers } from "../../shared/bridge/contract.js";
import { parseBridgeRequest } from "../../shared/bridge/schemas.js";
import type { ConsoleEngine } from "./engine.js";

/*
 * The queue's bridge call (shared/bridge/queue.ts): a page's window of the
 * engine's queue index. The page's session (made by its shell, never sent by
 * the page) holds the filter's view until it asks for another or goes quiet.
 */

type QueueCalls = Pick<BridgeHandlers, "queueWindow">;

/** Calls made directly (tests, the engine's own use) share one session. */
const DIRECT_SESSION = "direct";

export function createQueueHandlers(engine: ConsoleEngine): QueueCalls {
  return {
    queueWindow: async (request, caller) => {
      const parsed = parseBridgeRequest("queueWindow", request ?? {});
      if (!parsed.ok) return parsed;
      if (!engine.isStarted) return { ok: false, error: { code: "unavailable", message: "the engine is starting" } };
      const { filter, offset, limit } = parsed.value;
      const now = engine.caseNow();
      engine.queue.advance(now);
      return { ok: true, value: engine.queue.window(caller?.id ?? DIRECT_SESSION, filter, offset, limit, now) };
    },
  };
}
