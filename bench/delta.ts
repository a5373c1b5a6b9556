import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Figure, Suite } from "./lib.js";
import { percentile, round } from "./lib.js";
import { CITY_DISTRICT, consoleCityLayer, writeLayer } from "./city-layer.js";
import { seedCache, sleep } from "./engine-rig.js";
import { incidentDeltas, manyIncidents, world } from "./fixtures.js";
import { CdpBrowser, type CdpPage } from "./cdp.js";
import { benchTempDir, startServeProcess } from "./processes.js";
import { MiniFeed } from "../electron/engine/testing/mini-feed.js";

/*
 * Page main-thread time per incident delta at city scale, with both windows
 * open (the operator console and the briefing page): a city-sized cache, a
 * feed that sends nothing but single-case deltas at a steady rate, and each
 * page's renderer main-thread busy time (CDP Performance.getMetrics
 * TaskDuration) over the window each delta lands in.
 */

/**
 * Runs in each page before its own scripts. For each `incidents` push it
 * times, with performance.now(), the bridge's own message handler (decoding
 * and the data store's updater) and the data store's publish task that
 * follows (DataStore.flushSoon, a MessageChannel task: every
 * useSyncExternalStore subscriber's selector, then React's render, commit
 * and effects of the views that watch incidents, which React runs in a
 * microtask of that task for a store change). A push whose changes were published
 * together with a later push's counts only its handler. It also keeps the
 * last push's text for the JSON.parse reference.
 */
const HOOK = `(() => {
  const s = { incidents: 0, resyncs: 0, last: "", pushes: [], open: null, storePort: false, origin: performance.timeOrigin };
  window.__deltaHook = s;
  const isIncidents = (data) => typeof data === "string" && data.length < 1e6 && data.includes('"name":"incidents"');
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    get onmessage() { return super.onmessage; }
    set onmessage(handler) {
      super.onmessage = typeof handler !== "function" ? handler : (event) => {
        if (typeof event.data === "string" && event.data.startsWith('{"type":"resync"')) s.resyncs++;
        if (!isIncidents(event.data)) return handler.call(this, event);
        const began = performance.now();
        try { return handler.call(this, event); } finally {
          const push = { handler: performance.now() - began, publish: 0 };
          s.pushes.push(push);
          s.open = push;
          s.incidents++;
          s.last = event.data;
        }
      };
    }
  };
  const port = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage");
  Object.defineProperty(MessagePort.prototype, "onmessage", {
    configurable: true,
    get() { return port.get.call(this); },
    set(handler) {
      if (typeof handler !== "function" || !String(handler).includes("flushSoon")) return port.set.call(this, handler);
      s.storePort = true;
      port.set.call(this, function (event) {
        const push = s.open;
        s.open = null;
        const began = performance.now();
        // React renders a store change in a microtask queued during the handler: this one, queued after it, ends the count.
        try { return handler.call(this, event); } finally { if (push) queueMicrotask(() => { push.publish = performance.now() - began; }); }
      });
    },
  });
})()`;

/** In the page: main-thread ms of one JSON.parse of the last incidents push's own text (5 batches of 1,000, the median batch's mean). */
const PARSE_REFERENCE = `(() => {
  const text = window.__deltaHook.last;
  if (!text) return { ms: null, bytes: 0 };
  const batches = [];
  for (let b = 0; b < 5; b++) { const t = performance.now(); for (let i = 0; i < 1000; i++) JSON.parse(text); batches.push((performance.now() - t) / 1000); }
  batches.sort((a, b) => a - b);
  return { ms: batches[2], bytes: text.length };
})()`;

type Parsed = { ms: number | null; bytes: number };
type Hook = { incidents: number; resyncs: number; storePort: boolean; origin: number; pushes: { handler: number; publish: number }[] };

async function taskMs(page: CdpPage): Promise<number> {
  const { metrics } = await page.call<{ metrics: { name: string; value: number }[] }>("Performance.getMetrics");
  return (metrics.find((m) => m.name === "TaskDuration")?.value ?? 0) * 1000;
}

