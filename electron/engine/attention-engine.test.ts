import { afterEach, describe, expect, it } from "vitest";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import { makeEngine, record, sqlite3, tempDir, until } from "./testing/harness.js";
import type { ConsoleEngine } from "./engine.js";
import { join } from "node:path";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(url: string, dir: string): Promise<ConsoleEngine> {
  const engine = makeEngine(url, dir);
  cleanups.push(() => engine.stop());
  await engine.start();
  return engine;
}

describe("the engine's attention list", () => {
  it("lists an urgent case from the snapshot, keeps its acknowledgement (operator, time) across a restart, and audits it in the cache", async () => {
    const server = new MiniFeed();
    await server.listen();
    cleanups.push(() => server.close());
    server.upsert(makeIncident("U", 1, { priority: "urgent" }));
    const { dir, remove } = tempDir();
    cleanups.push(remove);

    const first = await start(server.url, dir);
    await until(() => first.attention.list().some((i) => i.key === "case:U"), "the urgent case on the list");
    const initial = await first.handlers.getInitialState({});
    if (!initial.ok) throw new Error(initial.error.message);
    // Pages get the ticker's view: the list's first items in order and its counts.
    expect(initial.value.attentionTicker).toMatchObject({ total: 1, waiting: 1, criticalWaiting: 1, criticalAlertWaiting: false, items: [{ key: "case:U" }] });
    expect(initial.value.attentionTicker.items[0]?.acknowledged).toBeUndefined();
    const tickers = record(first, "attentionTicker");

    await expect(first.handlers.acknowledgeAttention({ key: "case:U" })).resolves.toEqual({ ok: true, value: { acknowledged: true } });
    // A page opening at once (before the next push) reads the list as acknowledged: the ticker the engine keeps is not the one from before.
    const opened = await first.handlers.getInitialState({});
    expect(opened.ok && opened.value.attentionTicker).toMatchObject({ waiting: 0, items: [{ key: "case:U", acknowledged: { by: { name: "值班员" } } }] });
    await expect(first.handlers.acknowledgeAttention({ key: "case:U" })).resolves.toEqual({ ok: true, value: { acknowledged: false } });
    await expect(first.handlers.acknowledgeAttention({ key: "" })).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    await until(() => tickers.some((t) => t.waiting === 0), "the acknowledgement pushed in the ticker's view");
    expect(tickers.at(-1)).toMatchObject({ total: 1, waiting: 0, criticalWaiting: 0, items: [{ key: "case:U", acknowledged: { by: { name: "值班员" } } }] });
    await first.stop();

    const rows = sqlite3(join(dir, "cache.sqlite"), "SELECT item_key, level, reasons, operator_id, operator_name, ended_at IS NULL FROM acknowledgements");
    expect(rows.trim()).toBe("case:U|critical|urgent|op-1|值班员|1");

    const second = await start(server.url, dir);
    const again = await second.handlers.getInitialState({});
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.attentionTicker.items.find((i) => i.key === "case:U")?.acknowledged?.by).toEqual({ id: "op-1", name: "值班员" });
  });
});

describe("the engine's archived cases", () => {
  it("keeps a case the platform archives as KPI history (not a case any page is sent), and again after a restart", async () => {
    const server = new MiniFeed();
    await server.listen();
    cleanups.push(() => server.close());
    const now = new Date().toISOString();
    server.upsert(makeIncident("C", 1, { status: "closed", updatedAt: now, history: [{ at: now, action: "close", actor: "值班员" }] }));
    const { dir, remove } = tempDir();
    cleanups.push(remove);

    const first = await start(server.url, dir);
    await until(() => first.replica.incidents.has("C"), "the closed case");
    server.publish([{ type: "incident.archived", id: "C", version: 1 }]);
    await until(() => first.archived.list().some((r) => r.id === "C"), "the archived case kept as history");
    expect(first.archived.list().find((r) => r.id === "C")).toMatchObject({ status: "closed", milestones: { closed: now } });
    await first.stop();

    const second = await start(server.url, dir);
    const initial = await second.handlers.getInitialState({});
    if (!initial.ok) throw new Error(initial.error.message);
    const cases = await second.handlers.getCases({ ids: ["C"] });
    expect(cases.ok && cases.value).toEqual([]);
    expect(second.archived.list().map((r) => r.id)).toEqual(["C"]);
  });
});
