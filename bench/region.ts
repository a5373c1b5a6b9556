import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PreparedRegionLayer } from "../electron/engine/region.js";
import { longRingLayer } from "../shared/geo/fixtures/long-rings.js";
import type { Position } from "../shared/geo/geojson.js";
import { importRegionLayer } from "../shared/geo/import.js";
import { findSelfCrossing, findSelfCrossingPlain } from "../shared/geo/self-crossing.js";
import type { Figure, Suite } from "./lib.js";
import { round, timeIt } from "./lib.js";

/*
 * A grid layer of long, thin rings (issue 16: 60,000 edges took 32 s on the
 * event loop): the self-crossing check against every pair of edges, and the
 * whole import in the region worker against the same import on the loop.
 */

export const regionSuite: Suite = {
  name: "region",
  title: "Grid layer import: 60,000 edges of long, thin rings",
  method: [
    "`longRingLayer(4, 7499)` (shared/geo/fixtures/long-rings.ts): a district, street and community around 4 north-south grids 22 km long and 85 m wide, each ring 15,000 edges zigzagging 1 m, none crossing (60,000 edges in all; the ring cap is 20,000 positions). Quick runs: 4 × 1,500 edges.",
    "**Self-crossing**: `findSelfCrossing` (edges bucketed into a uniform grid, shared/geo/self-crossing.ts) over the 4 rings, mean of repeated runs; **reference**: `findSelfCrossingPlain`, every pair of non-adjacent edges, over the same rings in the same run, once.",
    "**Import off the loop**: `PreparedRegionLayer.get()` (the worker the engine starts, electron/engine/region.ts, reading the layer's file as the engine has it do) on a fresh data dir, with `perf_hooks.monitorEventLoopDelay` (5 ms resolution) on the main thread: the longest stall; **reference**: `importRegionLayer` of the same layer on the main thread, in the same run (what the loop would have stalled for).",
  ].join("\n"),
  async run({ quick, log }) {
    const layer = longRingLayer(4, quick ? 749 : 7_499);
    const rings = layer.features.filter((f) => f.properties.level === "grid").map((f) => (f.geometry.coordinates as Position[][])[0] as Position[]);
    const edges = rings.reduce((sum, ring) => sum + ring.length - 1, 0);
    const edgesText = edges.toLocaleString("en-US");

    const fast = timeIt(() => {
      for (const ring of rings) if (findSelfCrossing(ring) !== null) throw new Error("a crossing in a simple ring");
    });
    log(`  bucketed check: ${round(fast.msPerCall, 1)} ms (${fast.calls} runs)`);
    const plainBegan = performance.now();
    for (const ring of rings) if (findSelfCrossingPlain(ring) !== null) throw new Error("a crossing in a simple ring");
    const plainMs = performance.now() - plainBegan;
    log(`  every-pair check: ${Math.round(plainMs)} ms`);

    const inlineBegan = performance.now();
    const inline = importRegionLayer(layer);
    const inlineMs = performance.now() - inlineBegan;
    if (!inline.ok || inline.errors.length > 0) throw new Error("the bench layer did not import whole");
    const dir = mkdtempSync(path.join(tmpdir(), "bench-region-"));
    try {
      const file = path.join(dir, "layer.geojson");
      writeFileSync(file, JSON.stringify(layer));
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      // The monitor sees a stall only at the tick after one before it: let it tick first.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const began = performance.now();
      const prepared = await new PreparedRegionLayer(layer, dir, () => undefined, file).get();
      const workerMs = performance.now() - began;
      delay.disable();
      if (!prepared.ok) throw new Error("the worker did not prepare the bench layer");
      const stallMs = delay.max / 1e6;
      log(`  import on the loop ${Math.round(inlineMs)} ms; in the worker ${Math.round(workerMs)} ms with the loop's longest stall ${round(stallMs, 1)} ms`);
      const figures: Figure[] = [
        {
          suite: "region",
          name: `self-crossing check, ${edgesText} edges in 4 thin rings`,
          value: round(fast.msPerCall, 1),
          unit: "ms",
          reference: { name: "every pair of edges, same rings", value: round(plainMs, 0), unit: "ms" },
          ratio: round(fast.msPerCall / plainMs, 4),
          ratioMeaning: "bucketed / every pair",
          target: "< 1,000 ms",
          met: fast.msPerCall < 1000,
        },
        {
          suite: "region",
          name: `longest event-loop stall while the worker imports the layer, ${edgesText} edges`,
          value: round(stallMs, 1),
          unit: "ms",
          reference: { name: "the same import on the event loop", value: round(inlineMs, 0), unit: "ms" },
          ratio: round(stallMs / inlineMs, 3),
          ratioMeaning: "stall / import on the loop",
          target: "< 100 ms",
          met: stallMs < 100,
          note: `the worker's import took ${Math.round(workerMs)} ms end to end (start, import, result back)`,
        },
      ];
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
