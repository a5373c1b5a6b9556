import { createHmac, createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { secretsMatch } from "./security.js";

/*
 * Who may open the web host at all, the way Jupyter does it: the URL printed
 * at start carries a key (`?key=…`), and the first request with it is
 * answered with an HttpOnly, SameSite=Strict cookie and a redirect to the same
 * URL without the key. Every later request (index.html with the page secret,
 * assets, tiles, the bridge socket) must carry that cookie; without it the
 * host answers only a page saying how to open the console. A local process or
 * user that can reach 127.0.0.1 but did not see the printed URL (or read the
 * data dir) gets nothing: Origin and Host headers are under a non-browser
 * client's control, a key it has never seen is not.
 *
 * The key lives in <dataDir>/console-key (0600, made once), so the printed URL
 * stays valid across restarts and an open page reconnects by itself. Deleting
 * the file rotates it: the next start makes a new key, and every browser must
 * open the new URL.
 */

export const KEY_FILE = "console-key";
export const KEY_PARAM = "key";
/** Chromium keeps a cookie at most 400 days. */
const COOKIE_MAX_AGE_S = 400 * 24 * 3600;
const KEY_PATTERN = /^[0-9a-f]{64}$/;

export type Access = {
  readonly key: string;
  /** Per key, so two consoles on this machine (cookies ignore the port) keep their own. */
  readonly cookieName: string;
  readonly cookieValue: string;
};

export function accessFromKey(key: string): Access {
  return {
    key,
    cookieName: `grid_console_${createHash("sha256").update(key).digest("hex").slice(0, 12)}`,
    // Derived, not the key itself: the cookie opens the console but cannot be turned back into the printed URL.
    cookieValue: createHmac("sha256", key).update("grid-console access cookie v1").digest("hex"),
  };
}

export class AccessKeyError extends Error {
  override readonly name = "AccessKeyError";
}

/** The data dir's key, made (0600) on the first start. */
export function loadOrCreateAccessKey(dataDir: string): string {
  const file = path.join(dataDir, KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new AccessKeyError(`cannot create the console key ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let key: string;
  try {
    key = readFileSync(file, "utf8").trim();
    // Made by an older copy or by hand with a looser mode: nobody else needs to read it.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (error) {
    throw new AccessKeyError(`cannot read the console key ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (!KEY_PATTERN.test(key)) throw new AccessKeyError(`${file} does not hold a console key (64 hex digits); delete it and a new one is made at the next start`);
  return key;
}

/** The printed URL: the host's root with the key. */
export function keyedUrl(origin: string, access: Access): string {
  const url = new URL("/", origin);
  url.searchParams.set(KEY_PARAM, access.key);
  return url.href;
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function hasAccessCookie(header: string | undefined, access: Access): boolean {
  return secretsMatch(access.cookieValue, cookieValue(header, access.cookieName));
}

export function accessCookieHeader(access: Access): string {
  return `${access.cookieName}=${access.cookieValue}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}`;
}

/** Where the keyed request is sent on to: the same path and parameters (view=briefing…), without the key, wherever it was in the query. */
export function withoutKey(url: URL): string {
  const rest = new URLSearchParams(url.search);
  rest.delete(KEY_PARAM);
  const query = rest.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}

/** The page for a request with neither key nor cookie: how to open the console, and nothing of it. */
export function howToOpenPage(): Buffer {
  return Buffer.from(
    `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<title>网格化指挥分中心 · Grid Command Console</title>
<style>body{font:18px/1.6 system-ui,sans-serif;background:#101a2d;color:#e8eef8;max-width:46rem;margin:4rem auto;padding:0 1.5rem}code{background:#1d2b45;padding:0.1rem 0.3rem;border-radius:0.25rem}</style>
</head>
<body>
<h1>请使用控制台启动时打印的地址打开</h1>
<p>此控制台只向持有访问密钥的浏览器开放。请打开启动时打印的那一行地址：<code>console at http://127.0.0.1:&lt;端口&gt;/?key=…</code>（<code>npm start</code> 会自动打开它）。
密钥保存在数据目录的 <code>${KEY_FILE}</code> 文件中；删除该文件并重新启动即可更换密钥。</p>
<h1 lang="en">Open the console with the address it printed</h1>
<p lang="en">This console opens only for a browser holding its key. Open the address printed when it started:
<code>console at http://127.0.0.1:&lt;port&gt;/?key=…</code> (<code>npm start</code> opens it for you).
The key is kept in the data dir's <code>${KEY_FILE}</code> file; delete it and restart to change the key.</p>
</body>
</html>
`,
    "utf8",
  );
}
