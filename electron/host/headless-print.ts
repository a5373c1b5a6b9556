import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { EXPORT_STATE_SCRIPT } from "../../shared/bridge/export-route.js";
import { DevToolsSocket } from "./devtools.js";

/*
 * A page printed to PDF by a headless Chromium of its own, over a bare
 * DevTools socket (Target, Page, Runtime.evaluate: no domain that reports
 * traffic). One browser per export, with a fresh profile, ended with its whole
 * process group: an export is rare, and a browser left running between them
 * would hold memory on a wall PC for nothing.
 */

export type PrintFailure = "no-browser" | "browser-failed" | "page-failed" | "timeout";

export class PrintError extends Error {
  constructor(
    readonly code: PrintFailure,
    message: string,
  ) {
    super(message);
    this.name = "PrintError";
  }
}

export type PrintOptions = {
  /** The Chromium-family executable. */
  browser: string;
  url: string;
  /** For the whole export: start, load, wait for the document, print. */
  timeoutMs: number;
  /** Run as root (a container, a kiosk image): Chromium then refuses to start with its sandbox. */
  runningAsRoot?: boolean;
};

const POLL_MS = 200;

export function headlessArguments(profileDir: string, runningAsRoot: boolean): string[] {
  return [
    "--headless=new",
    "--remote-debugging-port=0",
    `--user-data-dir=${profileDir}`,
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    ...(runningAsRoot ? ["--no-sandbox"] : []),
    "about:blank",
  ];
}

/** Prints `url` once its document says it is ready; the PDF's bytes. */
export async function printPage(options: PrintOptions): Promise<Buffer> {
  const profileDir = await mkdtemp(path.join(tmpdir(), "grid-console-print-"));
  // Filled in as they start, so that cleanup reaches whatever exists when the timeout strikes.
  const running: { child?: ChildProcess; socket?: WebSocket } = {};
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PrintError("timeout", `no PDF within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
  });
  try {
    const work = (async () => {
      const endpoint = await startBrowser(options.browser, headlessArguments(profileDir, options.runningAsRoot ?? false), (child) => (running.child = child));
      running.socket = await openSocket(endpoint);
      const devtools = new DevToolsSocket(running.socket, (kind, message) => new PrintError(kind === "refused" ? "page-failed" : "browser-failed", message));
      const { targetId } = await devtools.send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await devtools.send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
      const page = <T>(method: string, params: object = {}) => devtools.send<T>(method, params, sessionId);
      await page("Page.enable");
      const navigation = await page<{ errorText?: string }>("Page.navigate", { url: options.url });
      if (navigation.errorText) throw new PrintError("page-failed", `the export page did not load (${navigation.errorText})`);
      await waitForDocument((expression) => page("Runtime.evaluate", { expression, returnByValue: true }));
      const { data } = await page<{ data: string }>("Page.printToPDF", { printBackground: true, preferCSSPageSize: true });
      return Buffer.from(data, "base64");
    })();
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    running.socket?.terminate();
    if (running.child) await endGroup(running.child);
    // Helper processes can still be writing to the profile just after the browser exits.
    await rm(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(() => undefined);
  }
}

type Evaluate = (expression: string) => Promise<unknown>;

async function waitForDocument(evaluate: Evaluate): Promise<void> {
  for (;;) {
    const reply = (await evaluate(EXPORT_STATE_SCRIPT)) as { result?: { value?: unknown } };
    const [state, error] = Array.isArray(reply.result?.value) ? (reply.result.value as unknown[]) : [];
    if (state === "ready") return;
    if (state === "failed") throw new PrintError("page-failed", `the export document failed: ${typeof error === "string" && error ? error : "no reason given"}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The DevTools endpoint; `spawned` gets the process at once, so a timeout while it starts still ends it. */
function startBrowser(command: string, args: string[], spawned: (child: ChildProcess) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    spawned(child);
    let output = "";
    const fail = (reason: string) => reject(new PrintError("browser-failed", `${command} ${reason}${output ? `: ${output.trim().split("\n").slice(-3).join(" | ")}` : ""}`));
    child.once("error", (error) => fail(`could not start (${error.message})`));
    child.once("exit", (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-4000);
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
  });
}

function openSocket(endpoint: string): Promise<WebSocket> {
  const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 2 ** 29 });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", (error) => reject(new PrintError("browser-failed", `DevTools socket: ${error.message}`)));
  });
}

const GROUP_GRACE_MS = 5000;

/**
 * SIGTERM to the browser's process group, then wait until no process of the
 * group is left (its helpers outlive the main process by a moment and would
 * write into the profile being removed), SIGKILL for any still there after a
 * few seconds.
 */
async function endGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + GROUP_GRACE_MS;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) {
      signalGroup(pid, "SIGKILL");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
