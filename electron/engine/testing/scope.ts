import { afterEach } from "vitest";
import type { ConsoleEngine } from "../engine.js";
import { makeEngine, tempDir } from "./harness.js";
import { MiniFeed } from "./mini-feed.js";

/*
 * What an engine test starts (mini feeds, engines, data directories, and
 * whatever else it hands to `cleanups`) is undone after each test, newest
 * first. Call once at a test file's top level: it registers the file's
 * afterEach.
 */
export function engineTestScope() {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const feed = async (options: ConstructorParameters<typeof MiniFeed>[0] = {}): Promise<MiniFeed> => {
    const server = new MiniFeed(options);
    await server.listen();
    cleanups.push(() => server.close());
    return server;
  };
  const engineFor = (url: string, dir: string, change: Parameters<typeof makeEngine>[2] = {}): ConsoleEngine => {
    const engine = makeEngine(url, dir, change);
    cleanups.push(() => engine.stop());
    return engine;
  };
  const directory = (): string => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    return dir;
  };
  return { cleanups, feed, engineFor, directory };
}
