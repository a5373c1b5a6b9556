import type { Bridge } from "../../../shared/bridge/contract.js";

/*
 * The view's only door to the engine. In Electron the preload exposes the
 * bridge as `window.consoleBridge`; in a plain browser the page served by the
 * web host connects over WebSocket (./web.ts). Views never know which.
 */
declare global {
  interface Window {
    consoleBridge?: Bridge;
  }
}

export async function getBridge(): Promise<Bridge> {
  if (window.consoleBridge) return window.consoleBridge;
  const { connectWebBridge } = await import("./web.js");
  return connectWebBridge();
}

export type { Bridge };
