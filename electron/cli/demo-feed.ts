import { createFeedServer } from "../../feed/server.js";
import type { DemoFeed } from "./feed-target.js";

/*
 * The built-in demo and training feed: the reference feed server (feed/,
 * simulator included), run in the console's process. The entry point of its
 * own bundle, dist/demo/demo-feed.cjs (scripts/bundles.mjs), so the Electron
 * main bundle carries no simulator; a checkout's `npm start` / `serve` import
 * this file directly (./embedded-feed.ts).
 */

/** Whole days of case history the demo starts with (feed/sim/history.ts): 环比, hot spots and the daily figures read a month and more from the first launch. */
const DEMO_HISTORY_DAYS = 35;
/** Share of the demo's staff planted with a patrol fraud (feed/sim/fraud.ts). */
const DEMO_FRAUD_SHARE = 0.02;

export async function startDemoFeed(options: { token: string; resourcesDir: string }): Promise<DemoFeed> {
  // Autopilot and a warm-up, as `npm run feed` does, and 35 days of past cases, so the demo opens on a lived-in day with a past;
  // a few staff fake their patrols (2%), so the patrol check list has something to show a trainee.
  const server = await createFeedServer({ port: 0, token: options.token, scale: "district", autopilot: true, warmupHours: 8, historyDays: DEMO_HISTORY_DAYS, fraudShare: DEMO_FRAUD_SHARE, resourcesDir: options.resourcesDir });
  return { url: server.url, close: () => server.close() };
}
