import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BrowserWindow, IpcMainInvokeEvent } from "electron";
import { BRIDGE_CALLS, type BridgeEventName, type BridgeEvents, type BridgeHandlers, type CallerSession, type Result } from "../../shared/bridge/contract.js";
import type { Engine } from "../engine/api.js";
import { callChannel, eventChannel } from "../preload/channels.js";

type Handler = (event: IpcMainInvokeEvent, request: unknown) => Promise<Result<unknown>>;
const registered = new Map<string, Handler>();

vi.mock("electron", () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => registered.set(channel, handler),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

const { serveBridgeOverIpc } = await import("./ipc.js");

const refuse = async (): Promise<Result<never>> => ({ ok: false, error: { code: "unavailable", message: "not in this test" } });

function fakeEngine(seen: unknown[]) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const restartListeners = new Set<() => void>();
  const handlers: BridgeHandlers = {
    getInitialState: refuse,
    getIncident: refuse,
    getCases: refuse,
    getPastAddresses: refuse,
    getRoster: refuse,
    getIncidentMarkers: refuse,
    revealReporter: async (request) => {
      seen.push(request);
      return { ok: true, value: { name: "张三", phone: "13800000000" } };
    },
    sendCommand: refuse,
    dismissOutbox: refuse,
    retryOutbox: refuse,
    acknowledgeAlert: async (request) => {
      seen.push(request);
      return { ok: true, value: { acknowledged: true } };
    },
    getDiagnostics: refuse,
    getRegionLayer: refuse,
    getCoverage: refuse,
    getPatrolChecks: refuse,
    getPatrolTrack: refuse,
    getAssessment: refuse,
    acknowledgeAttention: refuse,
    getHandover: refuse,
    writeHandover: refuse,
    acknowledgeHandover: refuse,
    getHandoverRecord: refuse,
    getWall: refuse,
    pushToWall: refuse,
    clearWall: refuse,
    queueWindow: refuse,
  };
  const engine: Engine = {
    handlers,
    on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void) {
      listeners.set(event, listener as (payload: unknown) => void);
      return () => listeners.delete(event);
    },
    start: async () => undefined,
    stop: async () => undefined,
    onRestarted(listener) {
      restartListeners.add(listener);
      return () => restartListeners.delete(listener);
    },
  };
  return { engine, emit: (name: BridgeEventName, payload: unknown) => listeners.get(name)?.(payload), restarted: () => restartListeners.forEach((listener) => listener()) };
}

/** A webContents as the bridge uses it: `once` for its navigations, fired by `navigate`. */
function fakeSender() {
  const listeners: (() => void)[] = [];
  return {
    once: (name: string, listener: () => void) => void (name === "did-navigate" && listeners.push(listener)),
    navigate: () => listeners.splice(0).forEach((listener) => listener()),
  };
}

const event = (url: string, sender: object = fakeSender()): IpcMainInvokeEvent => ({ senderFrame: { url }, sender }) as unknown as IpcMainInvokeEvent;

function fakeWindow(url: string, destroyed = false) {
  const sent: [string, unknown][] = [];
  const reloads = { count: 0 };
  const window = { isDestroyed: () => destroyed, webContents: { getURL: () => url, send: (channel: string, payload: unknown) => sent.push([channel, payload]), reload: () => void reloads.count++ } };
  return { window: window as unknown as BrowserWindow, sent, reloads };
}

