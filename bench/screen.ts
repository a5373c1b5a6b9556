import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import type { Figure, Suite } from "./lib.js";
import { percentile, round } from "./lib.js";
import { benchTempDir, launchBrowser, newPage, startFeedProcess, startServeProcess } from "./processes.js";
import { sleep } from "./engine-rig.js";

/*
 * Event to screen: a case injected at the reference feed (its /trainer
 * namespace) until its row is in the console's DOM in Chromium. Both ends
 * read Date.now() on the same machine.
 */

/** Runs in the page: the first time each `data-incident-id` is seen in the DOM, by a MutationObserver. */
const OBSERVER = `(() => {
  const seen = {};
  window.__seen = seen;
  const scan = () => {
    const now = Date.now();
    for (const row of document.querySelectorAll('[data-testid="incident-row"][data-incident-id]')) {
      const id = row.getAttribute("data-incident-id");
      if (id && !(id in seen)) seen[id] = now;
    }
  };
  scan();
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-incident-id"] });
  return true;
})()`;

type Injected = { incident?: { id?: unknown } } | { ok: false; message?: string };

export const screenSuite: Suite = {
  name: "screen",
  title: "Event to screen: a new case from the platform's emit to its row in the DOM",
  method: [
    "The reference feed runs as its own process at district scale (`--scale district --speed 14 --start 2026-11-20T10:00:00+08:00`: a weekday morning with the day shift on patrol, so the feed sends about 1,000 fixes a second), the console as `serve` against it, and the console page in Chromium (SwiftShader) at 1920×1080.",
    "A MutationObserver in the page records `Date.now()` the first time each `[data-testid=incident-row][data-incident-id=…]` appears. The bench injects urgent cases through the feed's `/trainer` `inject` (urgent new reports lead the queue, so the row is inside the virtualized window), reading `Date.now()` just before the emit; latency = seen − emitted.",
    "A plain Socket.IO client on `/console` counts the fixes the feed sends during the run, to state the position load the figure was taken under. **Reference**: the trainer's own round trip (emit to ack), the floor for any console.",
  ].join("\n"),
  async run(context) {
    const samples = context.quick ? 15 : 100;
    const token = randomBytes(12).toString("hex");
    const feed = await startFeedProcess({ token, scale: "district", speed: 14, start: "2026-11-20T10:00:00+08:00" });
    const dataDir = benchTempDir("screen");
    const watcher = io(`${feed.ready}/console`, { auth: { token, consoleId: "bench-watcher", protocol: 1 }, transports: ["websocket"], forceNew: true });
    const trainer = io(`${feed.ready}/trainer`, { auth: { token }, transports: ["websocket"], forceNew: true });
    try {
      let fixes = 0;
      watcher.on("hello", () => watcher.emit("subscribe", {}, () => undefined));
      watcher.on("positions", (frame: { fixes?: unknown[] }) => void (fixes += frame.fixes?.length ?? 0));
      const app = await startServeProcess({ feedUrl: feed.ready, token, dataDir });
      const browser = await launchBrowser();
      const page = await newPage(browser);
      await page.goto(app.ready);
      await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ state: "attached", timeout: 120_000 });
      await page.locator('[data-testid="incident-row"]').first().waitFor({ timeout: 60_000 });
      await page.evaluate(OBSERVER);
      context.log(`screen: live; injecting ${samples} cases`);
      await sleep(3000);
      // BENCH_PROFILE=<dir>: the page's main thread while cases are injected, with each case's emit and
      // seen times (Date.now()) and the page's clock at the profile's start, to line slow rows up with it.
      const profileDir = process.env.BENCH_PROFILE;
      const cdp = profileDir ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
        await cdp.send("Profiler.start");
      }
      const pageClock = cdp ? ((await page.evaluate("({ now: performance.now(), date: Date.now() })")) as { now: number; date: number }) : null;
      const fixesBefore = fixes;
      const windowStart = performance.now();
      const emitted = new Map<string, number>();
      const roundTrips: number[] = [];
      for (let i = 0; i < samples; i++) {
        const at = Date.now();
        const answer = (await trainer.timeout(10_000).emitWithAck("inject", { categoryCode: "0501", priority: "urgent", urgent: true, manual: true, source: "hotline", title: `基准测试 ${i}` })) as Injected;
        roundTrips.push(Date.now() - at);
        const id = "incident" in answer ? answer.incident?.id : undefined;
        if (typeof id !== "string") throw new Error(`inject failed: ${JSON.stringify(answer)}`);
        emitted.set(id, at);
        await sleep(400);
      }
      // Rows still missing get up to 20 s more: a slow page shows as a long tail, not as a lost sample.
      for (let waited = 0; waited < 20_000; waited += 500) {
        const shown = (await page.evaluate("Object.keys(window.__seen)")) as string[];
        if ([...emitted.keys()].every((id) => shown.includes(id))) break;
        await sleep(500);
      }
      const windowS = (performance.now() - windowStart) / 1000;
      if (cdp && profileDir) {
        const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
        mkdirSync(profileDir, { recursive: true });
        writeFileSync(path.join(profileDir, "screen-page.cpuprofile"), JSON.stringify(profile));
        const seenAt = (await page.evaluate("window.__seen")) as Record<string, number>;
        writeFileSync(path.join(profileDir, "screen-cases.json"), JSON.stringify({ pageClock, cases: [...emitted].map(([id, at]) => ({ id, emitted: at, seen: seenAt[id] ?? null })) }));
      }
      const fixRate = (fixes - fixesBefore) / windowS;
      const seen = (await page.evaluate("window.__seen")) as Record<string, number>;
      const latencies: number[] = [];
      let missing = 0;
      for (const [id, at] of emitted) {
        const shown = seen[id];
        if (shown === undefined) missing++;
        else latencies.push(shown - at);
      }
      if (latencies.length === 0) context.log(`screen: none seen; the page saw ${Object.keys(seen).length} rows: ${Object.keys(seen).slice(0, 5).join(", ")}; injected ${[...emitted.keys()].slice(0, 3).join(", ")}`);
      latencies.sort((a, b) => a - b);
      roundTrips.sort((a, b) => a - b);
      const p95 = percentile(latencies, 95);
      const ackP50 = percentile(roundTrips, 50);
      const figures: Figure[] = [];
      const note = `${latencies.length} of ${samples} cases seen (${missing} never shown); feed sent ${Math.round(fixRate)} fixes/s during the run`;
      for (const p of [50, 95, 99]) {
        const value = percentile(latencies, p);
        const figure: Figure = {
          suite: "screen",
          name: `event to screen p${p}, district, ${Math.round(fixRate)} fixes/s`,
          value: Math.round(value),
          unit: "ms",
          reference: { name: "trainer inject round trip (emit → ack), p50", value: ackP50, unit: "ms" },
          ratio: round(value / Math.max(1, ackP50), 1),
          ratioMeaning: "latency / feed round trip",
          note,
        };
        if (p === 95) {
          figure.target = "< 250 ms";
          figure.met = p95 < 250 && missing === 0;
        }
        figures.push(figure);
      }
      return figures;
    } finally {
      watcher.close();
      trainer.close();
    }
  },
};
