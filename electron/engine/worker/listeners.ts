import type { BridgeEventName, BridgeEvents } from "../../../shared/bridge/contract.js";
import type { EngineOptions } from "../api.js";

type Listener = (payload: BridgeEvents[BridgeEventName]) => void;

/**
 * The engine's event listeners as a shell holds them (WorkerEngine, the
 * supervisor): added per event, told in order, and one that throws is logged
 * and does not keep the others from hearing.
 */
export class EngineListeners {
  private readonly byEvent = new Map<BridgeEventName, Set<Listener>>();

  constructor(private readonly log: () => EngineOptions["log"]) {}

  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => void set.delete(listener as Listener);
  }

  emit(name: BridgeEventName, payload: BridgeEvents[BridgeEventName]): void {
    for (const listener of this.byEvent.get(name) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.log()?.("error", "an engine event listener threw", { event: name, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
