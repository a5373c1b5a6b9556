import { tileReply, type MbtilesReader, type TileReply } from "../engine/mbtiles.js";

/*
 * The local base map's tiles (../engine/mbtiles.ts) on the console's own
 * origin, so the CSP's 'self' covers them and no new origin is allowed.
 *   web host:       /tiles/<z>/<x>/<y>   (only with the access cookie: ./access.ts)
 *   Electron shell: app://console/tiles/<z>/<x>/<y> (only its own windows load app://)
 * No secret rides in a tile's URL, where logs and caches would keep it.
 * Anything else under /tiles/ is a 404.
 */

export const TILES_PREFIX = "/tiles/";

const notFound: TileReply = { status: 404, body: Buffer.from("not found\n"), headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } };

/**
 * The reply for a request under /tiles/, or null for any other path (the
 * static files answer those). Who may ask is the shell's to decide.
 */
export function tileRoute(reader: MbtilesReader | undefined, urlPath: string): TileReply | null {
  if (!urlPath.startsWith(TILES_PREFIX)) return null;
  const parts = urlPath.slice(TILES_PREFIX.length).split("/");
  if (!reader || parts.length !== 3 || !parts.every((part) => /^\d{1,8}$/.test(part))) return notFound;
  const [z, x, y] = parts.map(Number) as [number, number, number];
  return tileReply(reader, z, x, y);
}
