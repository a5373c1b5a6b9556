import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { GridCounts, IncidentView, InitialState, Result } from "../../shared/bridge/contract.js";
import type { Situation } from "../../shared/domain/situation.js";
import { BRIDGE_PATH, SECRET_META_NAME, SECRET_SUBPROTOCOL_PREFIX, WIRE_SUBPROTOCOL, decodeBinaryFrame, decodeWithAttachments, type Attachment } from "../../shared/bridge/wire.js";
import type { ConsoleEngine } from "../engine/engine.js";
import { MiniFeed, makeIncident } from "../engine/testing/mini-feed.js";
import { makeEngine, tempDir, until } from "../engine/testing/harness.js";
import { toBeijingIso } from "../../shared/domain/time.js";
import { incidentView } from "../../shared/domain/fixtures/incident-view.js";
import { briefingEvent, briefingReply, mayCall, roleOfPageRequest } from "./roles.js";
import { startWebHost, type WebHost } from "./server.js";

/*
 * The briefing page's capability, end to end through a real engine: the host
 * decides it when it serves the page, and a socket holding the briefing
 * secret can read the masked picture but never reveal a reporter or act.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PHONE = "13912345678";
const NAME = "张三";

async function running(change: Parameters<typeof makeEngine>[2] = {}): Promise<{ host: WebHost; engine: ConsoleEngine; feed: MiniFeed }> {
  const feed = new MiniFeed();
  await feed.listen();
  cleanups.push(() => feed.close());
  feed.upsert(makeIncident("A", 1));
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const engine = makeEngine(feed.url, path.join(dir, "data"), change);
  cleanups.push(() => engine.stop());
  await engine.start();
  await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === feed.seq, "live");
  const rendererDir = path.join(dir, "renderer");
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, "index.html"), "<!doctype html><html><head><title>t</title></head><body></body></html>");
  const host = await startWebHost({ port: 0, rendererDir, bridge: engine, log: () => undefined });
  cleanups.push(() => host.close());
  return { host, engine, feed };
}

/** The secret the host put in the page served at `query`, as a browser would read it. */
async function servedSecret(host: WebHost, query: string): Promise<string> {
  const html = await (await fetch(new URL(`/${query}`, host.origin), { headers: { cookie: host.cookie } })).text();
  const found = new RegExp(`<meta name="${SECRET_META_NAME}" content="([0-9a-f]+)"`).exec(html)?.[1];
  if (!found) throw new Error(`no secret in the page served at ${query}`);
  return found;
}

type Page = { call(name: string, request: unknown): Promise<Result<unknown>>; events: string[]; payloads: { name?: string; payload?: unknown }[]; close(): void };

function openSocket(host: WebHost, secret: string): Promise<Page> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, [WIRE_SUBPROTOCOL, `${SECRET_SUBPROTOCOL_PREFIX}${secret}`], { origin: `http://127.0.0.1:${host.port}`, headers: { cookie: host.cookie } });
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  const events: string[] = [];
  const payloads: { name?: string; payload?: unknown }[] = [];
  let nextId = 1;
  let attachments: Attachment[] = [];
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      const frame = decodeBinaryFrame(new Uint8Array(data));
      if (frame?.kind === "attachment" || frame?.kind === "u32") attachments.push(frame.data);
      return;
    }
    const text = data.toString("utf8");
    const message = decodeWithAttachments(text, attachments) as { type: string; id?: number; result?: Result<unknown>; name?: string; payload?: unknown };
    if (message.type === "reply" && message.id !== undefined) waiting.get(message.id)?.(message.result as Result<unknown>);
    else {
      events.push(text);
      payloads.push(message);
    }
    attachments = [];
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () =>
      resolve({
        call: (name, request) =>
          new Promise((done) => {
            const id = nextId++;
            waiting.set(id, done);
            ws.send(JSON.stringify({ id, name, request }));
          }),
        events,
        payloads,
        close: () => ws.close(),
      }),
    );
    ws.once("unexpected-response", (_request, response) => reject(new Error(`refused ${response.statusCode}`)));
    ws.once("error", reject);
  });
}

describe("page roles", () => {
  it("are decided by the URL the page is served at", () => {
    expect(roleOfPageRequest("?view=briefing")).toBe("briefing");
    expect(roleOfPageRequest("?lang=en&view=briefing")).toBe("briefing");
    expect(roleOfPageRequest("")).toBe("operator");
    expect(roleOfPageRequest("?view=operator")).toBe("operator");
    expect(mayCall("briefing", "getInitialState")).toBe(true);
    expect(mayCall("briefing", "getCoverage")).toBe(true);
    // The wall reads what was pushed to it; pushing and taking back are the operator's.
    expect(mayCall("briefing", "getWall")).toBe(true);
    for (const name of ["revealReporter", "sendCommand", "retryOutbox", "dismissOutbox", "acknowledgeAlert", "pushToWall", "clearWall", "getHandoverRecord", "queueWindow"] as const) {
      expect(mayCall("briefing", name)).toBe(false);
      expect(mayCall("operator", name)).toBe(true);
    }
  });
});

