import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Engine, EngineOptions } from "../engine/api.js";
import { helpText, wantsHelp } from "../config/help.js";
import { ConfigError, loadConfig, type ConsoleConfig } from "../config/load.js";
import { engineOptions, openBaseMap, type FeedTarget } from "../config/prepare.js";
import { AccessKeyError, accessFromKey, loadOrCreateAccessKey } from "../host/access.js";
import type { Log } from "../host/log.js";
import { tileServerOrigin } from "../host/security.js";
import { startWebHost, type WebHost } from "../host/server.js";

/*
 * What `npm run serve` and `npm start` share: configuration, the engine, the
 * web host, and an orderly stop (host first so no call reaches a stopping
 * engine, then the engine, which flushes the cache).
 */

export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const RENDERER_DIR = path.join(APP_ROOT, "dist", "renderer");

export type EngineFactory = (options: EngineOptions) => Engine;
export type RunningConsole = { readonly host: WebHost; readonly engine: Engine; stop(): Promise<void> };

/** Loads the configuration or ends the process: 0 after --help, 2 with the reason for a bad value. */
export function configOrExit(argv: readonly string[], command: string): ConsoleConfig {
  if (wantsHelp(argv)) {
    process.stdout.write(helpText(command));
    process.exit(0);
  }
  try {
    return loadConfig({ argv, env: process.env, cwd: process.cwd(), appRoot: APP_ROOT, defaultDataDir: ".data" });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

export async function startConsole(config: ConsoleConfig, feed: FeedTarget, createEngine: EngineFactory, log: Log): Promise<RunningConsole> {
  if (!existsSync(path.join(RENDERER_DIR, "index.html"))) {
    throw new ConfigError(`the built console is missing (${RENDERER_DIR}/index.html): run \`npm run build\` first`);
  }
  const baseMap = await openBaseMap(config, log);
  const engine = createEngine(engineOptions(config, feed, log, {}, baseMap.settings));
  await engine.start();
  let host: WebHost;
  try {
    const tileOrigin = tileServerOrigin(config.mapTilesUrl);
    // The key in the printed URL, kept in the data dir so the URL outlives a restart (../host/access.ts).
    let key: string;
    try {
      key = loadOrCreateAccessKey(config.dataDir);
    } catch (error) {
      if (error instanceof AccessKeyError) throw new ConfigError(`configuration: dataDir: ${error.message}`);
      throw error;
    }
    host = await startWebHost({
      access: accessFromKey(key),
      port: config.port,
      rendererDir: RENDERER_DIR,
      bridge: engine,
      log,
      ...(tileOrigin === undefined ? {} : { tileOrigin }),
      ...(baseMap.reader === undefined ? {} : { tiles: baseMap.reader }),
      ...(config.browser === undefined ? {} : { pdfBrowser: config.browser }),
    });
  } catch (error) {
    await engine.stop();
    baseMap.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new ConfigError(`configuration: port ${config.port} is already in use on 127.0.0.1 (use another --port, or 0 for a free one)`);
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    host,
    engine,
    stop() {
      stopping ??= host.close().then(() => engine.stop()).finally(() => baseMap.close());
      return stopping;
    },
  };
}

/*
 * SIGTERM and SIGINT stop once, cleanly, and exit 0. Repeats while stopping
 * are ignored: Ctrl-C under `npm run` reaches the process twice (from the
 * terminal and forwarded by npm), and must not cut the cache flush short. A
 * stop that hangs still ends, with exit code 1, after STOP_DEADLINE_MS.
 */
const STOP_DEADLINE_MS = 20_000;

export function stopOnSignals(stop: () => Promise<void>, log: Log): void {
  let stopping = false;
  const onSignal = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log("info", `${reason}: stopping`);
    setTimeout(() => {
      log("error", `stop did not finish in ${STOP_DEADLINE_MS} ms: exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log("error", "stop failed", { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // A launcher that died without passing the signal on (a shell between npm and node) must not leave the console running.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onSignal("parent process gone");
  }, 1000).unref();
}

/** Reports a failure at start: a ConfigError as its message alone, anything else with its stack. */
export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `console failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
