import { afterEach, describe, expect, it } from "vitest";
import type { WallState } from "../../shared/bridge/wall.js";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import { makeEngine, tempDir, until } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("the engine's push to wall (推送上墙)", () => {
  it("puts a case it holds on the wall as the named operator, tells every page, refuses what it does not hold, and takes it back", async () => {
    const server = new MiniFeed();
    await server.listen();
    cleanups.push(() => server.close());
    server.upsert(makeIncident("C1", 1));
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const engine = makeEngine(server.url, dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    await until(() => engine.replica.incidents.has("C1"), "the case in the replica");
    const told: WallState[] = [];
    engine.on("wall", (state) => told.push(state));

    await expect(engine.handlers.pushToWall({ kind: "incident", id: "NOPE" })).resolves.toMatchObject({ ok: false, error: { code: "not_found" } });
    await expect(engine.handlers.pushToWall({ kind: "grid", id: "999" })).resolves.toMatchObject({ ok: false, error: { code: "not_found" } });
    // The one request table: a kind outside the list, or a time past the limit, is refused before the engine looks.
    await expect(engine.handlers.pushToWall({ kind: "street" as "grid", id: "1" })).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    await expect(engine.handlers.pushToWall({ kind: "incident", id: "C1", minutes: 10_000 })).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(told).toEqual([]);

    const pushed = await engine.handlers.pushToWall({ kind: "incident", id: "C1", name: "李明", minutes: 2 });
    if (!pushed.ok) throw new Error(pushed.error.message);
    expect(pushed.value).toMatchObject({ kind: "incident", targetId: "C1", by: { id: "op-1", name: "李明" } });
    expect(Date.parse(pushed.value.until) - Date.parse(pushed.value.at)).toBe(2 * 60_000);
    expect(told).toEqual([{ push: pushed.value }]);
    await expect(engine.handlers.getWall({})).resolves.toEqual({ ok: true, value: { push: pushed.value } });
    // A page that opens (or rebuilds after a reconnect) gets the push with the rest of the picture.
    expect(engine.initialState().wall).toEqual({ push: pushed.value });

    await expect(engine.handlers.clearWall({ pushId: "an-older-push" })).resolves.toEqual({ ok: true, value: { cleared: false } });
    await expect(engine.handlers.clearWall({ pushId: pushed.value.pushId })).resolves.toEqual({ ok: true, value: { cleared: true } });
    expect(told.at(-1)).toEqual({ push: null });
    await expect(engine.handlers.getWall({})).resolves.toEqual({ ok: true, value: { push: null } });
    expect(engine.initialState().wall).toEqual({ push: null });
  });
});
