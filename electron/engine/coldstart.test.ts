import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "./cache.js";
import type { CacheOp } from "./model.js";
import { makeIncident, makeUnit } from "./testing/mini-feed.js";
import { makeEngine, tempDir } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** District scale: Dongcheng's 589 grids with their open and recent cases and patrol staff, rounded up. */
const INCIDENTS = 20_000;
const UNITS = 4_000;

describe("cold start", () => {
  it(`shows the cached picture of ${INCIDENTS} cases and ${UNITS} units within 2 s with no network`, async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const { cache } = await Cache.open(dir, () => undefined);
    const ops: CacheOp[] = [];
    for (let i = 0; i < INCIDENTS; i++) ops.push({ op: "incident", incident: makeIncident(`C${i}`, 1 + (i % 7), { status: i % 3 ? "dispatched" : "reported", updatedAt: new Date().toISOString() }) });
    for (let i = 0; i < UNITS; i++) ops.push({ op: "unit", unit: makeUnit(`U${i}`), slot: i });
    ops.push({ op: "meta", meta: { epoch: "e1", lastSeq: 123, dataAsOf: "2026-11-22T09:00:00.000+08:00" } });
    cache.write(ops);
    const fixes = Array.from({ length: UNITS }, (_, i) => ({ unitId: `U${i}`, slot: i, lon: 116.4, lat: 39.9, at: Date.now(), heading: null, speed: null, accuracy: null }));
    await cache.close(fixes);

    // CPU time, not wall time: the budget is for a console PC, and this box is shared with other builds.
    const began = process.cpuUsage();
    const wallBegan = performance.now();
    const engine = makeEngine("http://127.0.0.1:9", dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    const initial = await engine.handlers.getInitialState({});
    const used = process.cpuUsage(began);
    const elapsed = (used.user + used.system) / 1000;
    console.info("cold start", { cpuMs: Math.round(elapsed), wallMs: Math.round(performance.now() - wallBegan) });
    if (!initial.ok) throw new Error(initial.error.message);
    expect(initial.value.incidents).toHaveLength(INCIDENTS);
    expect(initial.value.units).toHaveLength(UNITS);
    expect(initial.value.positions.data.length).toBe(UNITS * 6);
    expect(initial.value.status).toMatchObject({ epoch: "e1", lastSeq: 123, dataAsOf: "2026-11-22T09:00:00.000+08:00" });
    expect(["offline", "connecting"]).toContain(initial.value.status.state);
    expect(elapsed).toBeLessThan(2000);
  }, 30_000);
});
