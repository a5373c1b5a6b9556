import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { SECRET_META_NAME } from "../../shared/bridge/wire.js";

/*
 * Files of the built console (dist/renderer). index.html is served with the
 * per-launch secret injected and is never cached (a cached copy would carry a
 * dead secret); Vite's content-hashed assets are immutable.
 */

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".geojson": "application/geo+json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".wav": "audio/wav",
  ".txt": "text/plain; charset=utf-8",
};

export type StaticFile = { status: 200; body: Buffer; headers: Record<string, string> } | { status: 404 | 400; body: Buffer; headers: Record<string, string> };

/** Maps a URL path to a file under root, or null when it would leave root or is malformed. */
export function resolveUnder(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const relative = decoded === "/" || decoded === "" ? "index.html" : decoded.replace(/^\/+/, "");
  const resolved = path.resolve(root, relative);
  const rootWithSep = path.resolve(root) + path.sep;
  return resolved.startsWith(rootWithSep) ? resolved : null;
}

export function injectSecret(html: string, secret: string): string {
  const meta = `<meta name="${SECRET_META_NAME}" content="${secret}" />`;
  const at = html.search(/<head[^>]*>/i);
  if (at < 0) throw new Error("index.html has no <head>");
  const end = html.indexOf(">", at) + 1;
  return `${html.slice(0, end)}\n    ${meta}${html.slice(end)}`;
}

const notFound = (status: 404 | 400): StaticFile => ({
  status,
  body: Buffer.from(status === 404 ? "not found\n" : "bad request\n"),
  headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
});

/** `secret` is injected into index.html for the web host; the Electron shell, which needs none, leaves it out. */
export async function loadStatic(root: string, urlPath: string, secret?: string): Promise<StaticFile> {
  const file = resolveUnder(root, urlPath);
  if (file === null) return notFound(400);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return notFound(404);
  const extension = path.extname(file).toLowerCase();
  const type = MIME[extension] ?? "application/octet-stream";
  if (path.relative(root, file) === "index.html") {
    const raw = await readFile(file, "utf8");
    const html = secret === undefined ? raw : injectSecret(raw, secret);
    return { status: 200, body: Buffer.from(html, "utf8"), headers: { "Content-Type": type, "Cache-Control": "no-store" } };
  }
  const immutable = path.relative(root, file).startsWith(`assets${path.sep}`);
  return {
    status: 200,
    body: await readFile(file),
    headers: { "Content-Type": type, "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache" },
  };
}
