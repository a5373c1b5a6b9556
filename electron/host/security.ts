import { randomBytes, timingSafeEqual } from "node:crypto";
import { validTileTemplate } from "../../shared/geo/tiles.js";

/*
 * The web host's rules for who may talk to it. It listens on loopback only,
 * but loopback is not a trust boundary by itself: any page in any browser on
 * the machine can aim requests at 127.0.0.1, and DNS rebinding can make a
 * foreign site look same-origin. So every request must name us in its Host
 * header, the bridge socket must come from our own origin, and it must carry
 * the per-launch secret that only our served page receives.
 */

export const LOOPBACK_HOST = "127.0.0.1";

export function assertLoopbackBind(host: string): void {
  if (host !== LOOPBACK_HOST) throw new Error(`the web host binds ${LOOPBACK_HOST} only (asked for ${JSON.stringify(host)})`);
}

/** The Host header values that name this server: 127.0.0.1:<port> or localhost:<port>. */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const value = hostHeader.toLowerCase();
  return value === `127.0.0.1:${port}` || value === `localhost:${port}`;
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (!origin) return false;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function newSecret(): string {
  return randomBytes(32).toString("hex");
}

export function secretsMatch(expected: string, offered: string | undefined): boolean {
  if (offered === undefined) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(offered, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/*
 * 'wasm-unsafe-eval' lets sql.js-style WebAssembly compile without allowing
 * eval(). Inline styles are needed because React and deck.gl set style
 * attributes; no inline script is ever allowed (the secret rides in a meta
 * tag, not a script).
 */
export type PolicyOptions = {
  /** The web host's, for its bridge socket; the Electron shell (IPC, no socket) passes none. */
  port?: number;
  /** The configured tile server's origin (`tileServerOrigin`), if any. */
  tileOrigin?: string;
};

/*
 * A configured tile server is the one remote origin the page may reach:
 * deck.gl fetches tiles (connect-src) and may draw them as images (img-src).
 * Exactly that origin, and only when configured: with no mapTilesUrl the
 * policy stays 'self' and nothing can leave the machine.
 */
export function contentSecurityPolicy({ port, tileOrigin }: PolicyOptions = {}): string {
  const tiles = tileOrigin === undefined ? "" : ` ${tileOrigin}`;
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self'${port === undefined ? "" : ` ws://127.0.0.1:${port}`}${tiles}`,
    `img-src 'self' data: blob:${tiles}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The origin (scheme, host, port) tiles of a template come from; undefined for none or for what is not a valid template. */
export function tileServerOrigin(template: string | undefined): string | undefined {
  if (!validTileTemplate(template)) return undefined;
  try {
    return new URL(template).origin;
  } catch {
    // A template the URL parser refuses (e.g. "{s}" in the host) names no origin to allow; the configuration refuses it too.
    return undefined;
  }
}

export function securityHeaders(port: number, tileOrigin?: string): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(tileOrigin === undefined ? { port } : { port, tileOrigin }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
  };
}
