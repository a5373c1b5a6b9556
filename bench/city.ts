import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { io } from "socket.io-client";
import type { Figure, Suite, SuiteContext } from "./lib.js";
import { percentile, round } from "./lib.js";
import { CITY_DISTRICT, consoleCityLayer, writeLayer } from "./city-layer.js";
import { sleep } from "./engine-rig.js";
import { benchTempDir, descendants, launchBrowser, newPage, residentBytes, startFeedProcess, startServeProcess } from "./processes.js";

/*
 * The whole console at city scale in Chromium: the reference feed's city
 * (~62,000 staff) sending ~6,000 fixes a second, the map's main-thread cost
 * per position update and its frame rate under SwiftShader, then the peak
 * memory of the console process and of Chromium's renderer.
 */

type MapStats = { frames: number; updates: number; lastUpdateMs: number; maxUpdateMs: number; units: number };
type Window = { updates: number; frames: number; taskMs: number; scriptMs: number; seconds: number; samples: number[] };

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const stats = async (page: Page): Promise<MapStats> => (await page.evaluate("({ ...window.__mapStats })")) as MapStats;

/** Main-thread time (CDP TaskDuration/ScriptDuration), frames and updates over `seconds`, with each update's builder cost sampled. */
async function measure(page: Page, cdp: CDPSession, seconds: number, during?: (elapsedMs: number) => Promise<void>): Promise<Window> {
  const m0 = await metrics(cdp);
  const s0 = await stats(page);
  const began = performance.now();
  const samples: number[] = [];
  let last = s0.updates;
  while (performance.now() - began < seconds * 1000) {
    if (during) await during(performance.now() - began);
    else await sleep(100);
    const s = await stats(page);
    // Sampled: updates between two polls show only the last one's cost.
    if (s.updates !== last) samples.push(s.lastUpdateMs);
    last = s.updates;
  }
  const m1 = await metrics(cdp);
  const s1 = await stats(page);
  const elapsed = (performance.now() - began) / 1000;
  return {
    updates: s1.updates - s0.updates,
    frames: s1.frames - s0.frames,
    taskMs: ((m1["TaskDuration"] ?? 0) - (m0["TaskDuration"] ?? 0)) * 1000,
    scriptMs: ((m1["ScriptDuration"] ?? 0) - (m0["ScriptDuration"] ?? 0)) * 1000,
    seconds: elapsed,
    samples: samples.sort((a, b) => a - b),
  };
}

