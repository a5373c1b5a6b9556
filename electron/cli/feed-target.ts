import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ConfigError, type ConsoleConfig } from "../config/load.js";
import type { FeedTarget } from "../config/prepare.js";
import { newSecret } from "../host/security.js";
import type { Log } from "../host/log.js";

/*
 * Which feed the console reads: the configured platform, or, with `demo` set
 * (never by default: `npm start` in a checkout sets it when no feed is
 * configured), the reference feed server run in process at district scale:
 * the out-of-the-box demo and the training mode for new grid staff, marked as
 * such on every view (settings.demo). With neither the console does not
 * start: a wall that silently shows simulated cases is worse than one that
 * says why. This file never imports the simulator: the caller passes how to
 * load it, so the Electron main bundle carries none of it (./demo-feed.ts is a
 * bundle of its own, dist/demo/demo-feed.cjs, loaded only when asked for).
 */

export const NO_FEED_MESSAGE =
  "configuration: no feed configured. Set feedUrl (--feed-url, GRID_CONSOLE_FEED_URL or the config file's \"feedUrl\") with its token " +
  "(GRID_CONSOLE_TOKEN, the config file's \"token\", or tokenFile), or pass --demo (GRID_CONSOLE_DEMO=true) to run the built-in demo and training feed (simulated data).";

export type DemoFeed = { url: string; close(): Promise<void> };
/** What ./demo-feed.ts exports, as source or as its bundle. */
export type DemoFeedModule = { startDemoFeed(options: { token: string; resourcesDir: string }): Promise<DemoFeed> };
export type DemoFeedLoader = () => Promise<DemoFeedModule>;
export type FeedHandle = { target: FeedTarget; embedded: boolean; stop(): Promise<void> };

/** The demo feed's bundle (scripts/bundles.mjs), relative to the app root: outside dist/electron, so a packaged build leaves it out unless it asks for it. */
export const DEMO_FEED_BUNDLE = path.join("dist", "demo", "demo-feed.cjs");

/** `appRoot`: where resources/ lives; passed in because a bundle cannot locate it from the feed's own module URL. */
export async function resolveFeed(config: ConsoleConfig, log: Log, appRoot: string, loadDemoFeed: DemoFeedLoader): Promise<FeedHandle> {
  if (config.feedUrl && config.token) return { target: { feedUrl: config.feedUrl, token: config.token }, embedded: false, stop: async () => undefined };
  if (!config.demo) throw new ConfigError(NO_FEED_MESSAGE);
  const { startDemoFeed } = await loadDemoFeed();
  const token = newSecret();
  const server = await startDemoFeed({ token, resourcesDir: path.join(appRoot, "resources") });
  log("info", `demo: running the reference feed embedded (simulated data, demo and training mode) at ${server.url}`);
  return { target: { feedUrl: server.url, token }, embedded: true, stop: () => server.close() };
}

/**
 * The Electron shell's loader: requires the demo bundle beside the app only
 * when the demo is asked for (a CommonJS require, which Electron reads out of
 * the asar). A build without it says so and names what to do instead.
 */
export function bundledDemoFeed(appRoot: string): DemoFeedLoader {
  return async () => {
    const file = path.join(appRoot, DEMO_FEED_BUNDLE);
    if (!existsSync(file)) {
      throw new ConfigError(
        `configuration: demo: this build carries no demo and training feed (${file} is absent). Point the console at the platform with feedUrl, or install a training build (npm run dist:training).`,
      );
    }
    const loaded = createRequire(file)(file) as Partial<DemoFeedModule>;
    if (typeof loaded.startDemoFeed !== "function") throw new Error(`${file} is not the demo feed bundle: it exports no startDemoFeed`);
    return loaded as DemoFeedModule;
  };
}
