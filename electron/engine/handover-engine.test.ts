import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import { makeEngine, sqlite3, tempDir, until } from "./testing/harness.js";
import type { ConsoleEngine } from "./engine.js";

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

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe("the engine's handover (交接班)", () => {
  it("keeps the record with its note across a restart until the next operator acknowledges it, then the next shift begins at it", async () => {
    const server = new MiniFeed();
    await server.listen();
    cleanups.push(() => server.close());
    server.upsert(makeIncident("U", 1, { priority: "urgent" }));
    const { dir, remove } = tempDir();
    cleanups.push(remove);

    const first = await start(server.url, dir);
    await until(() => first.attention.list().some((i) => i.key === "case:U"), "the urgent case on the list");
    value(await first.handlers.acknowledgeAttention({ key: "case:U" }));
    expect(value(await first.handlers.getHandover({})).pending).toBeNull();
    const written = value(await first.handlers.writeHandover({ note: "  G1 井盖待复查  ", name: "张伟" }));
    expect(written).toMatchObject({ note: "G1 井盖待复查", by: { id: "op-1", name: "张伟" } });
    expect(written.attention.items.find((a) => a.key === "case:U")?.acknowledgements).toEqual([{ by: { id: "op-1", name: "值班员" }, at: expect.any(String) }]);
    await expect(first.handlers.writeHandover({ note: "x".repeat(5000) })).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    await first.stop();

    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT operator_name, acknowledged_at IS NULL FROM handovers")).toBe("张伟|1");
    const second = await start(server.url, dir);
    const shown = value(await second.handlers.getHandover({}));
    expect(shown.pending).toEqual(written);
    expect(shown.shiftFrom).toBe(written.to);
    await expect(second.handlers.acknowledgeHandover({ id: "not-it" })).resolves.toEqual({ ok: true, value: { acknowledged: false } });
    await expect(second.handlers.acknowledgeHandover({ id: written.id, name: "李娜" })).resolves.toEqual({ ok: true, value: { acknowledged: true } });
    await expect(second.handlers.acknowledgeHandover({ id: written.id })).resolves.toEqual({ ok: true, value: { acknowledged: false } });
    expect(value(await second.handlers.getHandover({})).pending).toBeNull();
    await second.stop();

    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT acknowledged_by_name, acknowledged_at IS NOT NULL FROM handovers")).toBe("李娜|1");
    const third = await start(server.url, dir);
    expect(value(await third.handlers.getHandover({}))).toEqual({ pending: null, shiftFrom: written.to });
  });
});
