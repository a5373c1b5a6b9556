import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { CallerSession, Result } from "../../shared/bridge/contract.js";
import { BRIDGE_PATH, SECRET_META_NAME, SECRET_SUBPROTOCOL_PREFIX, WIRE_SUBPROTOCOL } from "../../shared/bridge/wire.js";
import { MiniFeed, makeIncident } from "../engine/testing/mini-feed.js";
import { FAST, SETTINGS, sqlite3, tempDir, until } from "../engine/testing/harness.js";
import { WorkerEngine } from "../engine/worker/worker-engine.js";
import { viewOfSearch } from "./caller-session.js";
import { startWebHost, type WebHost } from "./server.js";

/*
 * Which page revealed a reporter, end to end: two pages on a real web host,
 * over its bridge sockets, to a real engine on its worker thread, and the
 * audit rows read back from cache.sqlite with the sqlite3 tool. The session
 * is the host's, per socket; what a page says about itself is refused or
 * ignored.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Page = { call(name: string, request: unknown, envelope?: Record<string, unknown>): Promise<Result<unknown>> };

function openPage(host: WebHost, secret: string, bridgeQuery = ""): Promise<Page> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}${bridgeQuery}`, [WIRE_SUBPROTOCOL, `${SECRET_SUBPROTOCOL_PREFIX}${secret}`], { origin: host.origin, headers: { cookie: host.cookie } });
  cleanups.push(() => ws.close());
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const message = JSON.parse(data.toString("utf8")) as { type: string; id?: number; result?: Result<unknown> };
    if (message.type === "reply" && message.id !== undefined) waiting.get(message.id)?.(message.result as Result<unknown>);
  });
  return new Promise((resolve, reject) => {
    ws.once("error", reject);
    ws.once("open", () =>
      resolve({
        call: (name, request, envelope = {}) =>
          new Promise((done) => {
            const id = nextId++;
            waiting.set(id, done);
            ws.send(JSON.stringify({ ...envelope, id, name, request }));
          }),
      }),
    );
  });
}

async function servedSecret(host: WebHost, query: string): Promise<string> {
  const html = await (await fetch(new URL(`/${query}`, host.origin), { headers: { cookie: host.cookie } })).text();
  const found = new RegExp(`<meta name="${SECRET_META_NAME}" content="([0-9a-f]+)"`).exec(html)?.[1];
  if (!found) throw new Error(`no secret in the page served at ${query}`);
  return found;
}

describe("the reveal audit records the page that asked", () => {
  it("two pages reveal: their rows carry the host's two session ids, never one a page forged", async () => {
    const feed = new MiniFeed();
    await feed.listen();
    cleanups.push(() => feed.close());
    feed.upsert(makeIncident("A", 1));
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const dataDir = path.join(dir, "data");
    const engine = new WorkerEngine({ feedUrl: feed.url, token: "secret", consoleId: "console-test", dataDir, settings: SETTINGS, regionLayer: null, timing: FAST });
    cleanups.push(() => engine.stop());
    let state = "";
    engine.on("status", (status) => (state = status.state));
    await engine.start();
    await until(() => state === "live", "live", 15_000);
    const rendererDir = path.join(dir, "renderer");
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, "index.html"), "<!doctype html><html><head><title>t</title></head><body></body></html>");
    const host = await startWebHost({ port: 0, rendererDir, bridge: engine, log: () => undefined });
    cleanups.push(() => host.close());
    const secret = await servedSecret(host, "");
    const desk = await openPage(host, secret);
    const patrols = await openPage(host, secret, "?view=patrols");

    const FORGED = "ffffffffffffffffffffffffffffffff";
    const forgedInRequest = await desk.call("revealReporter", { incidentId: "A", reason: "回访", session: { id: FORGED, role: "operator", view: "console" } });
    expect(forgedInRequest).toMatchObject({ ok: false, error: { code: "invalid" } });
    const forgedInCaller = await desk.call("revealReporter", { incidentId: "A", reason: "回访", caller: FORGED });
    expect(forgedInCaller).toMatchObject({ ok: false, error: { code: "invalid" } });
    // Beside the request, in the call's envelope, it is not read at all.
    expect(await desk.call("revealReporter", { incidentId: "A", reason: "回访" }, { session: { id: FORGED }, caller: { id: FORGED } })).toMatchObject({ ok: true });
    expect(await patrols.call("revealReporter", { incidentId: "A", reason: "核实" })).toMatchObject({ ok: true });
    expect(await desk.call("revealReporter", { incidentId: "A", reason: "再次回访" })).toMatchObject({ ok: true });
    await engine.stop();

    const rows = sqlite3(path.join(dataDir, "cache.sqlite"), "SELECT reason || '|' || operator_id || '|' || session FROM reveals ORDER BY id")
      .split("\n")
      .map((line) => {
        const [reason, operatorId, session] = line.split("|");
        return { reason, operatorId, session: JSON.parse(session ?? "null") as CallerSession };
      });
    expect(rows.map((row) => [row.reason, row.operatorId])).toEqual([
      ["回访", SETTINGS.operator.id],
      ["核实", SETTINGS.operator.id],
      ["再次回访", SETTINGS.operator.id],
    ]);
    const [first, other, again] = rows.map((row) => row.session);
    expect(first).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), role: "operator", view: "console", startedAt: expect.stringMatching(/\+08:00$/) });
    expect(other).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), role: "operator", view: "patrols" });
    expect(other?.id).not.toBe(first?.id);
    expect(again).toEqual(first);
    for (const session of [first, other]) expect(session?.id).not.toBe(FORGED);
  });

  it("takes the view from the page's query, and calls anything it does not know the console", () => {
    expect(viewOfSearch("?view=patrols")).toBe("patrols");
    expect(viewOfSearch("?view=briefing")).toBe("briefing");
    expect(viewOfSearch("")).toBe("console");
    expect(viewOfSearch("?view=%3Cscript%3E")).toBe("console");
  });
});