describe("what a briefing page is sent of a case", () => {
  it("has no free text, and no phone number typed into the title, in the cases it holds (getCases) and their pushes", () => {
    const typed = { ...incidentView("T", { description: "王先生说…" }), title: "来电 13912345678 反映噪声" };
    const reply = briefingReply("getCases", { ok: true, value: [typed] });
    expect(reply.ok && (reply.value as IncidentView[])[0]).toMatchObject({ id: "T", title: "来电 139****5678 反映噪声" });
    expect(JSON.stringify(reply)).not.toContain("王先生");
    const pushed = briefingEvent("incidents", { upserts: [typed], removed: [], reset: false });
    expect(pushed.upserts[0]?.title).toBe("来电 139****5678 反映噪声");
    expect(pushed.upserts[0]?.description).toBeUndefined();
  });
});

describe("the briefing page over the web host", () => {
  it("is served a secret of its own, distinct from the operator page's", async () => {
    const { host } = await running();
    const briefing = await servedSecret(host, "?view=briefing");
    const operator = await servedSecret(host, "");
    expect(briefing).toBe(host.briefingSecret);
    expect(operator).toBe(host.secret);
    expect(briefing).not.toBe(operator);
    expect(await servedSecret(host, "index.html?view=briefing")).toBe(briefing);
    // Either secret opens a socket; anything else is refused as before.
    (await openSocket(host, briefing)).close();
    await expect(openSocket(host, "0".repeat(64))).rejects.toThrow(/refused 401/);
  });

  it("cannot reveal a reporter or act on a case; no unmasked personal data reaches it; the operator page still reveals, and it is recorded", async () => {
    const { host, engine, feed } = await running();
    const briefing = await openSocket(host, await servedSecret(host, "?view=briefing"));
    cleanups.push(() => briefing.close());

    const reveal = await briefing.call("revealReporter", { incidentId: "A", reason: "想看看" });
    expect(reveal).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(JSON.stringify(reveal)).not.toContain(PHONE);
    expect(await briefing.call("sendCommand", { type: "urge", incidentId: "A", payload: { note: "快" } })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(engine.outbox.list()).toEqual([]);
    // Nothing was revealed, so nothing was recorded.
    expect(engine.cache.reveals("A")).toEqual([]);

    // What it may read is masked: the initial picture, the case itself, and what is pushed afterwards.
    const initial = await briefing.call("getInitialState", {});
    expect(initial.ok).toBe(true);
    const incident = await briefing.call("getIncident", { id: "A" });
    expect(incident).toMatchObject({ ok: true, value: { reporter: { name: "张*", phone: "139****5678", masked: true } } });
    feed.upsert(makeIncident("B", 1));
    await until(() => briefing.events.some((text) => text.includes('"B"')), "the new case pushed to the briefing page");
    for (const text of [JSON.stringify(initial), JSON.stringify(incident), ...briefing.events]) {
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain(NAME);
    }

    // The operator page, same host, same engine: reveals, and the reveal is on record.
    const operator = await openSocket(host, await servedSecret(host, ""));
    cleanups.push(() => operator.close());
    expect(await operator.call("revealReporter", { incidentId: "A", reason: "回访" })).toEqual({ ok: true, value: { name: NAME, phone: PHONE } });
    expect(engine.cache.reveals("A")).toMatchObject([{ operatorId: "op-1", reason: "回访" }]);
  });

  it("reads no case free text (descriptions, history notes, the 回访 note), while the operator page reads it all; archived cases reach no page", async () => {
    const { host, engine, feed } = await running();
    const SECRET_TEXT = "邻居说张三家里有人吵架";
    const NOTE = "已电话联系居民王五";
    const RESIDENT_SAID = "回访：赵六说楼上还在漏水";
    const history = [{ at: "2026-11-22T09:00:00+08:00", action: "report", actor: "patrol", note: NOTE }];
    feed.upsert(makeIncident("A", 2, { description: SECRET_TEXT, history }));
    const briefing = await openSocket(host, await servedSecret(host, "?view=briefing"));
    cleanups.push(() => briefing.close());
    const operator = await openSocket(host, await servedSecret(host, ""));
    cleanups.push(() => operator.close());
    feed.upsert(makeIncident("C", 1, { description: SECRET_TEXT, history }));
    await until(() => briefing.events.some((text) => text.includes('"C"')) && operator.events.some((text) => text.includes('"C"')), "the new case pushed to both pages");
    const read = async (page: Page) => JSON.stringify([await page.call("getInitialState", {}), await page.call("getIncident", { id: "A" }), ...page.events]);
    // The queue is the operator's: a briefing page may not page through it; what it is pushed about the queue names views, never cases.
    const window = { filter: { statuses: [], category: null, area: null, departmentId: null, source: null, overdueOnly: false, search: "" }, offset: 0, limit: 50 };
    expect(await briefing.call("queueWindow", window)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const queue = await operator.call("queueWindow", window);
    expect(queue).toMatchObject({ ok: true, value: { total: 2 } });
    // Rows carry what a row draws: no free text and no reporter, even for the operator (the detail fetches the case whole).
    expect(JSON.stringify(queue)).toContain('"C"');
    expect(JSON.stringify(queue)).not.toContain(SECRET_TEXT);
    expect(JSON.stringify(queue)).not.toContain(NAME);
    feed.upsert(makeIncident("D", 1));
    await until(() => briefing.events.some((text) => text.includes('"queueChanged"')), "the queue's change pushed to the briefing page");
    // The 回访's note (what the resident said) is free text too: on a case, and on a case the platform then archives (the engine's KPI history only).
    const now = toBeijingIso(Date.now());
    const evaluation = { rating: "unsatisfied" as const, at: now, note: RESIDENT_SAID };
    feed.upsert(makeIncident("E", 1, { status: "closed", createdAt: now, updatedAt: now, evaluation }));
    feed.upsert(makeIncident("F", 1, { status: "closed", createdAt: now, updatedAt: now, evaluation }));
    feed.publish([{ type: "incident.archived", id: "F", version: 2 }]);
    await until(() => engine.archived.list().some((record) => record.id === "F"), "the archived case kept as the engine's history");
    await until(() => [briefing, operator].every((page) => page.events.some((text) => text.includes('"removed":["F"]'))), "its removal pushed to both pages");
    for (const text of [...briefing.events, ...operator.events]) expect(text).not.toContain('"archived"');
    for (const text of briefing.events.filter((event) => event.includes('"queueChanged"'))) expect(text).not.toMatch(/"[A-D]"/);
    const briefingText = await read(briefing);
    expect(briefingText).toContain('"A"');
    expect(briefingText).not.toContain(SECRET_TEXT);
    expect(briefingText).not.toContain(NOTE);
    expect(briefingText).not.toContain(RESIDENT_SAID);
    // The rating still goes with the case (the 满意率 is the engine's): only the note is left out.
    expect(briefing.events.some((text) => text.includes('"evaluation":{"rating":"unsatisfied"'))).toBe(true);
    const operatorText = await read(operator);
    expect(operatorText).toContain(SECRET_TEXT);
    expect(operatorText).toContain(NOTE);
    expect(operatorText).toContain(RESIDENT_SAID);
  });

  it("gets the attention list's counts but not its items (titles, addresses), and the feed's alerts without their texts", async () => {
    const { host, engine, feed } = await running();
    feed.upsert(makeIncident("U", 1, { priority: "urgent", title: "王先生13912345678反映楼道起火", address: "东四北大街8号" }));
    feed.publish([{ type: "alert", alert: { id: "AL1", at: "2026-11-22T09:00:00+08:00", level: "critical", title: "SOS 13987654321", body: "网格员李四在东四北大街8号求助", unitId: "U1", lon: 116.41, lat: 39.92 } }]);
    await until(() => engine.attention.list().some((item) => item.key === "case:U"), "the urgent case on the list");
    const briefing = await openSocket(host, await servedSecret(host, "?view=briefing"));
    cleanups.push(() => briefing.close());
    const operator = await openSocket(host, await servedSecret(host, ""));
    cleanups.push(() => operator.close());
    const seen = await briefing.call("getInitialState", {});
    const full = await operator.call("getInitialState", {});
    if (!seen.ok || !full.ok) throw new Error("no initial state");
    const ticker = (full.value as InitialState).attentionTicker;
    expect(ticker.items.some((item) => item.key === "case:U")).toBe(true);
    expect((seen.value as InitialState).attentionTicker).toEqual({ ...ticker, items: [] });
    expect((seen.value as InitialState).alerts).toEqual([{ id: "AL1", at: "2026-11-22T09:00:00+08:00", level: "critical", title: "SOS 139****4321", unitId: "U1", lon: 116.41, lat: 39.92 }]);
    // Pushed too: a new urgent case moves the ticker; the briefing page is told the counts only.
    feed.upsert(makeIncident("V", 1, { priority: "urgent", title: "紧急：电话13912345678" }));
    await until(() => briefing.events.some((text) => text.includes('"attentionTicker"')) && operator.events.some((text) => text.includes('"attentionTicker"') && text.includes('"case:V"')), "the ticker pushed to both pages");
    const briefingText = JSON.stringify([seen, ...briefing.events]);
    for (const secret of ["13912345678", "13987654321", "东四北大街8号求助", "case:U", "case:V"]) expect(briefingText).not.toContain(secret);
  });

  it("gets the map's case counts per grid as they are (counts, no personal data), as Uint32Arrays over the wire", async () => {
    const layer: unknown = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "..", "resources", "region", "dongcheng.geojson"), "utf8"));
    const { host, engine, feed } = await running({ regionLayer: layer });
    await until(() => engine.gridCounts.ready, "the engine counting on the region layer", 30_000);
    const prepared = await engine.region.get();
    if (!prepared.ok) throw new Error("the test layer did not load");
    const grid = prepared.layer.grids[3];
    if (!grid) throw new Error("the test layer has too few grids");
    const briefing = await openSocket(host, await servedSecret(host, "?view=briefing"));
    cleanups.push(() => briefing.close());
    const initial = await briefing.call("getInitialState", {});
    const counts = (initial as { ok: true; value: InitialState }).value.gridCounts;
    expect(counts?.open).toBeInstanceOf(Uint32Array);
    expect(counts?.layer).toBe(engine.gridCounts.layerKey);
    expect(counts?.open.length).toBe(prepared.layer.grids.length);
    feed.upsert(makeIncident("G", 1, { gridCode: grid.code, lon: grid.labelAt[0], lat: grid.labelAt[1], status: "dispatched" }));
    const pushed = () => briefing.payloads.filter((m) => m.name === "gridCounts").map((m) => m.payload as GridCounts);
    await until(() => pushed().some((c) => c.open[3] === (counts?.open[3] ?? 0) + 1), "the new case counted in its grid on the briefing page");
    const last = pushed().at(-1) as GridCounts;
    expect(Object.keys(last).sort()).toEqual(["at", "layer", "open", "overdue"]);
    expect(last.overdue).toBeInstanceOf(Uint32Array);
    expect([...last.open]).toEqual([...(engine.gridCounts.current()?.open ?? [])]);
    expect(briefing.events.filter((text) => text.includes('"gridCounts"')).join("")).not.toContain(NAME);
  });

  it("gets the situation as the operator page does (figures and the names of departments, categories and areas; no case, no person)", async () => {
    const { host, feed } = await running();
    const briefing = await openSocket(host, await servedSecret(host, "?view=briefing"));
    cleanups.push(() => briefing.close());
    const operator = await openSocket(host, await servedSecret(host, ""));
    cleanups.push(() => operator.close());
    const initial = (await briefing.call("getInitialState", {})) as { ok: true; value: InitialState };
    expect(initial.value.situation?.summary.today).toBeDefined();
    const at = new Date().toISOString();
    feed.upsert(makeIncident("S", 1, { status: "dispatched", title: "楼道堆物 李四家门口", description: `李四 ${PHONE} 反映`, department: { id: "D01", name: "街道城管执法队" }, createdAt: at, updatedAt: at, history: [{ at, action: "report", actor: "patrol", note: "李四说" }] }));
    const pushed = (page: Awaited<ReturnType<typeof openSocket>>) => page.payloads.filter((m) => m.name === "situation").map((m) => m.payload as Situation);
    await until(() => pushed(briefing).some((s) => s.ranking.some((row) => row.departmentId === "D01")), "the situation with the new case's department on the briefing page");
    // The operator page opened after the briefing page, so it may have missed a push the briefing page got: the pages agree on the latest situation.
    const latest = (page: Awaited<ReturnType<typeof openSocket>>) => JSON.stringify(pushed(page).at(-1) ?? null);
    await until(() => pushed(operator).length > 0 && latest(operator) === latest(briefing), "the same latest situation on the operator page");
    expect(pushed(briefing).at(-1)).toEqual(pushed(operator).at(-1));
    const text = briefing.events.filter((t) => t.includes('"situation"')).join("") + JSON.stringify(initial.value.situation);
    for (const personal of [NAME, PHONE, "李四", "楼道堆物"]) expect(text).not.toContain(personal);
  });
});
