import { afterEach, describe, expect, it } from "vitest";
import { BRIDGE_EVENTS, type Bridge, type BridgeCallName, type BridgeEventName, type BridgeEvents, type ConnectionStatus, type InitialState, type Result } from "../../../shared/bridge/contract.js";
import { DataStore } from "../state/store.js";
import { bootConsole, type BootPhase } from "./boot-loop.js";

/*
 * The boot of a page against a scripted bridge: getInitialState answers as
 * the script says (as the web host does while the engine restarts), status
 * events are pushed as the host would, and each try starts a real DataStore.
 */

const status: ConnectionStatus = { state: "live", since: "2026-12-06T08:00:00.000Z", dataAsOf: null, epoch: null, lastSeq: 0 };
const initial = {
  settings: { language: "zh-CN" },
  status,
  alerts: [],
  outbox: [],
  attentionTicker: { items: [], total: 0, waiting: 0, criticalWaiting: 0, criticalAlertWaiting: false },
} as unknown as InitialState;

type Answer = Result<unknown>;
const unavailable: Answer = { ok: false, error: { code: "unavailable", message: "the console's engine is restarting and did not come back within 15 s; try again in a moment" } };

function scriptedBridge(answers: Answer[]): { bridge: Bridge; calls: BridgeCallName[]; push: <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => void; listeners: () => number } {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const calls: BridgeCallName[] = [];
  const bridge = {
    call: (name: BridgeCallName) => {
      calls.push(name);
      // The staff follow the initial state in a call of their own once the page is up.
      if (name === "getRoster") return Promise.resolve({ ok: true, value: { units: [], positions: { data: new Float64Array(0) } } });
      if (name === "getIncidentMarkers") return Promise.resolve({ ok: true, value: null });
      return Promise.resolve(answers.length > 1 ? answers.shift() : answers[0]);
    },
    on: (event: string, listener: (payload: never) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  } as unknown as Bridge;
  const push = <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => {
    for (const listener of [...(listeners.get(name) ?? [])]) (listener as (p: BridgeEvents[K]) => void)(payload);
  };
  return { bridge, calls, push, listeners: () => [...listeners.values()].reduce((n, set) => n + set.size, 0) };
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const stores: DataStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.stop()));

async function connect(bridge: Bridge): Promise<DataStore> {
  const data = await DataStore.open(bridge);
  stores.push(data);
  return data;
}

describe("bootConsole: a page opened while the engine restarts", () => {
  it("shows that the engine is restarting and asks again with backoff until the engine answers, then comes up", async () => {
    const { bridge, calls, listeners } = scriptedBridge([unavailable, unavailable, { ok: true, value: initial }]);
    const phases: BootPhase<DataStore>[] = [];
    await bootConsole({ getBridge: () => Promise.resolve(bridge), connect, show: (p) => phases.push(p), delaysMs: [20, 40] });
    await until(() => phases.at(-1)?.kind === "ready", "the page up");
    expect(phases.map((p) => p.kind)).toEqual(["retrying", "retrying", "ready"]);
    expect(phases[0]).toMatchObject({ kind: "retrying", attempt: 1, inS: 1 });
    expect(phases[1]).toMatchObject({ kind: "retrying", attempt: 2 });
    expect(calls).toEqual(["getInitialState", "getInitialState", "getInitialState", "getRoster", "getIncidentMarkers"]);
    const ready = phases.at(-1);
    expect(ready?.kind === "ready" && ready.value.getState().status?.state).toBe("live");
    // Only the store that came up listens: the failed tries' stores and the boot's own listener are gone.
    expect(stores).toHaveLength(1);
    expect(listeners()).toBe(BRIDGE_EVENTS.length);
  });

  it("boots again from the error screen when a status is pushed (the host's resync after the new engine is up)", async () => {
    const refused: Answer = { ok: false, error: { code: "internal", message: "getInitialState failed" } };
    const { bridge, calls, push } = scriptedBridge([refused, { ok: true, value: initial }]);
    const phases: BootPhase<DataStore>[] = [];
    await bootConsole({ getBridge: () => Promise.resolve(bridge), connect, show: (p) => phases.push(p), delaysMs: [20] });
    expect(phases).toEqual([{ kind: "failed", detail: "internal: getInitialState failed" }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(1);
    push("status", status);
    await until(() => phases.at(-1)?.kind === "ready", "the page up after the resync");
    expect(calls).toEqual(["getInitialState", "getInitialState", "getRoster", "getIncidentMarkers"]);
    // Once up, a later status is the store's business, not another boot.
    push("status", status);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toHaveLength(4);
  });

  it("shows the error screen when there is no host at all", async () => {
    const phases: BootPhase<DataStore>[] = [];
    await bootConsole({ getBridge: () => Promise.reject(new Error("no console host")), connect, show: (p) => phases.push(p) });
    expect(phases).toEqual([{ kind: "failed", detail: "no console host" }]);
  });
});
