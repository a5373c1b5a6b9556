import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import {
  BRIDGE_CALLS,
  BRIDGE_EVENTS,
  type Bridge,
  type BridgeCallName,
  type BridgeCalls,
  type BridgeEventName,
  type BridgeEvents,
  type Result,
} from "../../shared/bridge/contract.js";
import { callChannel, eventChannel } from "./channels.js";

/*
 * The whole of what a page in the Electron shell can reach: the bridge, as
 * `window.consoleBridge`. Calls go to channels derived from the contract;
 * any other name is refused here, before it reaches the main process (which
 * validates again: a compromised renderer can bypass this file).
 */

const calls: ReadonlySet<string> = new Set(BRIDGE_CALLS);
const events: ReadonlySet<string> = new Set(BRIDGE_EVENTS);

const bridge: Bridge = {
  call<K extends BridgeCallName>(name: K, request: BridgeCalls[K]["request"]): Promise<Result<BridgeCalls[K]["response"]>> {
    if (!calls.has(name)) return Promise.resolve({ ok: false, error: { code: "invalid", message: "unknown call" } });
    return ipcRenderer.invoke(callChannel(name), request) as Promise<Result<BridgeCalls[K]["response"]>>;
  },
  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void {
    if (!events.has(event)) throw new Error(`unknown bridge event ${String(event)}`);
    const channel = eventChannel(event);
    // The IPC event object (with its sender) never reaches the page: only the payload does.
    const forward = (_event: IpcRendererEvent, payload: BridgeEvents[K]) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld("consoleBridge", bridge);
