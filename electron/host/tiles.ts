import { tileReply, type MbtilesReader, type TileReply } from "../engine/mbtiles.js";
import { secretsMatch } from "./security.js";

/*
 * The local base map's tiles (../engine/mbtiles.ts) on the console's own
 * origin, so the CSP's 'self' covers them and no new origin is allowed.
 *   web host:       /tiles/<secret>/<z>/<x>/<y>   (a page's per-launch secret)
 *   Electron shell: app://console/tiles/<z>/<x>/<y> (only its own windows load app://)
 * Anything else under /tiles/ is a 404, the same as a wrong secret, so the
 * route says nothing to a caller without one.
 */

export const TILES_PREFIX = "/tiles/";

const notFound: TileReply = { status: 404, body: Buffer.from("not found\n"), headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } };

/**
 * The reply for a request under /tiles/, or null for any other path (the
 * static files answer those). `secrets`: those a page may present (web host);
 * null for the Electron shell, whose URLs carry none.
 */
export function tileRoute(reader: MbtilesReader | undefined, urlPath: string, secrets: readonly string[] | null): TileReply | null {
  if (!urlPath.startsWith(TILES_PREFIX)) return null;
  const parts = urlPath.slice(TILES_PREFIX.length).split("/");
  if (secrets !== null) {
    const offered = parts.shift();
    if (!secrets.some((secret) => secretsMatch(secret, offered))) return notFound;
  }
  if (!reader || parts.length !== 3 || !parts.every((part) => /^\d{1,8}$/.test(part))) return notFound;
  const [z, x, y] = parts.map(Number) as [number, number, number];
  return tileReply(reader, z, x, y);
}
