import { useSyncExternalStore } from "react";
import type { Bridge, BridgeEventName, BridgeEvents } from "../../../shared/bridge/contract.js";
import { BRIDGE_EVENTS } from "../../../shared/bridge/contract.js";
import { applyInitial, initialDataState, updaters, type DataState } from "./data.js";

/**
 * Holds `DataState` and feeds it from the bridge. Bursts of events are merged:
 * positions are published at most once per animation frame, so a storm of
 * fixes costs one React render, not hundreds. Everything else (cases, outbox,
 * alerts, status) is published in the next macrotask: under software WebGL a
 * frame of the map can take seconds, and the queue must not wait for it.
 */
export class DataStore {
  private state: DataState = initialDataState();
  private listeners = new Set<() => void>();
  private scheduled = false;
  private soon: MessageChannel | null = null;
  private soonScheduled = false;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly bridge: Bridge) {}

  /** A started store: listening and holding the initial state; one whose start failed stops listening and the error is thrown. */
  static async open(bridge: Bridge): Promise<DataStore> {
    const data = new DataStore(bridge);
    try {
      await data.start();
    } catch (error) {
      data.stop();
      throw error;
    }
    return data;
  }

  async start(): Promise<void> {
    for (const name of BRIDGE_EVENTS) {
      this.unsubscribe.push(this.bridge.on(name, (payload) => this.receive(name, payload)));
    }
    const initial = await this.bridge.call("getInitialState", {});
    if (!initial.ok) throw new Error(`${initial.error.code}: ${initial.error.message}`);
    this.state = applyInitial(this.state, initial.value);
    this.publish();
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.soon?.port1.close();
    this.soon = null;
  }

  getState = (): DataState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private receive<K extends BridgeEventName>(name: K, payload: BridgeEvents[K]): void {
    this.state = updaters[name](this.state, payload);
    if (name === "positions") this.schedule();
    else this.scheduleSoon();
  }

  /** Publishes in the next macrotask (a MessageChannel message), not in the next frame. */
  private scheduleSoon(): void {
    if (this.soonScheduled) return;
    this.soonScheduled = true;
    if (typeof MessageChannel !== "function") {
      setTimeout(() => this.flushSoon(), 0);
      return;
    }
    if (!this.soon) {
      this.soon = new MessageChannel();
      this.soon.port1.onmessage = () => this.flushSoon();
    }
    this.soon.port2.postMessage(null);
  }

  private flushSoon(): void {
    this.soonScheduled = false;
    this.publish();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.publish();
    };
    if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(run);
    else setTimeout(run, 50);
  }

  private publish(): void {
    for (const listener of this.listeners) listener();
  }
}

export function useData<T>(store: DataStore, select: (state: DataState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
