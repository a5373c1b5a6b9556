import { app, dialog, powerSaveBlocker, safeStorage, screen, session } from "electron";
import path from "node:path";
import { ConfigError, loadConfig, type ConsoleConfig } from "../config/load.js";
import { engineOptions, openBaseMap } from "../config/prepare.js";
import { bundledDemoFeed, resolveFeed, type FeedHandle } from "../cli/feed-target.js";
import { createSupervisedEngine } from "../engine/worker/supervisor.js";
import type { Engine } from "../engine/api.js";
import { createLog } from "../host/log.js";
import { tileServerOrigin } from "../host/security.js";
import { firstRunScreen } from "./first-run.js";
import { askWhereToSave, electronPrinter, exportHandler } from "./export-pdf.js";
import { serveBridgeOverIpc } from "./ipc.js";
import { keychainReporterKey } from "./reporter-key.js";
import { registerAppScheme, serveApp } from "./protocol.js";
import { ConsoleWindows, hardenContents, lockSession, preloadPath } from "./windows.js";

/*
 * The Electron shell: one engine, a wall window and an operator window fed
 * from it, the console served from app://console. Bundled by esbuild to
 * dist/electron/main.cjs, so __dirname is dist/electron and the app root
 * (resources/, dist/renderer/) is two levels up, inside the asar when packaged.
 */

const log = createLog();
const appRoot = path.resolve(__dirname, "..", "..");

/** Our arguments: those after the main script when run as `electron main.cjs …`, all of them when packaged. */
function consoleArguments(): string[] {
  if (app.isPackaged) return process.argv.slice(1);
  const script = process.argv.findIndex((arg, index) => index > 0 && path.resolve(arg) === path.join(__dirname, "main.cjs"));
  return script >= 0 ? process.argv.slice(script + 1) : [];
}

function readConfig(): ConsoleConfig | null {
  try {
    return loadConfig({ argv: consoleArguments(), env: process.env, cwd: process.cwd(), appRoot, defaultDataDir: app.getPath("userData") });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return null;
  }
}

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  log("warn", "another console is already running on this machine: focusing it and quitting");
  app.exit(0);
} else {
  const config = readConfig();
  if (config === null) app.exit(2);
  else void run(config);
}

async function run(config: ConsoleConfig): Promise<void> {
  await app.whenReady();
  if (config.feedUrl === undefined && !config.demo) {
    // No feed and no demo asked for: say what to set rather than simulate (./first-run.ts).
    const { title, message, detail } = firstRunScreen(config.dataDir);
    await dialog.showMessageBox({ type: "info", title, message, detail, buttons: ["退出 / Quit"], noLink: true });
    app.exit(0);
    return;
  }
  app.on("web-contents-created", (_event, contents) => hardenContents(contents, log));
  const tileOrigin = tileServerOrigin(config.mapTilesUrl);
  lockSession(session.defaultSession, log, tileOrigin);
  // A file that is not usable MBTiles comes back as a reason for the map, not an error: the wall starts anyway.
  const baseMap = await openBaseMap(config, log);
  serveApp(path.join(appRoot, "dist", "renderer"), log, tileOrigin, baseMap.reader, exportHandler(electronPrinter(preloadPath(__dirname), log), log));
  askWhereToSave(session.defaultSession);

  let feed: FeedHandle;
  let engine: Engine;
  try {
    // The demo feed is a bundle of its own (dist/demo), required only here and only with `demo` set.
    feed = await resolveFeed(config, log, appRoot, bundledDemoFeed(appRoot));
    // On its own thread, so opening the cache, compacting and encoding never hold the windows, and restarted when that thread dies (docs/DESIGN-NOTES.md).
    // Reporters and staff phones are sealed in the cache with a key the OS keychain keeps (./reporter-key.ts).
    const reporterKey = keychainReporterKey(config.dataDir, safeStorage, log);
    engine = createSupervisedEngine({ ...engineOptions(config, feed.target, log, {}, baseMap.settings), ...(reporterKey === undefined ? {} : { reporterKey }) });
    await engine.start();
  } catch (error) {
    process.stderr.write(`console failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(error instanceof ConfigError ? 2 : 1);
    return;
  }

  const windows = new ConsoleWindows({
    preload: preloadPath(__dirname),
    wallDisplay: config.wallDisplay,
    operatorDisplay: config.operatorDisplay,
    wallView: config.wallView,
    log,
    // DevTools only when running from a checkout; a packaged wall has none.
    devTools: !app.isPackaged,
  });
  const stopBridge = serveBridgeOverIpc({
    engine,
    log,
    windows: () => windows.all(),
    // Visitors see a wall that shows the briefing or the patrol checks: personal data is never revealed there.
    mayReveal: (sender) => !(config.wallView !== "console" && windows.roleOf(sender) === "wall"),
  });
  powerSaveBlocker.start("prevent-display-sleep");
  windows.place();

  let replaceTimer: NodeJS.Timeout | undefined;
  const replace = () => {
    clearTimeout(replaceTimer);
    // Displays report several changes in a burst when one is plugged in: place once it settles.
    replaceTimer = setTimeout(() => windows.place(), 500);
  };
  screen.on("display-added", replace);
  screen.on("display-removed", replace);
  screen.on("display-metrics-changed", replace);
  app.on("second-instance", () => windows.focus());
  app.on("window-all-closed", () => app.quit());

  let stopped = false;
  app.on("before-quit", (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    stopBridge();
    engine
      .stop()
      .then(() => feed.stop())
      .finally(() => baseMap.close())
      .then(
        () => app.exit(0),
        (error: unknown) => {
          log("error", "stop failed", { error: String(error) });
          app.exit(1);
        },
      );
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => app.quit());
}
