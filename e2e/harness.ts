import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { closeBrowsers, launchChromium, openBrowsers } from "../scripts/lib/children.js";
import { ARTIFACTS, startChild, stopAllChildren, type Child } from "./processes.js";

/*
 * The end-to-end harness: the reference feed and the console's web host as
 * real processes (`npm run feed`, `npm run serve`), and Debian's Chromium
 * driven by playwright-core. No browser is ever downloaded: CI installs the
 * distribution's chromium (see .ci/run).
 *
 *   const feed = await startFeed({ speed: 20 });
 *   const app = await startConsole({ feed });
 *   const page = await openConsole(app);
 *   await waitForState(page, "live");
 *   await feed.stop(); …; await feed.restart();
 *   await app.restart();           // same port and data dir
 *   await saveScreenshot(page, "after-outage");
 *   afterAll(stopEverything);
 */

export { CHROMIUM } from "../scripts/lib/children.js";
export const VIEWPORT = { width: 1920, height: 1080 } as const;

/**
 * `fraud`: the share of staff who fake their patrols (the feed's --fraud; the trainer's `planted` says who and how).
 * `start`: where the simulated clock starts (the feed's --start; default now), for a test whose outcome depends on
 * the time of day or the weekday; `restart()` starts it there again.
 */
export type FeedOptions = { token?: string; seed?: number; scale?: "street" | "district" | "city"; speed?: number; port?: number; fraud?: number; start?: Date };
export type Feed = { readonly url: string; readonly port: number; readonly token: string; readonly trainerToken: string; stop(): Promise<number | null>; restart(): Promise<void>; output(): string };

export async function startFeed(options: FeedOptions = {}): Promise<Feed> {
  const token = options.token ?? randomBytes(16).toString("hex");
  // Its own secret, as in production: a console's token opens no trainer.
  const trainerToken = randomBytes(16).toString("hex");
  const args = ["--token", token, "--trainer-token", trainerToken, "--scale", options.scale ?? "street", "--speed", String(options.speed ?? 10), "--seed", String(options.seed ?? 42)];
  if (options.fraud !== undefined) args.push("--fraud", String(options.fraud));
  if (options.start !== undefined) args.push("--start", options.start.toISOString());
  let child = await launchFeed(options.port ?? 0, args);
  const port = Number(new URL(child.ready).port);
  return {
    url: child.ready,
    port,
    token,
    trainerToken,
    stop: () => child.stop(),
    // Same port, same token: the console's configured URL stays right, as when a real platform comes back.
    async restart() {
      await child.stop();
      child = await launchFeed(port, args);
    },
    output: () => child.output(),
  };
}

function launchFeed(port: number, args: string[]): Promise<Child> {
  return startChild("feed", ["feed", "--", "--port", String(port), ...args], /feed listening on (http:\/\/127\.0\.0\.1:\d+)/);
}

/** `demo: true` instead of a feed: `serve --demo`, the embedded reference feed. */
export type ConsoleOptions = { feed?: Pick<Feed, "url" | "token">; feedUrl?: string; token?: string; demo?: boolean; dataDir?: string; args?: string[] };
export type ConsoleApp = {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** SIGTERM; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops it and starts it again on the same port with the same data dir. */
  restart(): Promise<void>;
  output(): string;
};

export async function startConsole(options: ConsoleOptions): Promise<ConsoleApp> {
  const feedUrl = options.feed?.url ?? options.feedUrl;
  const token = options.feed?.token ?? options.token;
  if (!options.demo && (!feedUrl || !token)) throw new Error("startConsole needs a feed (or feedUrl and token), or demo: true");
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "grid-console-e2e-"));
  // The token goes in the environment: the console refuses it on the command line, where any local user could read it.
  const source = options.demo ? ["--demo"] : ["--feed-url", feedUrl ?? ""];
  const args = [...source, "--data-dir", dataDir, ...(options.args ?? [])];
  const env: Record<string, string> = options.demo ? {} : { GRID_CONSOLE_TOKEN: token ?? "" };
  let child = await launchConsole(0, args, env);
  const port = Number(new URL(child.ready).port);
  return {
    url: child.ready,
    port,
    dataDir,
    stop: (signal) => child.stop(signal),
    async restart() {
      await child.stop();
      child = await launchConsole(port, args, env);
    },
    output: () => child.output(),
  };
}

/** The ready line's URL, whole: it carries the key that lets a browser in (`?key=…`). */
function launchConsole(port: number, args: string[], env: Record<string, string>): Promise<Child> {
  return startChild("console", ["serve", "--", "--port", String(port), ...args], /console at (http:\/\/127\.0\.0\.1:\d+\/\S*)/, 90_000, env);
}

/**
 * The console's printed URL with `query`'s parameters added to its own (its
 * key among them): "?view=briefing" and "&view=briefing" both work.
 */
export function consoleUrl(url: string, query = ""): string {
  const target = new URL(url);
  for (const [name, value] of new URLSearchParams(query.replace(/^[?&]/, ""))) target.searchParams.set(name, value);
  return target.href;
}

export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

/** A fresh 1920×1080 page on the console; `query`'s parameters (e.g. "?view=briefing") are added to the printed URL's. */
export async function openConsole(app: Pick<ConsoleApp, "url">, options: { browser?: Browser; query?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const browser = options.browser ?? openBrowsers()[0] ?? (await launchBrowser());
  const context = await browser.newContext({ viewport: options.viewport ?? VIEWPORT, deviceScaleFactor: 1, locale: "zh-CN", timezoneId: "UTC" });
  const page = await context.newPage();
  page.on("pageerror", (error) => process.stderr.write(`[page error] ${error.message}\n`));
  // about:blank and the like (a test that navigates by itself) are taken as they are.
  await page.goto(app.url.startsWith("http") ? consoleUrl(app.url, options.query) : `${app.url}${options.query ?? ""}`);
  return page;
}

export const CONNECTION_STATUS = '[data-testid="connection-status"]';

/** Waits until the connection indicator shows `state`; returns its data-as-of. */
export async function waitForState(page: Page, state: "live" | "connecting" | "offline" | "stalled" | "unauthorized", timeoutMs = 90_000): Promise<string | null> {
  const locator = page.locator(`${CONNECTION_STATUS}[data-state="${state}"]`);
  await locator.waitFor({ state: "attached", timeout: timeoutMs });
  return locator.getAttribute("data-as-of");
}

/*
 * Screenshots are evidence for people, not assertions: under a heavy load a
 * software-rendered map can take longer than any sensible timeout to give a
 * frame, and that must not fail a test whose behaviour was already proved.
 * Resolves to the file, or null (with a warning) when no frame came in time.
 */
export async function saveScreenshot(page: Page, name: string, timeoutMs = 90_000): Promise<string | null> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: timeoutMs });
    return file;
  } catch (error) {
    process.stderr.write(`[harness] screenshot ${name} not taken: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
    return null;
  }
}

/** For afterAll: closes browsers, then SIGTERMs every feed and console still running. */
export async function stopEverything(): Promise<void> {
  await closeBrowsers();
  await stopAllChildren();
}