async function runCity(context: SuiteContext): Promise<Figure[]> {
  const seconds = context.quick ? 8 : 20;
  const token = randomBytes(12).toString("hex");
  const scale = context.quick ? "district" : "city";
  context.log(`city: feed at ${scale} scale`);
  const feed = await startFeedProcess({ token, scale, speed: context.quick ? 10 : 1.8, start: "2026-11-20T10:00:00+08:00" });
  const dir = benchTempDir("city");
  const layerFile = path.join(dir, "layer.geojson");
  const { grids, layer } = consoleCityLayer(context.quick ? 3_000 : 30_000);
  writeLayer(layerFile, layer);
  const watcher = io(`${feed.ready}/console`, { auth: { token, consoleId: "bench-watcher", protocol: 1 }, transports: ["websocket"], forceNew: true });
  const trainer = io(`${feed.ready}/trainer`, { auth: { token }, transports: ["websocket"], forceNew: true });
  try {
    let fixes = 0;
    watcher.on("hello", () => watcher.emit("subscribe", {}, () => undefined));
    watcher.on("positions", (frame: { fixes?: unknown[] }) => void (fixes += frame.fixes?.length ?? 0));
    const app = await startServeProcess({ feedUrl: feed.ready, token, dataDir: path.join(dir, "data"), extra: ["--region-layer", layerFile, "--district-code", CITY_DISTRICT] });
    const browser = await launchBrowser();
    const page = await newPage(browser);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(app.ready);
    await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ state: "attached", timeout: 240_000 });
    const deadline = Date.now() + 240_000;
    while ((await stats(page).catch(() => ({ units: 0 }))).units < 1000 && Date.now() < deadline) await sleep(500);
    await sleep(5000);
    context.log("city: measuring position updates");
    const fixesBefore = fixes;
    const profileDir = process.env.BENCH_PROFILE;
    if (profileDir) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
    }
    const live = await measure(page, cdp, seconds);
    if (profileDir) {
      // The page's main thread while positions stream, for Chrome DevTools (BENCH_PROFILE=<dir>).
      const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(path.join(profileDir, `city-page-${scale}.cpuprofile`), JSON.stringify(profile));
    }
    const fixRate = (fixes - fixesBefore) / live.seconds;
    const shown = (await stats(page)).units;

    // The reference: simulated time frozen (no fixes), the same data redrawn by panning the map a few pixels at a time.
    await trainer.timeout(10_000).emitWithAck("pause");
    await sleep(3000);
    const box = await page.getByTestId("map").boundingBox();
    if (!box) throw new Error("the map has no box");
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    let step = 0;
    const idle = await measure(page, cdp, seconds, async () => {
      step++;
      await page.mouse.move(cx + 40 * Math.sin(step / 5), cy + 40 * Math.cos(step / 5), { steps: 2 });
      await sleep(50);
    });
    await page.mouse.up();

    const serve = residentBytes(app.pid);
    const chromium = descendants(process.pid)
      .filter((p) => p.cmdline.includes("--type=renderer") || p.cmdline.includes("--type=gpu-process"))
      .map((p) => ({ ...p, memory: residentBytes(p.pid) }));
    const renderer = chromium.filter((p) => p.cmdline.includes("--type=renderer")).sort((a, b) => (b.memory?.peak ?? 0) - (a.memory?.peak ?? 0))[0];
    const gpu = chromium.find((p) => p.cmdline.includes("--type=gpu-process"));
    const heap = await metrics(cdp);

    const perUpdate = live.taskMs / Math.max(1, live.updates);
    const perIdleFrame = idle.taskMs / Math.max(1, idle.frames);
    const builderP95 = percentile(live.samples, 95);
    const mb = (bytes: number | undefined) => round((bytes ?? 0) / 2 ** 20, 0);
    const label = `${shown.toLocaleString("en-US")} staff shown, ${Math.round(fixRate).toLocaleString("en-US")} fixes/s, ${grids.toLocaleString("en-US")} grids`;
    const figures: Figure[] = [
      {
        suite: "map",
        name: `builders per position update in Chromium (window.__mapStats), p95, ${label}`,
        value: round(builderP95, 2),
        unit: "ms",
        reference: { name: "main-thread time of one deck.gl frame of the same data with no updates (panning, feed paused)", value: round(perIdleFrame, 2), unit: "ms" },
        ratio: round(builderP95 / perIdleFrame, 2),
        ratioMeaning: "builders p95 / idle frame",
        target: "< 4 ms",
        met: builderP95 < 4,
        note: `${live.samples.length} updates sampled of ${live.updates}; median ${round(percentile(live.samples, 50), 2)} ms`,
      },
      {
        suite: "map",
        name: `whole main-thread time per position update in Chromium (CDP TaskDuration / updates), ${label}`,
        value: round(perUpdate, 1),
        unit: "ms",
        reference: { name: "the same per idle frame (panning, no updates)", value: round(perIdleFrame, 1), unit: "ms" },
        ratio: round(perUpdate / perIdleFrame, 2),
        ratioMeaning: "per update / per idle frame",
        note: `${live.updates} updates in ${round(live.seconds, 1)} s; main thread busy ${round(live.taskMs / 10 / live.seconds, 0)} % of the time (script ${round(live.scriptMs / 10 / live.seconds, 0)} %); includes React, deck.gl attribute upload and drawing`,
      },
      {
        suite: "map",
        name: "frame rate under SwiftShader while positions stream",
        value: round(live.frames / live.seconds, 1),
        unit: "frames/s",
        reference: { name: "frame rate panning the same data with no updates", value: round(idle.frames / idle.seconds, 1), unit: "frames/s" },
        ratio: round(live.frames / live.seconds / Math.max(0.01, idle.frames / idle.seconds), 2),
        ratioMeaning: "streaming / panning",
        note: "software WebGL on the CPU of a shared 2-core machine; GPU frame rate: not measured: no GPU machine was lent to this task",
      },
      {
        suite: "memory",
        name: `peak resident memory, console process + Chromium renderer, ${label}`,
        value: mb((serve?.peak ?? 0) + (renderer?.memory?.peak ?? 0)),
        unit: "MiB",
        reference: { name: "the reference feed process serving the same city", value: mb(residentBytes(feed.pid)?.peak), unit: "MiB" },
        ratio: round(((serve?.peak ?? 0) + (renderer?.memory?.peak ?? 0)) / Math.max(1, residentBytes(feed.pid)?.peak ?? 1), 2),
        ratioMeaning: "console / feed",
        target: "< 1,536 MiB (1.5 GB)",
        met: (serve?.peak ?? Infinity) + (renderer?.memory?.peak ?? Infinity) < 1.5 * 2 ** 30,
        note: `VmHWM: console (serve) ${mb(serve?.peak)} MiB, renderer ${mb(renderer?.memory?.peak)} MiB (JS heap used ${mb(heap["JSHeapUsedSize"])} of ${mb(heap["JSHeapTotalSize"])} MiB); Chromium's GPU process (SwiftShader) ${mb(gpu?.memory?.peak)} MiB, not counted`,
      },
    ];
    return figures;
  } finally {
    watcher.close();
    trainer.close();
  }
}

export const citySuite: Suite = {
  name: "city",
  title: "Map and memory at city scale in Chromium",
  method: [
    `The reference feed runs at city scale (\`--scale city --speed 1.8 --start 2026-11-20T10:00:00+08:00\`: ~62,000 staff, a weekday morning, so about 6,000 fixes a second), the console as \`serve\` with a ~30,000-grid layer cut inside one district (${CITY_DISTRICT}), and the page in Chromium (SwiftShader) at 1920×1080. A plain Socket.IO client counts the fixes actually sent.`,
    "Over a window of streaming positions the bench samples `window.__mapStats` (each update's builder cost, frames drawn) and reads CDP `Performance.getMetrics` (`TaskDuration`: the renderer main thread's busy time) at both ends.",
    "**Reference**: the same page with the feed paused through `/trainer` (no fixes), redrawn by panning the map a few pixels at a time: main-thread time per frame of deck.gl drawing the same data with no updates, and the frame rate it reaches.",
    "**Memory**: peak resident set (VmHWM from /proc) of the console process and of the Chromium renderer hosting the page, at the end of the run; the GPU process (SwiftShader) is shown apart. Reference: the feed process's own peak for the same city.",
  ].join("\n"),
  run: runCity,
};
