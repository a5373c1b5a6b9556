import { describe, expect, it, vi } from "vitest";
import type { Bridge } from "../../shared/bridge/contract.js";
import { callChannel, eventChannel } from "./channels.js";

type Forward = (event: unknown, payload: unknown) => void;
const exposed = new Map<string, unknown>();
const invoked: [string, unknown][] = [];
const subscribed = new Map<string, Set<Forward>>();

vi.mock("electron", () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, request: unknown) => {
      invoked.push([channel, request]);
      return Promise.resolve({ ok: true, value: { acknowledged: true } });
    },
    on: (channel: string, forward: Forward) => {
      const set = subscribed.get(channel) ?? new Set();
      set.add(forward);
      subscribed.set(channel, set);
    },
    removeListener: (channel: string, forward: Forward) => subscribed.get(channel)?.delete(forward),
  },
}));

await import("./index.js");
const bridge = exposed.get("consoleBridge") as Bridge;

describe("the preload", () => {
  it("exposes exactly one thing: the bridge as window.consoleBridge", () => {
    expect([...exposed.keys()]).toEqual(["consoleBridge"]);
    expect(Object.keys(bridge).sort()).toEqual(["call", "on"]);
  });

  it("sends a call on the channel derived from its contract name", async () => {
    await expect(bridge.call("acknowledgeAlert", { id: "a-1" })).resolves.toEqual({ ok: true, value: { acknowledged: true } });
    expect(invoked).toEqual([[callChannel("acknowledgeAlert"), { id: "a-1" }]]);
  });

  it("refuses names outside the contract without touching IPC", async () => {
    const before = invoked.length;
    const call = bridge.call as (name: string, request: unknown) => ReturnType<Bridge["call"]>;
    await expect(call("openExternal", { url: "https://evil.example" })).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(invoked).toHaveLength(before);
    const on = bridge.on as (event: string, listener: () => void) => () => void;
    expect(() => on("anything", () => undefined)).toThrow(/unknown bridge event/);
  });

  it("hands listeners the payload only, never the IPC event, and unsubscribes", () => {
    const got: unknown[] = [];
    const off = bridge.on("alerts", (alerts) => got.push(alerts));
    const forwards = [...(subscribed.get(eventChannel("alerts")) ?? [])];
    forwards[0]?.({ sender: "secret ipc internals" }, []);
    expect(got).toEqual([[]]);
    off();
    expect(subscribed.get(eventChannel("alerts"))?.size).toBe(0);
  });
});
