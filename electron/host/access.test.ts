import { chmodSync, mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { BridgeHandlers } from "../../shared/bridge/contract.js";
import { BRIDGE_PATH, SECRET_META_NAME, SECRET_SUBPROTOCOL_PREFIX, WIRE_SUBPROTOCOL } from "../../shared/bridge/wire.js";
import { AccessKeyError, KEY_FILE, accessFromKey, cookieValue, loadOrCreateAccessKey, withoutKey } from "./access.js";
import { startWebHost, type WebHost } from "./server.js";

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A non-browser client: it sets any Host, Origin and Cookie it likes. */
function get(host: WebHost, urlPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port: host.port, path: urlPath, headers: { host: `127.0.0.1:${host.port}`, origin: host.origin, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
    })
      .on("error", reject)
      .end();
  });
}

function openBridge(host: WebHost, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, [WIRE_SUBPROTOCOL, `${SECRET_SUBPROTOCOL_PREFIX}${host.secret}`], { origin: host.origin, headers });
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      ws.close();
      resolve(101);
    });
    ws.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    ws.once("error", reject);
  });
}

const noBridge = { handlers: {} as BridgeHandlers, on: () => () => undefined };
const hosts: WebHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

function fixture(): { rendererDir: string; dataDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "access-"));
  const rendererDir = path.join(dir, "renderer");
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, "index.html"), "<!doctype html><html><head><title>t</title></head><body></body></html>");
  return { rendererDir, dataDir: path.join(dir, "data") };
}

async function host(rendererDir: string, dataDir: string, port = 0): Promise<WebHost> {
  const started = await startWebHost({ port, rendererDir, bridge: noBridge, log: () => undefined, access: accessFromKey(loadOrCreateAccessKey(dataDir)) });
  hosts.push(started);
  return started;
}

const setCookie = (reply: Reply) => String(reply.headers["set-cookie"] ?? "");
const keyOf = (host: WebHost) => new URL(host.url).searchParams.get("key") ?? "";

