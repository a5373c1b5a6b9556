import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from "electron";
import { BRIDGE_CALLS, BRIDGE_EVENTS, type BridgeEventName, type BridgeEvents, type Result } from "../../shared/bridge/contract.js";
import type { Engine } from "../engine/api.js";
import { dispatchCall } from "../host/dispatch.js";
import type { Log } from "../host/log.js";
import { mayCall } from "../host/roles.js";
import { callChannel, eventChannel } from "../preload/channels.js";
import { isAppUrl } from "./trust.js";

/*
 * The bridge over IPC: one handler per contract call, each checking that the
 * message comes from our own page (the frame's URL, not the window, since a
 * window could host another frame) before the request is validated and
 * dispatched the same way the web host does it.
 */

export type IpcBridgeOptions = {
  engine: Engine;
  log: Log;
  windows: () => BrowserWindow[];
  /**
   * Whether the sender may see personal data. One that may not is the briefing
   * wall, which visitors read: it gets the web host's briefing capability
   * (electron/host/roles.ts), read-only, so no reveal and no action.
   */
  mayReveal: (event: IpcMainInvokeEvent) => boolean;
};

const forbidden: Result<never> = { ok: false, error: { code: "forbidden", message: "not allowed from this window" } };

export function serveBridgeOverIpc({ engine, log, windows, mayReveal }: IpcBridgeOptions): () => void {
  for (const name of BRIDGE_CALLS) {
    ipcMain.handle(callChannel(name), async (event, request: unknown) => {
      const sender = event.senderFrame?.url;
      if (!isAppUrl(sender)) {
        log("warn", "IPC call refused: sender is not the console", { name, sender: String(sender).slice(0, 200) });
        return forbidden;
      }
      if (!mayCall("briefing", name) && !mayReveal(event)) return forbidden;
      return dispatchCall(engine.handlers, name, request, log);
    });
  }
  const broadcast = <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => {
    for (const window of windows()) {
      if (!window.isDestroyed() && isAppUrl(window.webContents.getURL())) window.webContents.send(eventChannel(name), payload);
    }
  };
  const unsubscribe = BRIDGE_EVENTS.map((name) => engine.on(name, (payload) => broadcast(name, payload)));
  return () => {
    for (const off of unsubscribe) off();
    for (const name of BRIDGE_CALLS) ipcMain.removeHandler(callChannel(name));
  };
}
