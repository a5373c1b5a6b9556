import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { BRIDGE_EVENTS, type BridgeEvents, type ConnectionStatus } from "../shared/bridge/contract.js";
import { encodeWithAttachments } from "../shared/bridge/wire.js";
import type { Engine, EngineOptions } from "../electron/engine/api.js";
import { createEngine } from "../electron/engine/index.js";
import { SETTINGS } from "../electron/engine/testing/harness.js";
import { createWorkerEngine } from "../electron/engine/worker/worker-engine.js";

/*
 * The owning process of the host suite (./host.ts), forked once per mode:
 * what a shell holds (the engine, in-process or on its worker thread, and a
 * listener that JSON-encodes every push as the web host does for a page) and
 * nothing of the bench's own data, so its heap is a shell's. It reads the
 * region layer from a file as a shell does, then measures its own event loop
 * over each phase the parent asks for and answers with the figures.
 */

export type ShellStart = { mode: "in-process" | "worker"; feedUrl: string; token: string; dataDir: string; layerFile: string; compactEveryMs: number };
export type ShellCommand = { type: "make" } | { type: "open" } | { type: "deltas"; untilSeq: number } | { type: "stop" } | { type: "idle"; ms: number };
export type PhaseFigures = { name: string; maxMs: number; p99Ms: number; wallMs: number; busyMs: number; longestBusyMs: number };
export type ShellReply = { type: "phase"; phase: PhaseFigures; encodedBytes: number } | { type: "failed"; error: string };

const send = (reply: ShellReply) => process.send?.(reply);
const start = JSON.parse(process.argv[2] ?? "{}") as ShellStart;
// Kept only until the engine is made, as in the shells (engineOptions' result is not held).
let options: (EngineOptions & { timing: { compactEveryMs: number } }) | undefined = {
  feedUrl: start.feedUrl,
  token: start.token,
  consoleId: `bench-${start.mode}`,
  dataDir: start.dataDir,
  settings: SETTINGS,
  regionLayer: JSON.parse(readFileSync(start.layerFile, "utf8")) as unknown,
  // As the shells' engineOptions (electron/config/prepare.ts) give it.
  regionLayerFile: start.layerFile,
  timing: { compactEveryMs: start.compactEveryMs },
};
let engine: Engine | undefined;
let status: ConnectionStatus | null = null;
let encodedBytes = 0;

/**
 * The event loop's delay over `work` (what a window or a page waits), the
 * time the loop was busy, and its longest busy stretch between two 10 ms
 * ticks: this thread's own work in one piece, where the delay also counts
 * time the machine did not run the thread at all.
 */
async function measured(name: string, work: () => Promise<void>): Promise<PhaseFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const utilization = performance.eventLoopUtilization();
  let previous = utilization;
  let longestBusyMs = 0;
  const ticker = setInterval(() => {
    const now = performance.eventLoopUtilization();
    longestBusyMs = Math.max(longestBusyMs, performance.eventLoopUtilization(now, previous).active);
    previous = now;
  }, 10);
  // A first sample before the work: the histogram records the gap between two samples, so a block before its first one would be lost.
  await sleep(20);
  const began = performance.now();
  let synchronousMs: number | undefined;
  try {
    const pending = work();
    // The work's synchronous start (all of make) is one block of its own, measured directly.
    synchronousMs = performance.now() - began;
    await pending;
    // A block at the very end is recorded when the next sample fires.
    await sleep(30);
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
  return { name, maxMs: Math.max(histogram.max / 1e6, synchronousMs ?? 0), p99Ms: histogram.percentile(99) / 1e6, wallMs: performance.now() - began, busyMs: performance.eventLoopUtilization(utilization).active, longestBusyMs };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function made(): Engine {
  if (engine === undefined) throw new Error("no engine made yet");
  return engine;
}

async function run(command: ShellCommand): Promise<PhaseFigures> {
  switch (command.type) {
    case "idle":
      return measured("idle", () => sleep(command.ms));
    case "make":
      // The shell makes its engine before any window or HTTP server exists: for the worker, the options and the region layer are cloned to the thread here.
      return measured("make", async () => {
        if (options === undefined) throw new Error("the engine was made already");
        engine = start.mode === "worker" ? createWorkerEngine(options) : createEngine(options);
        options = undefined;
        for (const name of BRIDGE_EVENTS) {
          engine.on(name, (payload: BridgeEvents[typeof name]) => {
            if (name === "status") status = payload as ConnectionStatus;
            encodedBytes += encodeWithAttachments({ type: "event", name, payload }).text.length;
          });
        }
      });
    case "open":
      return measured("open", async () => {
        await made().start();
        await until(() => status?.state === "live", "the engine to go live");
        // The cold start's view slices run on after start: let them finish inside this phase.
        await sleep(3_000);
      });
    case "deltas":
      return measured("deltas", async () => {
        await until(() => (status?.lastSeq ?? 0) >= command.untilSeq, `the engine to apply seq ${command.untilSeq}`);
        // Two more compaction periods with the last changes in the journal.
        await sleep(4_500);
      });
    case "stop":
      return measured("stop", () => made().stop());
  }
}

process.on("message", (command: ShellCommand) => {
  run(command).then(
    (phase) => {
      send({ type: "phase", phase, encodedBytes });
      if (command.type === "stop") process.disconnect();
    },
    (error: unknown) => send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