describe("the bridge over IPC", () => {
  beforeEach(() => registered.clear());

  it("reloads the console's windows once a restarted engine is up (../engine/worker/supervisor.ts), and stops doing so once stopped", () => {
    const { engine, restarted } = fakeEngine([]);
    const operator = fakeWindow("app://console/index.html");
    const wall = fakeWindow("app://console/index.html?screen=wall");
    const foreign = fakeWindow("https://evil.example/");
    const closed = fakeWindow("app://console/index.html", true);
    const stop = serveBridgeOverIpc({ engine, log: () => undefined, windows: () => [operator.window, wall.window, foreign.window, closed.window], mayReveal: () => true });
    restarted();
    expect([operator.reloads.count, wall.reloads.count, foreign.reloads.count, closed.reloads.count]).toEqual([1, 1, 0, 0]);
    stop();
    restarted();
    expect(operator.reloads.count).toBe(1);
  });

  it("registers one handler per contract call and dispatches calls from the console's own page", async () => {
    const seen: unknown[] = [];
    serveBridgeOverIpc({ engine: fakeEngine(seen).engine, log: () => undefined, windows: () => [], mayReveal: () => true });
    expect(registered.size).toBe(BRIDGE_CALLS.length);
    const result = await registered.get(callChannel("acknowledgeAlert"))?.(event("app://console/index.html"), { id: "a-1" });
    expect(result).toEqual({ ok: true, value: { acknowledged: true } });
    expect(seen).toEqual([{ id: "a-1" }]);
  });

  it("refuses calls from any other frame before validation, and invalid requests after it", async () => {
    const seen: unknown[] = [];
    serveBridgeOverIpc({ engine: fakeEngine(seen).engine, log: () => undefined, windows: () => [], mayReveal: () => true });
    const handler = registered.get(callChannel("acknowledgeAlert"));
    await expect(handler?.(event("https://evil.example/"), { id: "a-1" })).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
    await expect(handler?.(event("file:///etc/passwd"), { id: "a-1" })).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
    await expect(handler?.(event("app://console/index.html"), { id: 42 })).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(seen).toEqual([]);
  });

  it("refuses to reveal personal data, or to act, to a window that may not see it (the briefing wall: read-only)", async () => {
    const seen: unknown[] = [];
    const wall: object = fakeSender();
    serveBridgeOverIpc({ engine: fakeEngine(seen).engine, log: () => undefined, windows: () => [], mayReveal: (sender) => sender !== wall });
    const reveal = registered.get(callChannel("revealReporter"));
    await expect(reveal?.(event("app://console/index.html?view=briefing", wall), { incidentId: "DC1", reason: "回访" })).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
    await expect(reveal?.(event("app://console/index.html", fakeSender()), { incidentId: "DC1", reason: "回访" })).resolves.toMatchObject({ ok: true });
    const acknowledge = registered.get(callChannel("acknowledgeAlert"));
    await expect(acknowledge?.(event("app://console/index.html?view=briefing", wall), { id: "AL1" })).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
    await expect(acknowledge?.(event("app://console/index.html", fakeSender()), { id: "AL1" })).resolves.toMatchObject({ ok: true });
    // Reading is not refused to the wall: the engine answers (here, its fake refuses as unavailable).
    const initial = registered.get(callChannel("getInitialState"));
    await expect(initial?.(event("app://console/index.html?view=briefing", wall), {})).resolves.toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(seen).toEqual([{ incidentId: "DC1", reason: "回访" }, { id: "AL1" }]);
  });

  it("passes each window's own session with its calls, made by the shell: a new one after a reload, none taken from the page", async () => {
    const { engine } = fakeEngine([]);
    const callers: (CallerSession | undefined)[] = [];
    engine.handlers.revealReporter = async (_request, caller) => {
      callers.push(caller);
      return { ok: true, value: {} };
    };
    serveBridgeOverIpc({ engine, log: () => undefined, windows: () => [], mayReveal: () => true });
    const reveal = registered.get(callChannel("revealReporter"));
    const desk = fakeSender();
    const patrols = fakeSender();
    await reveal?.(event("app://console/index.html", desk), { incidentId: "DC1", reason: "回访" });
    await reveal?.(event("app://console/index.html?view=patrols", patrols), { incidentId: "DC1", reason: "回访" });
    await reveal?.(event("app://console/index.html", desk), { incidentId: "DC2", reason: "回访" });
    desk.navigate();
    await reveal?.(event("app://console/index.html", desk), { incidentId: "DC3", reason: "回访" });
    const forged = await reveal?.(event("app://console/index.html", desk), { incidentId: "DC4", reason: "回访", session: { id: "forged" } });
    expect(forged).toMatchObject({ ok: false, error: { code: "invalid" } });
    const [first, other, again, reloaded] = callers;
    expect(callers).toHaveLength(4);
    expect(first).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), role: "operator", view: "console", startedAt: expect.stringMatching(/\+08:00$/) });
    expect(other).toMatchObject({ role: "operator", view: "patrols" });
    expect(other?.id).not.toBe(first?.id);
    expect(again).toEqual(first);
    expect(reloaded?.id).not.toBe(first?.id);
  });

  it("sends engine events to every live console window, typed arrays as they are", () => {
    const fake = fakeEngine([]);
    const wall = fakeWindow("app://console/index.html?view=briefing");
    const operator = fakeWindow("app://console/index.html");
    const gone = fakeWindow("app://console/index.html", true);
    const crashedToBlank = fakeWindow("about:blank");
    serveBridgeOverIpc({ engine: fake.engine, log: () => undefined, windows: () => [wall.window, operator.window, gone.window, crashedToBlank.window], mayReveal: () => true });
    const batch = { data: new Float64Array([1, 116.4, 39.9, 0, 0, 0]) };
    fake.emit("positions", batch);
    expect(wall.sent).toEqual([[eventChannel("positions"), batch]]);
    expect(operator.sent).toEqual([[eventChannel("positions"), batch]]);
    expect(gone.sent).toEqual([]);
    expect(crashedToBlank.sent).toEqual([]);
  });

  it("removes its handlers when stopped, so a restarted bridge can register again", () => {
    const stop = serveBridgeOverIpc({ engine: fakeEngine([]).engine, log: () => undefined, windows: () => [], mayReveal: () => true });
    stop();
    expect(registered.size).toBe(0);
  });
});
