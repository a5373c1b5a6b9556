import type { ConsoleConfig } from "../config/load.js";
import type { Log } from "../host/log.js";
import { resolveFeed, type FeedHandle } from "./feed-target.js";

/*
 * The feed for a checkout's `npm start` and `npm run serve` (run from source
 * with tsx): the configured platform, or with `demo` the reference feed
 * imported from source, and only then (./feed-target.ts says when). The
 * Electron shell loads the demo from its own bundle instead (bundledDemoFeed).
 */

export function feedTarget(config: ConsoleConfig, log: Log, appRoot: string): Promise<FeedHandle> {
  return resolveFeed(config, log, appRoot, () => import("./demo-feed.js"));
}
