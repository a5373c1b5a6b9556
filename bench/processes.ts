import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { closeBrowsers, launchChromium, spawnReady, stopChildren, type ReadyChild } from "../scripts/lib/children.js";

/*
 * The real processes the browser suites measure: the reference feed and the
 * console's web host, each started as `node --import tsx <entry>` (what the
 * npm scripts `exec`, without npm's own start-up in the timings), and Debian's
 * Chromium under SwiftShader (scripts/lib/children.ts, shared with the
 * end-to-end tests). Every child runs in its own process group and is ended by
 * `stopAll`, also when the bench fails half-way.
 */

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export { CHROMIUM } from "../scripts/lib/children.js";

export type Child = ReadyChild;

export function startNode(label: string, entry: string, args: readonly string[], ready: RegExp, timeoutMs = 180_000, env: Readonly<Record<string, string>> = {}): Promise<Child> {
  // BENCH_NODE_PROFILE=<dir>: the console's own process (and its engine thread) under V8's profiler, a file per thread at exit.
  const profileDir = label === "serve" ? process.env.BENCH_NODE_PROFILE : undefined;
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  return spawnReady(label, process.execPath, [...profile, "--import", "tsx", entry, ...args], ready, { cwd: REPO, timeoutMs, keepLines: 100, env });
}

export type FeedArgs = { token: string; scale: "street" | "district" | "city"; speed: number; start?: string; seed?: number };

export function startFeedProcess(options: FeedArgs): Promise<Child> {
  const args = ["--port", "0", "--token", options.token, "--scale", options.scale, "--speed", String(options.speed), "--seed", String(options.seed ?? 7)];
  if (options.start) args.push("--start", options.start);
  return startNode(`feed-${options.scale}`, "feed/cli.ts", args, /feed listening on (http:\/\/127\.0\.0\.1:\d+)/);
}

export function startServeProcess(options: { feedUrl: string; token: string; dataDir: string; extra?: readonly string[] }): Promise<Child> {
  // The console refuses its token on the command line (any local user can read it there): it goes in the environment.
  const args = ["--port", "0", "--feed-url", options.feedUrl, "--data-dir", options.dataDir, "--no-alert-sound", ...(options.extra ?? [])];
  return startNode("serve", "electron/cli/serve.ts", args, /console at (http:\/\/127\.0\.0\.1:\d+\/\S*)/, 180_000, { GRID_CONSOLE_TOKEN: options.token });
}

export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  return context.newPage();
}

const tempDirs = new Set<string>();

/** A temporary folder removed by `stopAll`, after the processes that write into it have ended. */
export function benchTempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${label}-`));
  tempDirs.add(dir);
  return dir;
}

export async function stopAll(): Promise<void> {
  await closeBrowsers();
  await stopChildren(30_000);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Peak and current resident memory of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number): { peak: number; current: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? "0") * 1024;
    return { peak: kb("VmHWM"), current: kb("VmRSS") };
  } catch {
    return null;
  }
}

/** Every descendant of `root` with its command line, from /proc. */
export function descendants(root: number): { pid: number; cmdline: string }[] {
  const parentOf = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of readdirProc()) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parentOf.set(entry, parent);
      commands.set(entry, readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " "));
    } catch {
      // A process that ended between the listing and the read is simply not a descendant any more.
    }
  }
  const out: { pid: number; cmdline: string }[] = [];
  for (const [pid] of parentOf) {
    let cursor: number | undefined = parentOf.get(pid);
    for (let depth = 0; cursor !== undefined && cursor > 1 && depth < 64; depth++) {
      if (cursor === root) {
        out.push({ pid, cmdline: commands.get(pid) ?? "" });
        break;
      }
      cursor = parentOf.get(cursor);
    }
  }
  return out;
}

function readdirProc(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}
