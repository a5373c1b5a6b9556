import path from "node:path";
import { ConfigError, type ConsoleConfig } from "../config/load.js";
import type { FeedTarget } from "../config/prepare.js";
import { newSecret } from "../host/security.js";
import type { Log } from "../host/log.js";

/** Whole days of case history the demo starts with (feed/sim/history.ts): 环比, hot spots and the daily figures read a month and more from the first launch. */
const DEMO_HISTORY_DAYS = 35;
/** Share of the demo's staff planted with a patrol fraud (feed/sim/fraud.ts). */
const DEMO_FRAUD_SHARE = 0.02;

/*
 * With `demo` set (never by default: `npm start` in a checkout sets it when no
 * feed is configured) the console runs the reference feed server in process,
 * at district scale: the out-of-the-box demo and the training mode for new
 * grid staff, marked as such on every view (settings.demo). It is imported
 * only then, so a deployment pointed at the real platform never loads the
 * simulator. With neither a feed nor the demo the console does not start: a
 * wall that silently shows simulated cases is worse than one that says why.
 */

export const NO_FEED_MESSAGE =
  "configuration: no feed configured. Set feedUrl (--feed-url, GRID_CONSOLE_FEED_URL or the config file's \"feedUrl\") with its token " +
  "(GRID_CONSOLE_TOKEN, the config file's \"token\", or tokenFile), or pass --demo (GRID_CONSOLE_DEMO=true) to run the built-in demo and training feed (simulated data).";

export type FeedHandle = { target: FeedTarget; embedded: boolean; stop(): Promise<void> };

/** `appRoot`: where resources/ lives; passed in because the bundled Electron main cannot locate it from the feed's own module URL. */
export async function feedTarget(config: ConsoleConfig, log: Log, appRoot: string): Promise<FeedHandle> {
  if (config.feedUrl && config.token) return { target: { feedUrl: config.feedUrl, token: config.token }, embedded: false, stop: async () => undefined };
  if (!config.demo) throw new ConfigError(NO_FEED_MESSAGE);
  const token = newSecret();
  const { createFeedServer } = await import("../../feed/server.js");
  // Autopilot and a warm-up, as `npm run feed` does, and 35 days of past cases, so the demo opens on a lived-in day with a past;
  // a few staff fake their patrols (2%), so the patrol check list has something to show a trainee.
  const server = await createFeedServer({ port: 0, token, scale: "district", autopilot: true, warmupHours: 8, historyDays: DEMO_HISTORY_DAYS, fraudShare: DEMO_FRAUD_SHARE, resourcesDir: path.join(appRoot, "resources") });
  log("info", `demo: running the reference feed embedded (simulated data, demo and training mode) at ${server.url}`);
  return { target: { feedUrl: server.url, token }, embedded: true, stop: () => server.close() };
}
