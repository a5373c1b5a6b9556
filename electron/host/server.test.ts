import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import type { BridgeEventName, BridgeEvents, BridgeHandlers, Result } from "../../shared/bridge/contract.js";
import { BRIDGE_PATH, SECRET_SUBPROTOCOL_PREFIX, WIRE_SUBPROTOCOL, decodeBinaryFrame, decodeWithAttachments } from "../../shared/bridge/wire.js";
import type * as Wire from "../../shared/bridge/wire.js";
import { startWebHost, type BridgeSource, type WebHost } from "./server.js";

// The real encoder, counted: a push is encoded once per page role, not once per page.
const encoded = vi.hoisted(() => ({ events: 0 }));
vi.mock("../../shared/bridge/wire.js", async (original) => {
  const wire = await original<typeof Wire>();
  return {
    ...wire,
    encodeWithAttachments: (message: Parameters<typeof wire.encodeWithAttachments>[0]) => {
      if (message.type === "event") encoded.events++;
      return wire.encodeWithAttachments(message);
    },
  };
});

const unavailable = async (): Promise<Result<never>> => ({ ok: false, error: { code: "unavailable", message: "not in this test" } });

function fakeEngine(): BridgeSource & { emit<K extends BridgeEventName>(name: K, payload: BridgeEvents[K]): void; restarted(): void; calls: unknown[] } {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const restartListeners = new Set<() => void>();
  const calls: unknown[] = [];
  const handlers: BridgeHandlers = {
    getInitialState: unavailable,
    getCases: unavailable,
    getPastAddresses: unavailable,
    getRoster: unavailable,
    getIncidentMarkers: unavailable,
    getIncident: async (request) => {
      calls.push(request);
      if (request.id === "boom") throw new Error("engine exploded");
      return { ok: false, error: { code: "not_found", message: `no ${request.id}` } };
    },
    revealReporter: unavailable,
    sendCommand: async (request) => {
      calls.push(request);
      return { ok: true, value: { commandId: "c-1" } };
    },
    dismissOutbox: unavailable,
    retryOutbox: unavailable,
    acknowledgeAlert: unavailable,
    acknowledgeAttention: unavailable,
    getDiagnostics: unavailable,
    // Any reply value carrying a typed array: the host passes replies through whatever their shape.
    getRegionLayer: async () => ({ ok: true, value: { positions: new Float64Array([1.5, 2.5]) } as never }),
    getCoverage: unavailable,
    getPatrolChecks: unavailable,
    getPatrolTrack: unavailable,
    getAssessment: unavailable,
    getHandover: unavailable,
    writeHandover: unavailable,
    acknowledgeHandover: unavailable,
    getHandoverRecord: unavailable,
    getWall: unavailable,
    pushToWall: unavailable,
    clearWall: unavailable,
    queueWindow: unavailable,
  };
  return {
    handlers,
    calls,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    onRestarted(listener) {
      restartListeners.add(listener);
      return () => restartListeners.delete(listener);
    },
    restarted() {
      for (const listener of restartListeners) listener();
    },
  };
}

/** A GET the way the console's own browser sends it: with the access cookie (./access.ts). */
const get = (host: WebHost, urlPath = "/") => fetch(new URL(urlPath, host.origin), { headers: { cookie: host.cookie } });

function rawGet(host: WebHost, urlPath: string, hostHeader = `127.0.0.1:${host.port}`): Promise<number> {
  const { port } = host;
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: urlPath, headers: { host: hostHeader, cookie: host.cookie } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}

type Client = { ws: WebSocket; next(): Promise<{ text?: unknown; binary?: ReturnType<typeof decodeBinaryFrame> }> };

function connect(host: WebHost, options: { secret?: string; origin?: string; hostHeader?: string; cookie?: string } = {}): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, [WIRE_SUBPROTOCOL, `${SECRET_SUBPROTOCOL_PREFIX}${options.secret ?? host.secret}`], {
    origin: options.origin ?? `http://127.0.0.1:${host.port}`,
    headers: { ...(options.hostHeader ? { host: options.hostHeader } : {}), ...((options.cookie ?? host.cookie) ? { cookie: options.cookie ?? host.cookie } : {}) },
  });
  const inbox: { text?: unknown; binary?: ReturnType<typeof decodeBinaryFrame> }[] = [];
  const waiters: ((m: (typeof inbox)[number]) => void)[] = [];
  let attachments: Float64Array[] = [];
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    let message: (typeof inbox)[number] | null = null;
    if (isBinary) {
      const frame = decodeBinaryFrame(new Uint8Array(data));
      if (frame?.kind === "attachment") attachments.push(frame.data);
      else message = { binary: frame };
    } else {
      message = { text: decodeWithAttachments(data.toString("utf8"), attachments) };
      attachments = [];
    }
    if (!message) return;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () =>
      resolve({
        ws,
        next: () => new Promise((r) => (inbox.length > 0 ? r(inbox.shift() as (typeof inbox)[number]) : waiters.push(r))),
      }),
    );
    ws.once("unexpected-response", (_request, response) => reject(new Error(`refused ${response.statusCode}`)));
    ws.once("error", reject);
  });
}

