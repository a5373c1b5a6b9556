import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Worker } from "node:worker_threads";
import { BRIDGE_EVENTS, type BridgeEvents, type ConnectionStatus } from "../shared/bridge/contract.js";
import { encodeWithAttachments } from "../shared/bridge/wire.js";
import type { Engine, EngineOptions } from "../electron/engine/api.js";
import { createEngine } from "../electron/engine/index.js";
import { SETTINGS } from "../electron/engine/testing/harness.js";
import { createWorkerEngine, startTypeScriptWorker } from "../electron/engine/worker/worker-engine.js";
import { consoleCityLayer } from "./city-layer.js";
import { seedCache } from "./engine-rig.js";
import { incidentDeltas, world, type World } from "./fixtures.js";
import type { Figure, Suite, SuiteContext } from "./lib.js";
import { REPO } from "./processes.js";

/*
 * The process that owns the windows (Electron main) or the HTTP server (the
 * web host) must keep its event loop free: issue 14's target is no block
 * over 50 ms while the engine opens its cache, compacts, or pushes. This
 * suite runs the same work with the engine in-process and on its worker
 * thread (electron/engine/worker) in one run, and reads this thread's event
 * loop with perf_hooks' monitorEventLoopDelay. The feed is a MiniFeed on a
 * thread of its own (./feed-thread.ts), so its sending is not counted.
 */

const TOKEN = "bench";
const TARGET_MS = 50;

type Mode = "in-process" | "worker";
type Phase = { name: string; maxMs: number; p99Ms: number; wallMs: number; busyMs: number };

function regionLayerFor(w: World): unknown {
  if (w.scale === "city") return consoleCityLayer(30_000).layer;
  return JSON.parse(readFileSync(path.join(REPO, "resources", "region", "dongcheng.geojson"), "utf8")) as unknown;
}

