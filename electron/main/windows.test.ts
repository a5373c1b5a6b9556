import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type Bounds = { x: number; y: number; width: number; height: number };
type Listener = (...args: unknown[]) => void;

/** Just enough of BrowserWindow to watch what the shell does with it. */
class FakeWindow {
  static created: FakeWindow[] = [];
  readonly calls: string[] = [];
  readonly events = new Map<string, Listener>();
  readonly contentsEvents = new Map<string, Listener>();
  destroyed = false;
  loaded = "";
  readonly webContents = {
    id: Math.random(),
    on: (name: string, listener: Listener) => this.contentsEvents.set(name, listener),
    reload: () => this.calls.push("reload"),
    forcefullyCrashRenderer: () => this.calls.push("crash"),
  };
  constructor(readonly options: { kiosk: boolean; webPreferences: Record<string, unknown> } & Bounds) {
    FakeWindow.created.push(this);
  }
  on(name: string, listener: Listener) {
    this.events.set(name, listener);
  }
  once(name: string, listener: Listener) {
    this.events.set(name, listener);
  }
  removeMenu() {}
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
  setKiosk(on: boolean) {
    this.calls.push(`kiosk:${on}`);
  }
  setBounds(bounds: Bounds) {
    this.calls.push(`bounds:${bounds.x}`);
  }
  maximize() {
    this.calls.push("maximize");
  }
}

const displays = { all: [] as { id: number; bounds: Bounds }[], primary: 1 };
vi.mock("electron", () => ({
  BrowserWindow: FakeWindow,
  screen: { getAllDisplays: () => displays.all, getPrimaryDisplay: () => ({ id: displays.primary }) },
}));

const { ConsoleWindows } = await import("./windows.js");

const desk = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const wall = { id: 2, bounds: { x: 1920, y: 0, width: 3840, height: 2160 } };
const options = { preload: "/app/preload.cjs", wallDisplay: "auto", operatorDisplay: "auto", wallView: "briefing", log: () => undefined } as const;

describe("ConsoleWindows", () => {
  beforeEach(() => {
    FakeWindow.created = [];
    displays.all = [desk, wall];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("opens a sandboxed kiosk wall on the big display and the operator console on the primary", () => {
    new ConsoleWindows(options).place();
    const [wallWindow, operatorWindow] = FakeWindow.created;
    expect(wallWindow?.options).toMatchObject({ x: 1920, kiosk: true, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false, preload: "/app/preload.cjs" } });
    expect(wallWindow?.loaded).toBe("app://console/index.html?view=briefing&screen=wall");
    expect(operatorWindow?.options).toMatchObject({ x: 0, kiosk: false });
    expect(operatorWindow?.loaded).toBe("app://console/index.html");
  });

  it("moves the wall and closes the operator window when the wall display is unplugged, and reopens it when plugged back", () => {
    const windows = new ConsoleWindows(options);
    windows.place();
    const [wallWindow, operatorWindow] = FakeWindow.created;
    displays.all = [desk];
    windows.place();
    expect(wallWindow?.calls).toEqual(["kiosk:false", "bounds:0", "kiosk:true"]);
    expect(operatorWindow?.destroyed).toBe(true);
    expect(windows.all()).toHaveLength(1);
    displays.all = [desk, wall];
    windows.place();
    expect(windows.all()).toHaveLength(2);
    expect(FakeWindow.created).toHaveLength(3);
  });

  it("reloads a window whose renderer crashed, waiting longer after each crash, but not after a clean exit", () => {
    new ConsoleWindows(options).place();
    const window = FakeWindow.created[0];
    const gone = window?.contentsEvents.get("render-process-gone");
    gone?.({}, { reason: "clean-exit" });
    vi.advanceTimersByTime(120_000);
    expect(window?.calls).toEqual([]);
    gone?.({}, { reason: "crashed" });
    vi.advanceTimersByTime(999);
    expect(window?.calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(window?.calls).toEqual(["reload"]);
    gone?.({}, { reason: "oom" });
    vi.advanceTimersByTime(1_999);
    expect(window?.calls).toEqual(["reload"]);
    vi.advanceTimersByTime(1);
    expect(window?.calls).toEqual(["reload", "reload"]);
  });

  it("crashes a renderer that stays hung past the grace period, but not one that recovers", () => {
    new ConsoleWindows(options).place();
    const window = FakeWindow.created[0];
    window?.events.get("unresponsive")?.();
    vi.advanceTimersByTime(5_000);
    window?.events.get("responsive")?.();
    vi.advanceTimersByTime(60_000);
    expect(window?.calls).toEqual([]);
    window?.events.get("unresponsive")?.();
    vi.advanceTimersByTime(10_000);
    expect(window?.calls).toEqual(["crash"]);
  });
});
