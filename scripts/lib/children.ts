import { spawn, type ChildProcess } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

/*
 * Real processes for the end-to-end tests and the browser benchmarks: a child
 * that is ready when a line on its stdout matches, runs in its own process
 * group (so one that will not stop is killed with everything it started), and
 * is ended when the test or bench process exits; and Debian's Chromium with the
 * flags this machine needs. No browser is ever downloaded.
 */

export const CHROMIUM = process.env.GRID_CONSOLE_E2E_CHROMIUM ?? "/usr/bin/chromium";

/** Software WebGL (SwiftShader) and no calls home: the closed network refuses them, many at a time. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export type ReadyChild = {
  readonly label: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** performance.now() when spawn was called. */
  readonly spawnedAt: number;
  /** The first capture group of the ready pattern (the whole match without one). */
  readonly ready: string;
  /** performance.now() when the ready line arrived. */
  readonly readyAt: number;
  /** Resolves to the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last lines of stdout and stderr, for failure messages. */
  output(): string;
  /** Sends the signal, kills the process group if it has not exited after `timeoutMs`, and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
};

export type SpawnOptions = {
  readonly cwd: string;
  readonly timeoutMs?: number;
  /** How many output lines `output()` keeps. */
  readonly keepLines?: number;
  /** Every chunk of stdout and stderr as it arrives (a log file, say). */
  readonly onOutput?: (chunk: Buffer) => void;
  /** Where the ready line is looked for: stdout (the default), or stderr (Chromium's "DevTools listening on"). */
  readonly readyOn?: "stdout" | "stderr";
  /** Added to this process's environment (secrets such as GRID_CONSOLE_TOKEN go here, never on a command line). */
  readonly env?: Readonly<Record<string, string>>;
};

const running = new Set<ReadyChild>();

export async function spawnReady(label: string, command: string, args: readonly string[], ready: RegExp, options: SpawnOptions): Promise<ReadyChild> {
  const { timeoutMs = 90_000, keepLines = 200, onOutput, readyOn = "stdout" } = options;
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    onOutput?.(chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > keepLines) lines.splice(0, lines.length - keepLines);
  };
  const readyStream = readyOn === "stdout" ? child.stdout : child.stderr;
  (readyOn === "stdout" ? child.stderr : child.stdout)?.on("data", remember);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const found = await new Promise<{ value: string; at: number }>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${label} not ready after ${timeoutMs} ms:\n${lines.join("\n")}`));
    }, timeoutMs);
    readyStream?.on("data", (chunk: Buffer) => {
      remember(chunk);
      buffered += chunk.toString("utf8");
      const match = ready.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve({ value: match[1] ?? match[0], at: performance.now() });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready:\n${lines.join("\n")}`));
    });
  });
  if (child.pid === undefined) throw new Error(`${label} has no pid`);

  const handle: ReadyChild = {
    label,
    process: child,
    pid: child.pid,
    spawnedAt,
    ready: found.value,
    readyAt: found.at,
    exited,
    output: () => lines.join("\n"),
    async stop(signal = "SIGTERM", stopTimeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => killGroup(child), stopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      running.delete(handle);
      return code;
    },
  };
  running.add(handle);
  return handle;
}

/** Ends every child still running (afterAll, the end of a bench, a failure half-way). */
export async function stopChildren(timeoutMs = 15_000): Promise<void> {
  await Promise.all([...running].map((child) => child.stop("SIGTERM", timeoutMs)));
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

const browsers = new Set<Browser>();

/** Debian's Chromium, closed by `closeBrowsers`. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  browsers.add(browser);
  browser.once("disconnected", () => browsers.delete(browser));
  return browser;
}

/** The browsers launched and still open, oldest first. */
export function openBrowsers(): Browser[] {
  return [...browsers];
}

export async function closeBrowsers(): Promise<void> {
  await Promise.all([...browsers].map((browser) => browser.close()));
}
