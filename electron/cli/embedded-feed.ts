import path from "node:path";
import type { ConsoleConfig } from "../config/load.js";
import type { FeedTarget } from "../config/prepare.js";
import { newSecret } from "../host/security.js";
import type { Log } from "../host/log.js";

/*
 * With no feed configured the console runs the reference feed server in
 * process, at district scale: the out-of-the-box demo and the training mode
 * for new grid staff. It is imported only then, so a deployment pointed at
 * the real platform never loads the simulator.
 */

export type FeedHandle = { target: FeedTarget; embedded: boolean; stop(): Promise<void> };

/** `appRoot`: where resources/ lives; passed in because the bundled Electron main cannot locate it from the feed's own module URL. */
export async function feedTarget(config: ConsoleConfig, log: Log, appRoot: string): Promise<FeedHandle> {
  if (config.feedUrl && config.token) return { target: { feedUrl: config.feedUrl, token: config.token }, embedded: false, stop: async () => undefined };
  const token = newSecret();
  const { createFeedServer } = await import("../../feed/server.js");
  // Autopilot and a warm-up, as `npm run feed` does, so the demo opens on a lived-in day rather than an empty one.
  const server = await createFeedServer({ port: 0, token, scale: "district", autopilot: true, warmupHours: 8, resourcesDir: path.join(appRoot, "resources") });
  log("info", `no feed configured: running the reference feed embedded (demo and training mode) at ${server.url}`);
  return { target: { feedUrl: server.url, token }, embedded: true, stop: () => server.close() };
}
