import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RegionLayerResult } from "../../shared/bridge/contract.js";
import { longRingLayer } from "../../shared/geo/fixtures/long-rings.js";
import { countPositions, importRegionLayer } from "../../shared/geo/import.js";
import { PreparedRegionLayer } from "./region.js";

/*
 * Issue 16: importing a large grid layer must not hold the engine's event
 * loop (60,000 edges once took 32 s on it, and the feed went offline). A file
 * of its own, so the heap the loop is measured over holds only this test's
 * objects: another test's garbage collected meanwhile would count as a stall.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "region-loop-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = () => undefined;

/**
 * The longest stall of the event loop while `work` runs. The monitor records
 * a stall at its next tick after one before it (so after enable() and after
 * reset(), the first stall goes unseen): it ticks a few times first.
 */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, 30));
  await work();
  delay.disable();
  return delay.max / 1e6;
}

it("sees a stall of the event loop when there is one (the monitor the next test trusts)", async () => {
  const stall = await longestStall(async () => {
    const until = performance.now() + 150;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
  expect(stall).toBeGreaterThanOrEqual(140);
});

it("imports a layer of 64,000 edges in long thin rings off the event loop, reading its file as the engine does: no stall of the loop reaches 100 ms or half of what the same import on the loop stalls it", async () => {
  const layer = longRingLayer(4, 7_999);
  expect(countPositions(layer.features)).toBeGreaterThan(64_000);
  const file = join(dir, "long.geojson");
  writeFileSync(file, JSON.stringify(layer));
  // The same import on the loop, for comparison: 145-673 ms on a 2-core machine (a cold first run; warm ones take a third of that), so a
  // faster machine may hold the loop for less than 100 ms. The worker must beat both the bound and half of this, whatever the machine.
  const onLoop = await longestStall(async () => {
    importRegionLayer(layer);
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
  const bound = Math.min(100, onLoop / 2);
  // A machine shared with other work can stop any thread for a while: the best of three tries is the code's own figure.
  const stalls: number[] = [];
  for (let attempt = 0; attempt < 3 && !stalls.some((stall) => stall < bound); attempt++) {
    const data = mkdtempSync(join(dir, "data-"));
    const began = performance.now();
    let result: RegionLayerResult | undefined;
    // The engine names the layer's file (EngineOptions.regionLayerFile), so the worker reads it: nothing is cloned on the loop.
    const stall = await longestStall(async () => {
      result = await new PreparedRegionLayer(layer, data, log, file).get();
    });
    if (!result?.ok) throw new Error(JSON.stringify(result?.errors.slice(0, 3)));
    expect(result.errors).toEqual([]);
    expect(result.layer.grids).toHaveLength(4);
    expect(result.layer.grids[0]?.polygons[0]?.[0]).toHaveLength(16_001);
    console.log(`64,000-edge layer prepared in ${Math.round(performance.now() - began)} ms; longest event-loop stall ${stall.toFixed(1)} ms (on the loop: ${onLoop.toFixed(0)} ms)`);
    stalls.push(stall);
  }
  expect(Math.min(...stalls)).toBeLessThan(100);
  expect(Math.min(...stalls)).toBeLessThan(onLoop / 2);
});