/** Delay of this thread's event loop over `work`, in ms (10 ms sampling), and the time the loop was busy (eventLoopUtilization: this thread only). */
async function measured(name: string, work: () => Promise<void>): Promise<Phase> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const utilization = performance.eventLoopUtilization();
  const began = performance.now();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return { name, maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, wallMs: performance.now() - began, busyMs: performance.eventLoopUtilization(utilization).active };
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`host bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type FeedThread = { url: string; publish(deltas: unknown[][], perTick: number, tickMs: number): Promise<number>; close(): Promise<void> };

async function startFeedThread(epoch: string): Promise<FeedThread> {
  const thread: Worker = startTypeScriptWorker(new URL("./feed-thread.ts", import.meta.url), { workerData: { epoch, token: TOKEN } });
  const next = (type: string) =>
    new Promise<{ url?: string; seq?: number }>((resolve, reject) => {
      const onMessage = (message: { type: string; url?: string; seq?: number }) => {
        if (message.type !== type) return;
        thread.off("message", onMessage);
        thread.off("error", reject);
        resolve(message);
      };
      thread.on("message", onMessage);
      thread.once("error", reject);
    });
  const { url } = await next("ready");
  if (url === undefined) throw new Error("the feed thread gave no URL");
  return {
    url,
    async publish(deltas, perTick, tickMs) {
      const done = next("published");
      thread.postMessage({ type: "publish", deltas, perTick, tickMs });
      return (await done).seq ?? 0;
    },
    async close() {
      const closed = next("closed");
      thread.postMessage({ type: "close" });
      await closed;
      await thread.terminate();
    },
  };
}

/** One console's run: open a seeded cache, take a stream of deltas with compactions every 2 s, stop. Every push is JSON-encoded here, as the web host does for a page. */
async function runMode(mode: Mode, w: World, regionLayer: unknown, context: SuiteContext): Promise<Phase[]> {
  const quick = context.quick;
  const dataDir = mkdtempSync(path.join(tmpdir(), `bench-host-${mode}-`));
  const feed = await startFeedThread(w.epoch);
  try {
    await seedCache(dataDir, w);
    const moving = w.incidents.slice(0, quick ? 500 : 4_000);
    const deltas = incidentDeltas(moving, w.epoch, 0, quick ? 1_000 : 8_000, Date.now()).map((delta) => delta.events);
    const options: EngineOptions & { timing: { compactEveryMs: number } } = {
      feedUrl: feed.url,
      token: TOKEN,
      consoleId: `bench-${mode}`,
      dataDir,
      settings: SETTINGS,
      regionLayer,
      timing: { compactEveryMs: 2_000 },
    };
    let engine: Engine | undefined;
    let status: ConnectionStatus | null = null;
    let encodedBytes = 0;
    const phases: Phase[] = [];
    context.log(`host: ${mode}: open`);
    phases.push(
      await measured("open", async () => {
        engine = mode === "worker" ? createWorkerEngine(options) : createEngine(options);
        for (const name of BRIDGE_EVENTS) {
          engine.on(name, (payload: BridgeEvents[typeof name]) => {
            if (name === "status") status = payload as ConnectionStatus;
            encodedBytes += encodeWithAttachments({ type: "event", name, payload }).text.length;
          });
        }
        await engine.start();
        await until(() => status?.state === "live", "the engine to go live", 300_000);
        // The cold start's view slices run on after start: let them finish inside this phase.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      }),
    );
    if (engine === undefined) throw new Error("no engine");
    const running = engine;
    context.log(`host: ${mode}: deltas`);
    phases.push(
      await measured("deltas", async () => {
        const last = await feed.publish(deltas, quick ? 25 : 50, 100);
        await until(() => (status?.lastSeq ?? 0) >= last, `the engine to apply seq ${last}`, 300_000);
        // Two more compaction periods with the last changes in the journal.
        await new Promise((resolve) => setTimeout(resolve, 4_500));
      }),
    );
    context.log(`host: ${mode}: stop`);
    phases.push(await measured("stop", () => running.stop()));
    context.log(`host: ${mode}: ${phases.map((p) => `${p.name} max ${p.maxMs.toFixed(0)} ms p99 ${p.p99Ms.toFixed(0)} ms busy ${p.busyMs.toFixed(0)} ms (${(p.wallMs / 1000).toFixed(1)} s)`).join("; ")}; ${(encodedBytes / 2 ** 20).toFixed(1)} MB of pushes encoded`);
    return phases;
  } finally {
    await feed.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

export const hostSuite: Suite = {
  name: "host",
  title: "The owning process's event loop: engine in-process vs on its worker thread",
  method: [
    "The process that owns the windows (Electron main) or the HTTP server (the web host) runs the engine either in-process (`createEngine`) or on a worker thread (`createWorkerEngine`, electron/engine/worker), and must never have its event loop blocked over 50 ms. Both run in the same `npm run bench` process, one after the other, each from its own copy of the same seeded cache (the reference feed's city world: its cases and roster, with the ~30,000-grid city layer; district with `--quick`).",
    "**open**: from making the engine to status `live` against a feed on its own thread, plus 3 s for the cold start's view slices. **deltas**: 8,000 deltas of one `incident.upsert` each, 50 every 100 ms, with compaction every 2 s (`compactEveryMs`), until the engine has applied the last, plus 4.5 s. **stop**: `stop()`, which compacts the cache a last time. Every event is JSON-encoded in the measuring thread as the web host does for one page, in both modes.",
    "Each figure is the longest event-loop delay of the measuring thread over the phase (`monitorEventLoopDelay`, 10 ms resolution; max, p99 in the note) with the worker engine; the reference is the same with the engine in-process; the ratio is worker / in-process. The note adds the time the measuring thread's loop was busy (`performance.eventLoopUtilization`, that thread alone), and the idle floor: the same histogram over 5 s with nothing to do, which on a shared, loaded machine is not zero.",
  ].join("\n"),
  async run(context) {
    const w = await world(context.quick ? "district" : "city");
    context.log(`host: ${w.scale} world, ${w.incidents.length} cases, ${w.units.length} units; region layer`);
    const regionLayer = regionLayerFor(w);
    // The machine's own floor: the same loop with nothing to do (on a shared, loaded machine, scheduling alone delays it).
    const idle = await measured("idle", () => new Promise((resolve) => setTimeout(resolve, 5_000)));
    context.log(`host: idle floor max ${idle.maxMs.toFixed(0)} ms p99 ${idle.p99Ms.toFixed(0)} ms`);
    const inProcess = await runMode("in-process", w, regionLayer, context);
    const worker = await runMode("worker", w, regionLayer, context);
    return worker.map((phase, index): Figure => {
      const reference = inProcess[index] as Phase;
      return {
        suite: "host",
        name: `owner's longest event-loop block, ${phase.name} (${w.scale} cache, ${w.incidents.length.toLocaleString("en-US")} cases)`,
        value: round(phase.maxMs),
        unit: "ms",
        reference: { name: "the engine in-process", value: round(reference.maxMs), unit: "ms" },
        ratio: Math.round((phase.maxMs / reference.maxMs) * 1000) / 1000,
        ratioMeaning: "worker / in-process",
        target: `≤ ${TARGET_MS} ms`,
        met: phase.maxMs <= TARGET_MS,
        note: `p99 ${round(phase.p99Ms)} ms (in-process ${round(reference.p99Ms)} ms); owner's loop busy ${Math.round(phase.busyMs)} ms (in-process ${Math.round(reference.busyMs)} ms) over ${round(phase.wallMs / 1000)} s (${round(reference.wallMs / 1000)} s); idle floor here: max ${round(idle.maxMs)} ms, p99 ${round(idle.p99Ms)} ms`,
      };
    });
  },
};
