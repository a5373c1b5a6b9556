import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/load.js";
import { createSupervisedEngine } from "../engine/worker/supervisor.js";
import { createLog } from "../host/log.js";
import { APP_ROOT, configOrExit, exitOnStartFailure, startConsole, stopOnSignals } from "./console-host.js";
import { feedTarget } from "./embedded-feed.js";
import { appModeArguments, electronBinary, findBrowser, runQuietly, runInherited } from "./launch.js";

/*
 * `npm start`: the Electron shell when its binary exists; otherwise the web
 * host with the console opened in a Chromium app window (closing the window
 * stops the console), or the URL printed when there is no browser. This is
 * the checkout's command (a packaged app starts its Electron main directly),
 * so with no feed configured it asks for the demo itself: the first run stays
 * one command, and the demo is still asked for, never a silent fallback.
 */

const log = createLog();
const given = process.argv.slice(2);
const configured = configOrExit(given, "npm start --");
const argv = configured.feedUrl === undefined && !configured.demo ? [...given, "--demo"] : given;
const config = { ...configured, demo: configured.demo || configured.feedUrl === undefined };
const electron = electronBinary();

if (electron) {
  const main = path.join(APP_ROOT, "dist", "electron", "main.cjs");
  if (!existsSync(main)) exitOnStartFailure(new ConfigError(`the Electron shell is not built (${main}): run \`npm run build\` first`));
  log("info", `starting the Electron shell (${electron})`);
  const code = await runInherited(electron, [main, ...argv]);
  process.exit(code ?? 1);
}

try {
  const feed = await feedTarget(config, log, APP_ROOT);
  if (feed.embedded) process.stdout.write("未配置数据源：已启动内置演示/培训数据源 · No feed configured: running the built-in demo and training feed\n");
  const running = await startConsole(config, feed.target, createSupervisedEngine, log);
  let profileDir: string | undefined;
  const stop = async () => {
    await running.stop();
    await feed.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  };
  stopOnSignals(stop, log);
  process.stdout.write(`console at ${running.host.url}\n`);

  const browser = findBrowser(config.browser);
  if (browser === null) {
    log("info", "no Electron binary and no Chromium-family browser found: open the URL above in a browser on this machine");
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    // A fresh profile each time: no stale cache of index.html, no extensions, no other tabs.
    profileDir = mkdtempSync(path.join(config.dataDir, "browser-"));
    log("info", `no Electron binary: opening the console in ${browser} (app mode)`);
    // A one-time key on the browser's command line (any local user can read it there), not the lasting one printed above.
    const code = await runQuietly(browser, appModeArguments(running.host.launchUrl(), profileDir, process.getuid?.() === 0));
    if (code === 0) {
      log("info", "console window closed: stopping");
      await stop();
      process.exit(0);
    }
    // No display, or a browser that refused to start: the console itself is fine, so keep serving.
    log("warn", `${browser} exited with ${code}: open ${running.host.url} in a browser instead; Ctrl-C stops the console`);
  }
} catch (error) {
  exitOnStartFailure(error);
}
