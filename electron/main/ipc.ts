import { ipcMain, type BrowserWindow, type WebContents } from "electron";
import { BRIDGE_CALLS, BRIDGE_EVENTS, type BridgeEventName, type BridgeEvents, type CallerSession, type Result } from "../../shared/bridge/contract.js";
import type { Engine } from "../engine/api.js";
import { newCallerSession, viewOfSearch } from "../host/caller-session.js";
import { dispatchCall } from "../host/dispatch.js";
import type { Log } from "../host/log.js";
import { briefingEvent, briefingReply, mayCall } from "../host/roles.js";
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
  mayReveal: (sender: WebContents) => boolean;
};

const forbidden: Result<never> = { ok: false, error: { code: "forbidden", message: "not allowed from this window" } };

export function serveBridgeOverIpc({ engine, log, windows, mayReveal }: IpcBridgeOptions): () => void {
  /**
   * One session per page (../host/caller-session.ts): made at a webContents'
   * first call, and made again after its page is loaded anew (a reload, a
   * crash recovery), as the web host makes one per socket.
   */
  const sessions = new WeakMap<WebContents, CallerSession>();
  const sessionOf = (sender: WebContents, url: string, operator: boolean): CallerSession => {
    let session = sessions.get(sender);
    if (session) return session;
    session = newCallerSession(operator ? "operator" : "briefing", operator ? viewOfSearch(new URL(url).search) : "briefing");
    sessions.set(sender, session);
    sender.once("did-navigate", () => sessions.delete(sender));
    return session;
  };
  for (const name of BRIDGE_CALLS) {
    ipcMain.handle(callChannel(name), async (event, request: unknown) => {
      const sender = event.senderFrame?.url;
      if (!isAppUrl(sender)) {
        log("warn", "IPC call refused: sender is not the console", { name, sender: String(sender).slice(0, 200) });
        return forbidden;
      }
      const operator = mayReveal(event.sender);
      if (!mayCall("briefing", name) && !operator) return forbidden;
      const result = await dispatchCall(engine.handlers, name, request, sessionOf(event.sender, sender ?? "", operator), log);
      // The briefing wall reads no case free text either (../host/roles.ts).
      return operator ? result : briefingReply(name, result);
    });
  }
  const broadcast = <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => {
    let briefing: BridgeEvents[K] | undefined;
    for (const window of windows()) {
      if (window.isDestroyed() || !isAppUrl(window.webContents.getURL())) continue;
      window.webContents.send(eventChannel(name), mayReveal(window.webContents) ? payload : (briefing ??= briefingEvent(name, payload)));
    }
  };
  const unsubscribe = BRIDGE_EVENTS.map((name) => engine.on(name, (payload) => broadcast(name, payload)));
  // After the engine's thread was restarted (../engine/worker/supervisor.ts) each window loads anew: its page then fetches the whole picture from the new engine, as at start.
  const offRestarted = engine.onRestarted?.(() => {
    log("info", "the engine is back after a restart: reloading the console's windows");
    for (const window of windows()) if (!window.isDestroyed() && isAppUrl(window.webContents.getURL())) window.webContents.reload();
  });
  return () => {
    offRestarted?.();
    for (const off of unsubscribe) off();
    for (const name of BRIDGE_CALLS) ipcMain.removeHandler(callChannel(name));
  };
}