async function until(page: CdpPage, expression: string, what: string, timeoutMs = 480_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.evaluate<boolean>(expression).catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

type Pages = { name: string; page: CdpPage }[];

/** Each page's main-thread ms over `count` windows of `windowMs`, calling `atStart(i)` as each begins. */
async function windows(pages: Pages, count: number, windowMs: number, atStart: (i: number) => void): Promise<number[][]> {
  const out = pages.map(() => [] as number[]);
  let before = await Promise.all(pages.map((p) => taskMs(p.page)));
  const began = performance.now();
  for (let i = 0; i < count; i++) {
    atStart(i);
    // Steady: each window ends on the schedule, not after the reads.
    await sleep(Math.max(0, began + (i + 1) * windowMs - performance.now()));
    const after = await Promise.all(pages.map((p) => taskMs(p.page)));
    after.forEach((value, k) => out[k]?.push(value - (before[k] ?? 0)));
    before = after;
  }
  return out;
}

export const deltaSuite: Suite = {
  name: "delta",
  title: "Page main-thread time per incident delta, city scale, operator console and briefing page open",
  method: [
    `The console's cache is seeded with the engine's own cache code as the cold start's is (100,000 cases copied from the reference feed's city, its ~62,000 staff with last positions) and the console runs as \`serve\` with the ~30,000-grid layer cut inside ${CITY_DISTRICT}, against the engine tests' scriptable feed (electron/engine/testing/mini-feed.ts) on the cache's own epoch, so it resumes with no snapshot and then receives nothing but what the bench publishes: no positions, a heartbeat a second.`,
    "Chromium (SwiftShader, 1920×1080, driven over a bare DevTools socket as the cold start is) opens two tabs: the operator console and `?view=briefing`. Once both show the cases and have settled, 50 idle windows of 200 ms are taken, then the feed publishes single-case deltas (one `incident.upsert` moving a case one step on, different cases spread over the 100,000) at 5 a second for 150 deltas, one per 200 ms window.",
    "**The figure**, per page: a script the page runs before its own times, for each `incidents` push, the bridge's message handler (decoding and the data store's updater) and the data store's publish task that follows it (`DataStore.flushSoon`: the selectors of every `useSyncExternalStore` subscriber, then React's render, commit and effects of the views that watch incidents, which React runs in a microtask of that same task for a store change, so the count ends in a microtask queued after it); per delta = the sum, p50 and p95 over the pushes (the engine pushes every 100 ms, so close deltas can share a push). This is the updater + render commit; work a view defers to its own timer (the map's paced marker rebuild, the panels' throttled derivations) and drawing are not in it.",
    "**Also**: the whole main thread per delta window: CDP `Performance.getMetrics` `TaskDuration` (the renderer main thread's busy time) of each tab read at the start of each 200 ms window, minus the same page's idle-window median; it holds deferred work and drawing too, and anything else that fell in the window, so on a loaded machine it is the noisy upper bound.",
    "**Reference**, same run and same pages: the main-thread time of one `JSON.parse` of the page's last `incidents` push text (in the page, 5 batches of 1,000, the median batch's mean), the least any page must spend on a delta; for the window figure, the idle window's median.",
  ].join("\n"),
  async run(context) {
    const caseCount = context.quick ? 10_000 : 100_000;
    const deltas = context.quick ? 40 : 150;
    const idleWindows = context.quick ? 20 : 50;
    const windowMs = 200;
    const w = await world(context.quick ? "district" : "city");
    const { layer, grids, places } = consoleCityLayer(context.quick ? 3_000 : 30_000);
    const dir = benchTempDir("delta");
    const layerFile = path.join(dir, "layer.geojson");
    writeLayer(layerFile, layer);
    const dataDir = path.join(dir, "data");
    const incidents = manyIncidents(w.incidents, caseCount, places, Date.now());
    context.log(`delta: cache of ${caseCount} cases, ${w.units.length} units`);
    await seedCache(dataDir, w, incidents);
    const token = "bench-delta";
    const feed = new MiniFeed({ token, epoch: w.epoch, heartbeatMs: 1000 });
    const feedUrl = await feed.listen();
    const browser = await CdpBrowser.launch();
    try {
      const app = await startServeProcess({ feedUrl, token, dataDir, extra: ["--region-layer", layerFile, "--district-code", CITY_DISTRICT] });
      const pages: Pages = [];
      for (const [name, url] of [
        ["operator console", app.ready],
        ["briefing page", `${app.ready}&view=briefing`],
      ] as const) {
        const page = await browser.newPage();
        await page.addInitScript(HOOK);
        await page.call("Performance.enable");
        await page.goto(url);
        pages.push({ name, page });
      }
      const [operator, briefing] = pages.map((p) => p.page) as [CdpPage, CdpPage];
      await until(operator, `!!document.querySelector('[data-testid="connection-status"][data-state="live"]') && !!document.querySelector('[data-testid="incident-row"]')`, "operator console live with cases");
      await until(briefing, `!!document.querySelector('[data-testid="briefing"]')`, "briefing page shown");
      // Let the first frames, the map's region and the panels' first derivations settle.
      await sleep(context.quick ? 5_000 : 20_000);
      context.log("delta: both pages up; idle windows");
      const idle = await windows(pages, idleWindows, windowMs, () => undefined);
      context.log(`delta: ${deltas} deltas at ${1000 / windowMs}/s`);

      // Cases spread over the cache (a prime stride), each moved one step per delta.
      const stride = 7_919;
      const moved = Array.from({ length: deltas }, (_, i) => incidents[(i * stride) % incidents.length]).filter((c) => c !== undefined);
      const stream = incidentDeltas(moved, w.epoch, 0, deltas, Date.now());
      const hooksBefore = await Promise.all(pages.map((p) => p.page.evaluate<Hook>("window.__deltaHook")));
      // BENCH_PROFILE=<dir>: one page's main thread while the deltas stream (the operator console's; the briefing page's with
      // BENCH_PROFILE_PAGE=briefing); the figures of such a run read high.
      const profileDir = process.env.BENCH_PROFILE;
      const profiled = process.env.BENCH_PROFILE_PAGE === "briefing" ? { page: briefing, name: "briefing" } : { page: operator, name: "operator" };
      if (profileDir) await profiled.page.startProfiler();
      const streamBegan = performance.now();
      const busy = await windows(pages, deltas, windowMs, (i) => {
        const event = stream[i]?.events[0];
        if (event) feed.upsert(event.incident);
      });
      const streamSeconds = (performance.now() - streamBegan) / 1000;
      if (profileDir) {
        const profile = await profiled.page.stopProfiler();
        mkdirSync(profileDir, { recursive: true });
        writeFileSync(path.join(profileDir, `delta-${profiled.name}.cpuprofile`), JSON.stringify(profile));
      }
      // A page behind on its socket takes the rest of the pushes afterwards: wait until neither has had one for 5 s (at most 120 s).
      let hooksAfter = await Promise.all(pages.map((p) => p.page.evaluate<Hook>("window.__deltaHook")));
      for (let quiet = 0, waited = 0; quiet < 5_000 && waited < 120_000; waited += 1_000) {
        await sleep(1_000);
        const now = await Promise.all(pages.map((p) => p.page.evaluate<Hook>("window.__deltaHook")));
        quiet = now.every((h, k) => h.incidents === hooksAfter[k]?.incidents) ? quiet + 1_000 : 0;
        hooksAfter = now;
      }
      const parse = await Promise.all(pages.map((p) => p.page.evaluate<Parsed>(PARSE_REFERENCE)));

      const figures: Figure[] = [];
      pages.forEach(({ name }, k) => {
        const raw = [...(busy[k] ?? [])].sort((a, b) => a - b);
        const quiet = [...(idle[k] ?? [])].sort((a, b) => a - b);
        const idleMedian = percentile(quiet, 50);
        const net = raw.map((v) => Math.max(0, v - idleMedian)).sort((a, b) => a - b);
        const reference = { ms: parse[k]?.ms ?? Number.NaN, bytes: parse[k]?.bytes ?? 0 };
        const resyncs = (hooksAfter[k]?.resyncs ?? 0) - (hooksBefore[k]?.resyncs ?? 0);
        const pushes = (hooksAfter[k]?.incidents ?? 0) - (hooksAfter[k]?.origin === hooksBefore[k]?.origin ? (hooksBefore[k]?.incidents ?? 0) : 0);
        const sameDocument = hooksAfter[k]?.origin === hooksBefore[k]?.origin;
        const timed = (hooksAfter[k]?.pushes ?? []).slice(sameDocument ? (hooksBefore[k]?.pushes.length ?? 0) : 0);
        // A page that loaded again (a crash, a reload) during the stream starts a new count: say so rather than mix documents.
        const reloaded = hooksAfter[k]?.origin !== hooksBefore[k]?.origin;
        if (reloaded) context.log(`delta: the ${name} loaded again during the stream; its pushes before that are lost`);
        if (!hooksAfter[k]?.storePort && timed.length > 0) throw new Error(`${name}: the data store's publish task was not found (DataStore.flushSoon renamed?)`);
        const store = timed.map((t) => t.handler + t.publish).sort((a, b) => a - b);
        const handlerOnly = timed.map((t) => t.handler).sort((a, b) => a - b);
        const publishOnly = timed.map((t) => t.publish).sort((a, b) => a - b);
        const label = `${name}, ${caseCount.toLocaleString("en-US")} cases, ${w.units.length.toLocaleString("en-US")} staff, ${grids.toLocaleString("en-US")} grids, both windows open`;
        const note = `${deltas} deltas in ${round(streamSeconds, 1)} s (${round(deltas / streamSeconds, 1)}/s; nominal ${1000 / windowMs}/s, longer when the page's metric reads wait on its busy main thread), ${pushes} incidents pushes received (the engine pushes every 100 ms, so close deltas share a push), ${resyncs} resyncs (the host dropped this page's backlog)${reloaded ? "; the page loaded again during the stream, so only its pushes after that are counted" : ""}; raw window p50 ${round(percentile(raw, 50), 2)} ms, p95 ${round(percentile(raw, 95), 2)} ms, max ${round(raw.at(-1) ?? Number.NaN, 1)} ms; idle window p50 ${round(idleMedian, 2)} ms, p95 ${round(percentile(quiet, 95), 2)} ms; push text ${reference.bytes} bytes`;
        for (const p of [50, 95]) {
          const value = percentile(store, p);
          const figure: Figure = {
            suite: "delta",
            name: `page main-thread time per incident delta, updater + render commit, p${p}, ${label}`,
            value: round(value, 2),
            unit: "ms",
            reference: { name: "JSON.parse of the same push's text in the page", value: round(reference.ms, 4), unit: "ms" },
            ratio: round(value / Math.max(0.0001, reference.ms), 0),
            ratioMeaning: "per delta / JSON.parse of the push",
            note: `${timed.length} incidents pushes timed in the page; bridge handler (decode + updater) p50 ${round(percentile(handlerOnly, 50), 3)} ms, p95 ${round(percentile(handlerOnly, 95), 2)} ms; store publish (selectors + React render, commit, effects) p50 ${round(percentile(publishOnly, 50), 2)} ms, p95 ${round(percentile(publishOnly, 95), 2)} ms; max ${round(store.at(-1) ?? Number.NaN, 1)} ms. ${note}`,
          };
          if (p === 95) {
            figure.target = "< 2 ms";
            figure.met = value < 2 && pushes >= 1;
          }
          figures.push(figure);
        }
        const wholeP95 = percentile(net, 95);
        figures.push({
          suite: "delta",
          name: `whole main-thread time per delta window (CDP TaskDuration − idle median), p95, ${label}`,
          value: round(wholeP95, 1),
          unit: "ms",
          reference: { name: "the same page's idle 200 ms window, median", value: round(idleMedian, 2), unit: "ms" },
          ratio: round(wholeP95 / Math.max(0.01, idleMedian), 2),
          ratioMeaning: "delta window p95 / idle window",
          note: `everything the page's main thread did in each delta's window, deferred work included (the map's paced marker rebuild, the panels' throttled derivations, drawing), and anything else that fell in it. ${note}`,
        });
      });
      await app.stop();
      return figures;
    } finally {
      await browser.close();
      await feed.close();
    }
  },
};
