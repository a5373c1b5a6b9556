import type { BridgeCallName, BridgeCalls, BridgeHandlers, CallerSession, Result } from "../../shared/bridge/contract.js";
import { isBridgeCallName, parseBridgeRequest } from "../../shared/bridge/schemas.js";

/*
 * The one path from a view's call to the engine, used by both hosts: the name
 * is checked against the contract, the request against its schema, and a
 * handler that throws becomes an `internal` error value instead of a crash or a
 * hung call. `BridgeHandlers` is a mapped type over the contract, so a call the
 * engine does not handle fails the build where the engine is created.
 * `caller` is the page's session as the shell made it (./caller-session.ts),
 * handed to the handler beside the request and never merged into it: the
 * request schemas refuse unknown fields, so a page that sends a session of its
 * own in its request is refused, and one in the call's envelope is not read.
 */

export type DispatchLog = (level: "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export async function dispatchCall(handlers: BridgeHandlers, name: unknown, request: unknown, caller: CallerSession | undefined, log?: DispatchLog): Promise<Result<unknown>> {
  if (!isBridgeCallName(name)) {
    log?.("warn", "bridge call refused: unknown name", { name: String(name).slice(0, 64) });
    return { ok: false, error: { code: "invalid", message: "unknown call" } };
  }
  return invoke(handlers, name, request, caller, log);
}

async function invoke<K extends BridgeCallName>(handlers: BridgeHandlers, name: K, request: unknown, caller: CallerSession | undefined, log?: DispatchLog): Promise<Result<BridgeCalls[K]["response"]>> {
  const parsed = parseBridgeRequest(name, request);
  if (!parsed.ok) {
    log?.("warn", "bridge call refused: invalid request", { name, reason: parsed.error.message });
    return parsed;
  }
  const handler: BridgeHandlers[K] = handlers[name];
  try {
    return await handler(parsed.value, caller);
  } catch (error) {
    log?.("error", "bridge handler threw", { name, error: error instanceof Error ? error.message : String(error) });
    return { ok: false, error: { code: "internal", message: `${name} failed` } };
  }
}
