import { useSyncExternalStore } from "react";
import type { Bridge, BridgeEventName, BridgeEvents } from "../../../shared/bridge/contract.js";
import { BRIDGE_EVENTS } from "../../../shared/bridge/contract.js";
import { CASES_PER_CALL } from "../../../shared/bridge/schemas.js";
import { loadRosterAndMarkers } from "../bridge/resync.js";
import { applyInitial, casesFetched, initialDataState, setHeld, updaters, type DataState } from "./data.js";

/**
 * Holds `DataState` and feeds it from the bridge. Bursts of events are merged:
 * positions are published at most once per animation frame, so a storm of
 * fixes costs one React render, not hundreds. Everything else (cases, outbox,
 * alerts, status) is published in the next macrotask: under software WebGL a
 * frame of the map can take seconds, and the queue must not wait for it.
 */
/** How soon a getCases that was not answered is asked again. */
const FETCH_RETRY_MS = 2_000;

export class DataStore {
  private state: DataState = initialDataState();
  private listeners = new Set<() => void>();
  private scheduled = false;
  private soon: MessageChannel | null = null;
  private soonScheduled = false;
  private unsubscribe: (() => void)[] = [];
  /** How many holders each held case has (hold / its release). */
  private readonly holders = new Map<string, number>();
  private readonly retries = new Set<ReturnType<typeof setTimeout>>();

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
    // The staff and the map's markers follow in messages of their own, through the events' own updaters.
    void loadRosterAndMarkers(this.bridge, (name, payload) => this.receive(name, payload));
  }

  stop(): void {
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
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

  /**
   * Holds cases for as long as the returned release is not called: they are asked for (getCases) and then kept
   * current by the `incidents` event. A page holds only the cases it shows one by one (issue 14: the page
   * subscribes to what it shows); several holders of one case share it.
   */
  hold(ids: readonly string[]): () => void {
    const fresh = ids.filter((id) => !this.holders.has(id));
    for (const id of ids) this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
    if (fresh.length > 0) {
      this.state = setHeld(this.state, new Set(this.holders.keys()));
      void this.fetch(fresh);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      let changed = false;
      for (const id of ids) {
        const count = (this.holders.get(id) ?? 1) - 1;
        if (count > 0) this.holders.set(id, count);
        else changed = this.holders.delete(id) || changed;
      }
      if (changed) {
        this.state = setHeld(this.state, new Set(this.holders.keys()));
        this.scheduleSoon();
      }
    };
  }

  /** Asks the engine for held cases; its answer comes on the same ordered channel as its pushes, so it is as new as any push before it. */
  private async fetch(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += CASES_PER_CALL) {
      const asked = ids.slice(i, i + CASES_PER_CALL);
      const result = await this.bridge.call("getCases", { ids: asked });
      if (!result.ok) {
        // Not answered (the engine restarting, the bridge down): asked again shortly for those still held, and after any reset.
        this.retrySoon(asked);
        continue;
      }
      this.state = casesFetched(this.state, asked, result.value);
      this.scheduleSoon();
    }
  }

  private retrySoon(ids: readonly string[]): void {
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      const still = ids.filter((id) => this.holders.has(id) && !this.state.incidents.has(id) && !this.state.missing.has(id));
      if (still.length > 0) void this.fetch(still);
    }, FETCH_RETRY_MS);
    this.retries.add(timer);
  }

  private receive<K extends BridgeEventName>(name: K, payload: BridgeEvents[K]): void {
    this.state = updaters[name](this.state, payload);
    // Every case may have changed (a new feed epoch, a resync after a reconnect): ask again for those held.
    if (name === "incidents" && (payload as BridgeEvents["incidents"]).reset && this.holders.size > 0) void this.fetch([...this.holders.keys()]);
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
