import { afterEach, describe, expect, it } from "vitest";
import type { Bridge, BridgeEventName, BridgeEvents } from "../../../shared/bridge/contract.js";
import { incidentView } from "../../../shared/domain/fixtures/incident-view.js";
import { DataStore } from "./store.js";

type Listener = (payload: never) => void;

/** A bridge that only pushes events; its initial state is refused, which `start` reports after subscribing. */
function fakeBridge(): { bridge: Bridge; emit: <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => void } {
  const listeners = new Map<string, Listener[]>();
  const bridge: Bridge = {
    call: () => Promise.resolve({ ok: false, error: { code: "unavailable", message: "test" } }),
    on: (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as Listener]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
    },
  };
  const emit = <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => {
    for (const listener of listeners.get(name) ?? []) (listener as (p: BridgeEvents[K]) => void)(payload);
  };
  return { bridge, emit };
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe("data store publishing", () => {
  let store: DataStore | null = null;
  afterEach(() => store?.stop());

  it("publishes a case in the next macrotask, merging a burst into one publish", async () => {
    const { bridge, emit } = fakeBridge();
    store = new DataStore(bridge);
    await expect(store.start()).rejects.toThrow(/unavailable/);
    let published = 0;
    store.subscribe(() => published++);
    emit("outbox", []);
    emit("alerts", []);
    expect(published).toBe(0);
    await nextTask();
    await nextTask();
    expect(published).toBe(1);
    expect(store.getState().outbox).toEqual([]);
  });

  it("holds the cases a view shows: asks the engine for them, keeps them current, asks again after a reset, and lets them go", async () => {
    const { bridge, emit } = fakeBridge();
    const asked: string[][] = [];
    let version = 1;
    bridge.call = ((name: string, request: { ids: string[] }) => {
      if (name !== "getCases") return Promise.resolve({ ok: false, error: { code: "unavailable", message: "test" } });
      asked.push(request.ids);
      return Promise.resolve({ ok: true, value: request.ids.filter((id) => id !== "gone").map((id) => incidentView(id, { version })) });
    }) as Bridge["call"];
    store = new DataStore(bridge);
    await expect(store.start()).rejects.toThrow(/unavailable/);
    const release = store.hold(["A", "gone"]);
    const again = store.hold(["A"]);
    await nextTask();
    expect(asked).toEqual([["A", "gone"]]);
    expect(store.getState().incidents.get("A")?.version).toBe(1);
    expect(store.getState().missing.has("gone")).toBe(true);
    emit("incidents", { upserts: [incidentView("A", { version: 2 }), incidentView("B")], removed: [], reset: false });
    expect(store.getState().incidents.get("A")?.version).toBe(2);
    expect(store.getState().incidents.has("B")).toBe(false);
    version = 3;
    emit("incidents", { upserts: [], removed: [], reset: true });
    await nextTask();
    expect(asked.at(-1)).toEqual(["A", "gone"]);
    expect(store.getState().incidents.get("A")?.version).toBe(3);
    release();
    expect([...store.getState().held]).toEqual(["A"]);
    again();
    expect(store.getState().incidents.size).toBe(0);
  });

  it("asks again for a held case whose getCases was not answered (the engine restarting), and not for one let go", async () => {
    const { bridge } = fakeBridge();
    const asked: string[][] = [];
    bridge.call = ((name: string, request: { ids: string[] }) => {
      if (name !== "getCases") return Promise.resolve({ ok: false, error: { code: "unavailable", message: "test" } });
      asked.push(request.ids);
      if (asked.length === 1) return Promise.resolve({ ok: false, error: { code: "unavailable", message: "the engine is restarting" } });
      return Promise.resolve({ ok: true, value: request.ids.map((id) => incidentView(id)) });
    }) as Bridge["call"];
    store = new DataStore(bridge);
    await expect(store.start()).rejects.toThrow(/unavailable/);
    store.hold(["A"]);
    const letGo = store.hold(["B"]);
    await nextTask();
    expect(asked).toEqual([["A"], ["B"]]);
    expect(store.getState().incidents.has("A")).toBe(false);
    letGo();
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(asked).toEqual([["A"], ["B"], ["A"]]);
    expect(store.getState().incidents.get("A")?.id).toBe("A");
  });
});
