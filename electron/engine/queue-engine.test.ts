import { afterEach, describe, expect, it } from "vitest";
import type { CallerSession } from "../../shared/bridge/contract.js";
import type { QueueChanged } from "../../shared/bridge/queue.js";
import { EMPTY_FILTER } from "../../shared/domain/queue.js";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import { makeEngine, tempDir, until } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const session = (id: string): CallerSession => ({ id: id.padEnd(32, "0"), startedAt: "2026-11-22T09:00:00+08:00", role: "operator", view: "console" });

describe("the engine's queue", () => {
  it("serves each page the window it asks for, tells pages which views a change moved, and refuses a bad request", async () => {
    const server = new MiniFeed();
    await server.listen();
    cleanups.push(() => server.close());
    server.upsert(makeIncident("C1", 1));
    server.upsert(makeIncident("C2", 1, { createdAt: "2026-11-22T10:00:00+08:00" }));
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const engine = makeEngine(server.url, dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    await until(() => engine.queue.size === 2, "the cases in the queue (a tick after the replica)");
    const told: QueueChanged[] = [];
    engine.on("queueChanged", (changed) => told.push(changed));

    const a = await engine.handlers.queueWindow({ filter: EMPTY_FILTER, offset: 0, limit: 10 }, session("a"));
    const b = await engine.handlers.queueWindow({ filter: { ...EMPTY_FILTER, search: "c2" }, offset: 0, limit: 10 }, session("b"));
    if (!a.ok || !b.ok) throw new Error("queueWindow refused");
    // Newest first (neither is urgent or overdue).
    expect(a.value.rows.map((row) => row.id)).toEqual(["C2", "C1"]);
    expect(a.value.total).toBe(2);
    expect(a.value.facets.majors).toEqual([{ code: "01", name: "市容环境", count: 2 }]);
    expect(b.value.rows.map((row) => row.id)).toEqual(["C2"]);
    // Rows are what a row draws: the reporter stays with the case's detail.
    expect(JSON.stringify(a.value.rows)).not.toContain("13912345678");

    server.upsert(makeIncident("C4", 1, { priority: "urgent", createdAt: "2026-11-22T08:00:00+08:00" }));
    await until(() => told.some((changed) => changed.views.includes(a.value.view)), "the default view's change pushed");
    // The search view did not move: it is not named.
    expect(told.flatMap((changed) => changed.views)).not.toContain(b.value.view);
    const again = await engine.handlers.queueWindow({ filter: EMPTY_FILTER, offset: 1, limit: 1 }, session("a"));
    expect(again).toMatchObject({ ok: true, value: { view: a.value.view, total: 3, offset: 1, rows: [{ id: "C2" }] } });

    await expect(engine.handlers.queueWindow({ filter: EMPTY_FILTER, offset: 0, limit: 100_000 }, session("a"))).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    await expect(engine.handlers.queueWindow({ filter: { ...EMPTY_FILTER, statuses: ["lost" as "closed"] }, offset: 0, limit: 10 }, session("a"))).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
  });

  it("judges overdue on the platform's clock where it runs ahead, as the KPIs do, and tells pages how far ahead it is", async () => {
    const aheadMs = 3 * 3_600_000;
    const server = new MiniFeed({ clockAheadMs: aheadMs });
    await server.listen();
    cleanups.push(() => server.close());
    // Due to be closed in two hours by this machine's clock: an hour overdue by the platform's.
    const closeBy = new Date(Date.now() + 2 * 3_600_000).toISOString();
    server.upsert(makeIncident("LATE", 1, { status: "dispatched", closeBy }));
    server.upsert(makeIncident("FINE", 1, { status: "dispatched", closeBy: new Date(Date.now() + 5 * 3_600_000).toISOString() }));
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const engine = makeEngine(server.url, dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    await until(() => engine.queue.size === 2 && engine.status().state === "live", "the cases in the queue, live");
    const status = engine.status();
    expect(status.caseClockAheadMs).toBeGreaterThan(aheadMs - 5_000);
    expect(status.caseClockAheadMs).toBeLessThan(aheadMs + 5_000);
    const overdue = await engine.handlers.queueWindow({ filter: { ...EMPTY_FILTER, overdueOnly: true }, offset: 0, limit: 10 }, session("a"));
    expect(overdue).toMatchObject({ ok: true, value: { total: 1, rows: [{ id: "LATE" }] } });
    // The attention list agrees with the queue.
    await until(() => engine.attention.list().some((item) => item.incidentId === "LATE"), "the overdue case in the attention list");
    expect(engine.attention.list().some((item) => item.incidentId === "FINE")).toBe(false);
  });
});
