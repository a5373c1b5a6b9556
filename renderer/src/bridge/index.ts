import type { Bridge } from "../../../shared/bridge/contract.js";

/*
 * The view's only door to the engine. In Electron the preload exposes the
 * bridge as `window.consoleBridge`; in a plain browser the web host's page
 * connects over WebSocket (see ./web.ts). Views never know which.
 */
declare global {
  interface Window {
    consoleBridge?: Bridge;
  }
}

export type { Bridge };
