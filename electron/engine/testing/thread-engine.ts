import type { BridgeEventName, BridgeEvents } from "../../../shared/bridge/contract.js";
import type { Engine } from "../api.js";
import type { WorkerEngineOptions } from "../worker/worker-engine.js";
import { FAST, SETTINGS, tempDir } from "./harness.js";

/*
 * What the tests of a shell-side engine (the worker thread, its supervisor)
 * make one from: the options a shell gives, on a fresh data directory, with
 * its log kept as lines; and the events it tells, recorded.
 */

export type ThreadEngineRig = { options: WorkerEngineOptions; dataDir: string; logs: string[]; remove: () => void };

export function threadEngineOptions(feedUrl: string): ThreadEngineRig {
  const { dir, remove } = tempDir();
  const logs: string[] = [];
  const options: WorkerEngineOptions = {
    feedUrl,
    token: "secret",
    consoleId: "console-test",
    dataDir: dir,
    settings: SETTINGS,
    regionLayer: null,
    timing: FAST,
    log: (level, message) => logs.push(`${level} ${message}`),
  };
  return { options, dataDir: dir, logs, remove };
}

/** Every `event` the engine tells from now on, in order. */
export function record<K extends BridgeEventName>(engine: Pick<Engine, "on">, event: K): BridgeEvents[K][] {
  const seen: BridgeEvents[K][] = [];
  engine.on(event, (payload) => seen.push(payload));
  return seen;
}

/** The cases of `ids` the engine holds, as a page holding them would get them (getCases). */
export async function heldIds(engine: { handlers: { getCases(request: { ids: string[] }): Promise<{ ok: true; value: { id: string }[] } | { ok: false }> } }, ids: string[]): Promise<string[]> {
  const cases = await engine.handlers.getCases({ ids });
  return cases.ok ? cases.value.map((c) => c.id) : [];
}
