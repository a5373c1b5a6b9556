import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/*
 * The real processes the browser suites measure: the reference feed and the
 * console's web host, each started as `node --import tsx <entry>` (what the
 * npm scripts `exec`, without npm's own start-up in the timings), and Debian's
 * Chromium under SwiftShader. Every child runs in its own process group and is
 * ended by `stopAll`, also when the bench fails half-way.
 */

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CHROMIUM = process.env.GRID_CONSOLE_E2E_CHROMIUM ?? "/usr/bin/chromium";

export type Child = {
  readonly process: ChildProcess;
  readonly pid: number;
  /** performance.now() when spawn was called. */
  readonly spawnedAt: number;
  /** The first capture group of the ready line. */
  readonly ready: string;
  /** performance.now() when the ready line arrived. */
  readonly readyAt: number;
  output(): string;
  stop(): Promise<void>;
};

const running = new Set<Child>();

export async function startNode(label: string, entry: string, args: readonly string[], ready: RegExp, timeoutMs = 180_000): Promise<Child> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: REPO,
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 100) lines.splice(0, lines.length - 100);
  };
  child.stderr?.on("data", remember);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const found = await new Promise<{ value: string; at: number }>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`${label} not ready after ${timeoutMs} ms:\n${lines.join("\n")}`)), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      remember(chunk);
      buffered += chunk.toString("utf8");
      const match = ready.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve({ value: match[1] ?? match[0], at: performance.now() });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before it was ready:\n${lines.join("\n")}`));
    });
  });
  if (child.pid === undefined) throw new Error(`${label} has no pid`);
  const handle: Child = {
    process: child,
    pid: child.pid,
    spawnedAt,
    ready: found.value,
    readyAt: found.at,
    output: () => lines.join("\n"),
    async stop() {
      running.delete(handle);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => killGroup(child), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  return handle;
}

export type FeedArgs = { token: string; scale: "street" | "district" | "city"; speed: number; start?: string; seed?: number };

export function startFeedProcess(options: FeedArgs): Promise<Child> {
  const args = ["--port", "0", "--token", options.token, "--scale", options.scale, "--speed", String(options.speed), "--seed", String(options.seed ?? 7)];
  if (options.start) args.push("--start", options.start);
  return startNode(`feed-${options.scale}`, "feed/cli.ts", args, /feed listening on (http:\/\/127\.0\.0\.1:\d+)/);
}

export function startServeProcess(options: { feedUrl: string; token: string; dataDir: string; extra?: readonly string[] }): Promise<Child> {
  const args = ["--port", "0", "--feed-url", options.feedUrl, "--token", options.token, "--data-dir", options.dataDir, "--no-alert-sound", ...(options.extra ?? [])];
  return startNode("serve", "electron/cli/serve.ts", args, /console at (http:\/\/127\.0\.0\.1:\d+\/)/);
}

const browsers = new Set<Browser>();

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  browsers.add(browser);
  browser.once("disconnected", () => browsers.delete(browser));
  return browser;
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
  await Promise.all([...browsers].map((browser) => browser.close()));
  await Promise.all([...running].map((child) => child.stop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

process.once("exit", () => {
  for (const child of running) killGroup(child.process);
});

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