describe("web host", () => {
  let dir: string;
  let host: WebHost;
  let engine: ReturnType<typeof fakeEngine>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "host-"));
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><html><head><title>t</title></head><body></body></html>");
    writeFileSync(path.join(dir, "assets", "app-abc123.js"), "console.log(1)");
    engine = fakeEngine();
    host = await startWebHost({ port: 0, rendererDir: dir, bridge: engine, log: () => undefined });
  });
  afterEach(() => host.close());

  it("refuses to bind anything but 127.0.0.1", async () => {
    await expect(startWebHost({ port: 0, host: "0.0.0.0", rendererDir: dir, bridge: engine, log: () => undefined })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it("serves index.html with the secret, strict CSP and no caching", async () => {
    const response = await get(host);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(await response.text()).toContain(`content="${host.secret}"`);
  });

  it("lets the page fetch and show tiles from a configured tile server's origin, and from no other", async () => {
    expect(host.url).not.toContain("10.0.0.5");
    expect((await get(host)).headers.get("content-security-policy")).not.toMatch(/http:\/\/10\.0\.0\.5/);
    const withTiles = await startWebHost({ port: 0, rendererDir: dir, bridge: engine, log: () => undefined, tileOrigin: "http://10.0.0.5:8080" });
    try {
      const policy = (await get(withTiles)).headers.get("content-security-policy") ?? "";
      expect(policy).toContain(`connect-src 'self' ws://127.0.0.1:${withTiles.port} http://10.0.0.5:8080;`);
      expect(policy).toContain("img-src 'self' data: blob: http://10.0.0.5:8080;");
    } finally {
      await withTiles.close();
    }
  });

  it("serves hashed assets as immutable and refuses paths outside the build", async () => {
    const asset = await get(host, "/assets/app-abc123.js");
    expect(asset.headers.get("content-type")).toMatch(/text\/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    // fetch() would normalise the dots away; a hostile client sends them raw.
    // Dot segments are resolved inside the build folder; encoded slashes that would climb out are refused.
    expect(await rawGet(host, "/%2e%2e/%2e%2e/etc/passwd")).toBe(404);
    expect(await rawGet(host, "/..%2F..%2F..%2Fetc%2Fpasswd")).toBe(400);
    expect((await get(host, "/missing.js")).status).toBe(404);
  });

  it("answers 421 to a request naming another host (DNS rebinding)", async () => {
    expect(await rawGet(host, "/", `evil.example:${host.port}`)).toBe(421);
    expect(await rawGet(host, "/", `localhost:${host.port}`)).toBe(200);
  });

  it("refuses a bridge socket with a wrong secret, a foreign origin or a foreign host", async () => {
    await expect(connect(host, { secret: "0".repeat(64) })).rejects.toThrow(/refused 401/);
    await expect(connect(host, { origin: "http://evil.example" })).rejects.toThrow(/refused 403/);
    await expect(connect(host, { hostHeader: `evil.example:${host.port}` })).rejects.toThrow(/refused 421/);
  });

  it("dispatches a valid call to the engine and returns its Result", async () => {
    const client = await connect(host);
    client.ws.send(JSON.stringify({ id: 7, name: "sendCommand", request: { type: "urge", incidentId: "A-1", payload: { note: "快" } } }));
    expect((await client.next()).text).toEqual({ type: "reply", id: 7, result: { ok: true, value: { commandId: "c-1" } } });
    expect(engine.calls).toEqual([{ type: "urge", incidentId: "A-1", payload: { note: "快" } }]);
    client.ws.close();
  });

  it("tells every page, operator and briefing, to resync once a restarted engine is up (electron/engine/worker/supervisor.ts)", async () => {
    const operator = await connect(host);
    const briefing = await connect(host, { secret: host.briefingSecret });
    engine.restarted();
    expect((await operator.next()).text).toEqual({ type: "resync" });
    expect((await briefing.next()).text).toEqual({ type: "resync" });
    operator.ws.close();
    briefing.ws.close();
  });

  it("answers an invalid request with an invalid error without reaching the engine", async () => {
    const client = await connect(host);
    client.ws.send(JSON.stringify({ id: 1, name: "sendCommand", request: { type: "reject", incidentId: "A-1", payload: { reason: "  " } } }));
    const reply = (await client.next()).text as { result: Result<unknown> };
    expect(reply.result).toMatchObject({ ok: false, error: { code: "invalid" } });
    client.ws.send(JSON.stringify({ id: 2, name: "dropDatabase", request: {} }));
    expect(((await client.next()).text as { result: Result<unknown> }).result).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(engine.calls).toEqual([]);
    client.ws.close();
  });

  it("turns a handler that throws into an internal error", async () => {
    const client = await connect(host);
    client.ws.send(JSON.stringify({ id: 3, name: "getIncident", request: { id: "boom" } }));
    expect(((await client.next()).text as { result: Result<unknown> }).result).toEqual({ ok: false, error: { code: "internal", message: "getIncident failed" } });
    client.ws.close();
  });

  it("pushes positions as one binary frame and other events as JSON to every socket", async () => {
    const a = await connect(host);
    const b = await connect(host);
    engine.emit("positions", { data: new Float64Array([0, 116.4, 39.9, 1_700_000_000_000, Number.NaN, 1.2]) });
    for (const client of [a, b]) {
      const frame = (await client.next()).binary;
      expect(frame?.kind).toBe("positions");
      expect(Array.from(frame?.data ?? []).slice(0, 4)).toEqual([0, 116.4, 39.9, 1_700_000_000_000]);
      expect(Number.isNaN(frame?.data[4])).toBe(true);
    }
    engine.emit("alerts", []);
    expect((await a.next()).text).toEqual({ type: "event", name: "alerts", payload: [] });
    a.ws.close();
    b.ws.close();
  });

  it("encodes a push once per page role, however many pages of that role are open", async () => {
    const operators = [await connect(host), await connect(host), await connect(host)];
    const briefing = await connect(host, { secret: host.briefingSecret });
    const before = encoded.events;
    engine.emit("alerts", []);
    for (const client of [...operators, briefing]) expect((await client.next()).text).toEqual({ type: "event", name: "alerts", payload: [] });
    expect(encoded.events - before).toBe(2);
    for (const client of [...operators, briefing]) client.ws.close();
  });

  it("carries typed arrays inside a reply as binary attachments", async () => {
    const client = await connect(host);
    client.ws.send(JSON.stringify({ id: 9, name: "getRegionLayer", request: {} }));
    const reply = (await client.next()).text as { result: { ok: true; value: { positions: Float64Array } } };
    expect(reply.result.value.positions).toBeInstanceOf(Float64Array);
    expect(Array.from(reply.result.value.positions)).toEqual([1.5, 2.5]);
    client.ws.close();
  });

  it("sends a reply larger than the backlog limit to a slow page, drops pushed events behind it, then tells the page to resync", async () => {
    const small = await startWebHost({
      port: 0,
      rendererDir: dir,
      bridge: engine,
      log: () => undefined,
      backlogLimits: { maxPushedBytes: 256 << 10, positionsBytes: 64 << 10, maxReplyBytes: 1 << 20 },
    });
    // 32 MB: far more than the loopback socket buffers take, so most of it waits in the host.
    const big = new Float64Array(4 << 20).fill(0.5);
    let answered = false;
    engine.handlers.getRegionLayer = async () => {
      answered = true;
      return { ok: true, value: { positions: big } as never };
    };
    const client = await connect(small);
    client.ws.pause();
    client.ws.send(JSON.stringify({ id: 1, name: "getRegionLayer", request: {} }));
    while (!answered) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // ~130 kB each: two fit under 256 kB, the third puts the socket behind; what follows is dropped.
    const removed = Array.from({ length: 10_000 }, (_, i) => `C-${String(i).padStart(8, "0")}`);
    for (let i = 0; i < 5; i++) engine.emit("incidents", { upserts: [], removed, reset: false });
    engine.emit("positions", { data: new Float64Array(6) });
    client.ws.send(JSON.stringify({ id: 2, name: "sendCommand", request: { type: "urge", incidentId: "A-1", payload: { note: "快" } } }));
    client.ws.resume();

    const reply = (await client.next()).text as { type: string; id: number; result: { ok: true; value: { positions: Float64Array } } };
    expect(reply).toMatchObject({ type: "reply", id: 1 });
    expect(reply.result.value.positions.length).toBe(big.length);
    const after: unknown[] = [];
    for (let i = 0; i < 4; i++) after.push((await client.next()).text);
    expect(after.slice(0, 2)).toEqual([
      { type: "event", name: "incidents", payload: { upserts: [], removed, reset: false } },
      { type: "event", name: "incidents", payload: { upserts: [], removed, reset: false } },
    ]);
    // The resync once the pushed backlog drained, and the call read again once the reply had gone.
    expect(after.slice(2)).toEqual(
      expect.arrayContaining([{ type: "resync" }, { type: "reply", id: 2, result: { ok: true, value: { commandId: "c-1" } } }]),
    );
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    // Caught up: events flow again.
    engine.emit("alerts", []);
    expect((await client.next()).text).toEqual({ type: "event", name: "alerts", payload: [] });
    client.ws.close();
    await small.close();
  });
});
