import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/*
 * Child processes for end-to-end tests: started through npm exactly as a user
 * would, their output kept in e2e/.artifacts/logs/, ready when a line on
 * stdout matches, and every one of them ended when the test file ends.
 */

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ARTIFACTS = path.join(REPO, "e2e", ".artifacts");

export type Child = {
  readonly label: string;
  readonly process: ChildProcess;
  /** The first capture group of the ready pattern. */
  readonly ready: string;
  /** Output so far (stdout and stderr, last 200 lines), for failure messages. */
  output(): string;
  /** Sends the signal and waits for the exit; resolves to the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  readonly exited: Promise<number | null>;
};

const running = new Set<Child>();

export async function startChild(label: string, args: string[], ready: RegExp, timeoutMs = 90_000): Promise<Child> {
  mkdirSync(path.join(ARTIFACTS, "logs"), { recursive: true });
  const child = spawn("npm", ["run", "--silent", ...args], {
    cwd: REPO,
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a child that will not stop can be killed with everything it started.
    detached: true,
  });
  const log = createWriteStream(path.join(ARTIFACTS, "logs", `${label}-${child.pid ?? "x"}.log`));
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stderr?.on("data", remember);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => log.end());

  const readyValue = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`${label} not ready after ${timeoutMs} ms:\n${lines.join("\n")}`)), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      remember(chunk);
      buffered += chunk.toString("utf8");
      const match = ready.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready:\n${lines.join("\n")}`));
    });
  });

  const handle: Child = {
    label,
    process: child,
    ready: readyValue,
    exited,
    output: () => lines.join("\n"),
    async stop(signal = "SIGTERM", stopTimeoutMs = 30_000) {
      // npm forwards the signal to the script, which the package.json scripts `exec`, so the console itself gets it once.
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

/** Ends every child still running (afterAll, and on an abrupt exit of the test process). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop("SIGTERM", 15_000)));
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