describe("the console key", () => {
  it("is made once in the data dir, 0600, and read back the same", () => {
    const { dataDir } = fixture();
    const key = loadOrCreateAccessKey(dataDir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAccessKey(dataDir)).toBe(key);
  });

  it("tightens a looser file and refuses one that holds no key", () => {
    const { dataDir } = fixture();
    const key = loadOrCreateAccessKey(dataDir);
    chmodSync(path.join(dataDir, KEY_FILE), 0o644);
    expect(loadOrCreateAccessKey(dataDir)).toBe(key);
    expect(statSync(path.join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(path.join(dataDir, KEY_FILE), "not a key\n");
    expect(() => loadOrCreateAccessKey(dataDir)).toThrow(AccessKeyError);
    expect(() => loadOrCreateAccessKey(dataDir)).toThrow(/delete it/);
  });

  it("is removed from the query wherever it is, the other parameters kept", () => {
    expect(withoutKey(new URL("http://h/?key=k&view=briefing"))).toBe("/?view=briefing");
    expect(withoutKey(new URL("http://h/?view=briefing&key=k&lang=en"))).toBe("/?view=briefing&lang=en");
    expect(withoutKey(new URL("http://h/?key=k"))).toBe("/");
  });
});

describe("a web host that opens only for its own browser", () => {
  it("gives a client without key or cookie, whatever Origin it forges, the how-to page and no secret, and no bridge", async () => {
    const { rendererDir, dataDir } = fixture();
    const web = await host(rendererDir, dataDir);
    for (const urlPath of ["/", "/index.html", "/?view=briefing", `/tiles/${web.secret}/1/1/1`]) {
      const reply = await get(web, urlPath, { origin: web.origin });
      expect([urlPath, reply.status]).toEqual([urlPath, 403]);
      expect(reply.body).not.toContain(SECRET_META_NAME);
      expect(reply.body).not.toContain(web.secret);
      expect(reply.body).not.toContain(web.briefingSecret);
    }
    const page = await get(web, "/");
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain("控制台启动时打印的地址");
    expect(page.body).toContain("Open the console with the address it printed");
    // Even holding a secret of this launch: no cookie, no bridge.
    expect(await openBridge(web, {})).toBe(401);
    expect(await openBridge(web, { cookie: `${web.cookie.split("=")[0]}=${"0".repeat(64)}` })).toBe(401);
    expect(await openBridge(web, { cookie: web.cookie })).toBe(101);
    // A wrong key is no key.
    expect((await get(web, `/?key=${"0".repeat(64)}`)).status).toBe(403);
  });

  it("swaps the key for an HttpOnly, SameSite=Strict cookie and the same address without the key, wherever the key is in the query", async () => {
    const { rendererDir, dataDir } = fixture();
    const web = await host(rendererDir, dataDir);
    const key = keyOf(web);
    expect(web.url).toBe(`${web.origin}/?key=${key}`);
    for (const [asked, location] of [
      [`/?key=${key}`, "/"],
      [`/?key=${key}&view=briefing`, "/?view=briefing"],
      [`/?view=briefing&key=${key}`, "/?view=briefing"],
    ] as const) {
      const reply = await get(web, asked);
      expect([asked, reply.status, reply.headers.location]).toEqual([asked, 303, location]);
      expect(setCookie(reply)).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
      expect(setCookie(reply)).not.toContain(key);
      const [name, value] = setCookie(reply).split(";")[0]?.split("=") ?? [];
      expect(`${name}=${value}`).toBe(web.cookie);
    }
    const page = await get(web, "/?view=briefing", { cookie: `other=1; ${web.cookie}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`content="${web.briefingSecret}"`);
  });

  it("keeps the key across a restart on the same data dir: the printed URL and an open page's cookie still work", async () => {
    const { rendererDir, dataDir } = fixture();
    const first = await host(rendererDir, dataDir);
    const cookie = first.cookie;
    const { url, port } = first;
    await first.close();
    const second = await host(rendererDir, dataDir, port);
    expect(second.url).toBe(url);
    expect((await get(second, new URL(url).pathname + new URL(url).search)).status).toBe(303);
    expect((await get(second, "/", { cookie })).body).toContain(`content="${second.secret}"`);
    expect(await openBridge(second, { cookie })).toBe(101);
    // Another data dir, another key: the first URL opens nothing there.
    const other = await host(rendererDir, fixture().dataDir);
    expect((await get(other, `/?key=${keyOf(first)}`)).status).toBe(403);
    expect((await get(other, "/", { cookie })).status).toBe(403);
    expect(readFileSync(path.join(dataDir, KEY_FILE), "utf8").trim()).toBe(keyOf(second));
  });

  it("reads one cookie out of a header of several", () => {
    expect(cookieValue("a=1; grid_console_x=abc; b=2", "grid_console_x")).toBe("abc");
    expect(cookieValue("a=1", "grid_console_x")).toBeUndefined();
    expect(cookieValue(undefined, "grid_console_x")).toBeUndefined();
  });
});

describe("a one-time launch URL (npm start's own browser)", () => {
  it("opens the console once, and nothing after that", async () => {
    const { rendererDir, dataDir } = fixture();
    const web = await host(rendererDir, dataDir);
    const launch = new URL(web.launchUrl());
    expect(launch.origin).toBe(web.origin);
    expect(launch.searchParams.get("key")).not.toBe(keyOf(web));
    const first = await get(web, `${launch.pathname}${launch.search}&view=briefing`);
    expect([first.status, first.headers.location]).toEqual([303, "/?view=briefing"]);
    expect(setCookie(first)).toContain(web.cookie);
    expect((await get(web, `${launch.pathname}${launch.search}`)).status).toBe(403);
    // The lasting key is untouched.
    expect((await get(web, `/?key=${keyOf(web)}`)).status).toBe(303);
  });
});
