import { protocol } from "electron";
import { loadStatic } from "../host/static.js";
import { contentSecurityPolicy } from "../host/security.js";
import type { Log } from "../host/log.js";
import { tileRoute } from "../host/tiles.js";
import type { MbtilesReader } from "../engine/mbtiles.js";
import { APP_HOST, APP_SCHEME } from "./trust.js";

/*
 * The console is served from app://console/… rather than file://: a standard,
 * secure origin of its own, so the CSP's 'self' means exactly the built
 * console, and file:// (which can read the whole disk) is never trusted.
 */

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/**
 * `tileOrigin`: the configured tile server's (`tileServerOrigin`), the one remote origin the CSP then allows.
 * `tiles`: the offline base map (mapTilesFile), at app://console/tiles/<z>/<x>/<y> (../host/tiles.ts), same origin.
 * `exportPdf`: the briefing export's answer (./export-pdf.ts), null for every other path.
 */
export function serveApp(rendererDir: string, log: Log, tileOrigin?: string, tiles?: MbtilesReader, exportPdf?: (url: URL) => Promise<Response> | null): void {
  const csp = contentSecurityPolicy(tileOrigin === undefined ? {} : { tileOrigin });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = { "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff" };
    if (url.host !== APP_HOST || request.method !== "GET") return new Response("not found", { status: 404, headers });
    try {
      const exported = exportPdf?.(url);
      if (exported) {
        const reply = await exported;
        for (const [name, value] of Object.entries(headers)) reply.headers.set(name, value);
        return reply;
      }
      const tile = tileRoute(tiles, url.pathname);
      // A 204 must not carry a body, not even an empty one.
      if (tile) return new Response(tile.status === 204 ? null : new Uint8Array(tile.body), { status: tile.status, headers: { ...tile.headers, ...headers } });
      const file = await loadStatic(rendererDir, url.pathname);
      return new Response(new Uint8Array(file.body), { status: file.status, headers: { ...file.headers, ...headers } });
    } catch (error) {
      log("error", "app:// request failed", { path: url.pathname, error: String(error) });
      return new Response("error", { status: 500, headers });
    }
  });
}
