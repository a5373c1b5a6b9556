import type { BridgeCallName, BridgeCalls, BridgeHandlers, Result } from "../../shared/bridge/contract.js";
import { parseBridgeRequest } from "../../shared/bridge/schemas.js";
import type { Operator } from "../../shared/protocol/types.js";
import { diskFullMessage, isDiskFull } from "./disk.js";
import type { ConsoleEngine } from "./engine.js";
import { outboxEntry } from "./bridge-objects.js";

/*
 * 交接班's bridge calls. Requests are checked against the one table in
 * shared/bridge/schemas.ts (the hosts check them there too). A record and an
 * acknowledgement are on disk (the journal) before the call answers.
 */

type HandoverCalls = Pick<BridgeHandlers, "getHandover" | "writeHandover" | "acknowledgeHandover" | "getHandoverRecord">;
/** A record asked for that is not there: a value across the bridge, not an internal error. */
class NotFound extends Error {}

type Response<K extends BridgeCallName> = Promise<Result<BridgeCalls[K]["response"]>>;

export function createHandoverHandlers(engine: ConsoleEngine): HandoverCalls {
  /** The console's operator, under the name the person at the desk gave. */
  const operator = (name: string | undefined): Operator => (name ? { ...engine.options.settings.operator, name } : engine.options.settings.operator);

  function guarded<K extends BridgeCallName>(name: K, request: unknown, body: (request: BridgeCalls[K]["request"]) => BridgeCalls[K]["response"]): Response<K> {
    const parsed = parseBridgeRequest(name, request);
    if (!parsed.ok) return Promise.resolve(parsed);
    if (!engine.isStarted) return Promise.resolve({ ok: false, error: { code: "unavailable", message: "the engine is starting" } });
    try {
      return Promise.resolve({ ok: true, value: body(parsed.value) });
    } catch (error) {
      if (error instanceof NotFound) return Promise.resolve({ ok: false, error: { code: "not_found", message: error.message } });
      engine.options.log?.("error", `bridge call ${name} failed`, { error: String(error) });
      // Not kept, so not done: the operator is told why and can do it again.
      if (isDiskFull(error)) return Promise.resolve({ ok: false, error: { code: "unavailable", message: diskFullMessage(engine.options.dataDir) } });
      return Promise.resolve({ ok: false, error: { code: "internal", message: `${name} failed: ${(error as Error).message}` } });
    }
  }

  return {
    getHandoverRecord: (request) =>
      guarded("getHandoverRecord", request, ({ id }) => {
        const latest = engine.cache.latestHandover();
        if (!latest || (id !== undefined && latest.id !== id)) throw new NotFound(id === undefined ? "no handover record yet" : `no handover record ${id} (only the latest is kept for printing)`);
        return latest;
      }),
    getHandover: (request) => guarded("getHandover", request, () => ({ pending: engine.handover.pending(), shiftFrom: engine.handover.shiftStartedAt })),
    writeHandover: (request) =>
      guarded("writeHandover", request, ({ note, name }) => {
        const { record, op } = engine.handover.write(note, operator(name), Date.now(), {
          incidents: (sinceMs) => {
            const byId = new Map(engine.cache.archivedSince(sinceMs).map((incident) => [incident.id, incident]));
            for (const incident of engine.replica.incidents.values()) byId.set(incident.id, incident);
            return byId.values();
          },
          outbox: () => engine.outbox.list().map(outboxEntry),
          attention: () => engine.attention.list(),
          acknowledgements: (sinceIso) => engine.cache.acknowledgementsSince(sinceIso),
        });
        engine.cache.write([op]);
        engine.handover.written(record);
        return record;
      }),
    acknowledgeHandover: (request) =>
      guarded("acknowledgeHandover", request, ({ id, name }) => {
        const op = engine.handover.acknowledge(id, operator(name), Date.now());
        if (!op) return { acknowledged: false };
        engine.cache.write([op]);
        engine.handover.acknowledged(op.id, op.by, op.at);
        return { acknowledged: true };
      }),
  };
}
