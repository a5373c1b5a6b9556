import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { DevToolsSocket } from "../electron/host/devtools.js";
import { CHROMIUM, CHROMIUM_ARGS, spawnReady, type ReadyChild } from "../scripts/lib/children.js";

/*
 * Debian's Chromium driven over a bare DevTools socket, for the figures that a
 * driver's own observers would distort. Playwright enables the Network domain
 * on every page it drives, and Chromium then copies every WebSocket frame the
 * page receives to the driver: a city's 70 MB initial state went through the
 * browser process to the bench process, and the cold start measured 2.5-3 s
 * more than the same page with no observer (bench/NOTES.md). Here only Target,
 * Page, Emulation, Runtime.evaluate and, when asked, Profiler are used; no
 * domain that reports traffic is ever enabled.
 */

export class CdpBrowser {
  private readonly devtools: DevToolsSocket;

  private constructor(
    private readonly child: ReadyChild,
    private readonly socket: WebSocket,
    private readonly profileDir: string,
  ) {
    this.devtools = new DevToolsSocket(socket);
  }

  /** Chromium headless at 1920×1080, with the flags the e2e tests use (software WebGL, no calls home). */
  static async launch(): Promise<CdpBrowser> {
    const profileDir = mkdtempSync(path.join(tmpdir(), "bench-chromium-"));
    const args = [...CHROMIUM_ARGS, "--headless=new", "--remote-debugging-port=0", `--user-data-dir=${profileDir}`, "--window-size=1920,1080", "about:blank"];
    const child = await spawnReady("chromium", CHROMIUM, args, /DevTools listening on (ws:\/\/\S+)/, { cwd: tmpdir(), readyOn: "stderr", timeoutMs: 60_000 });
    const socket = new WebSocket(child.ready, { perMessageDeflate: false, maxPayload: 2 ** 30 });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new CdpBrowser(child, socket, profileDir);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    return this.devtools.send<T>(method, params, sessionId);
  }


  /** A new tab at 1920×1080, Beijing time and Chinese locale, as the Playwright suites set their pages. */
  async newPage(): Promise<CdpPage> {
    const { targetId } = await this.send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
    const page = new CdpPage(this, targetId, sessionId);
    await page.call("Page.enable");
    await page.call("Emulation.setDeviceMetricsOverride", { width: 1920, height: 1080, deviceScaleFactor: 1, mobile: false });
    await page.call("Emulation.setTimezoneOverride", { timezoneId: "Asia/Shanghai" });
    await page.call("Emulation.setLocaleOverride", { locale: "zh-CN" });
    return page;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.child.stop("SIGTERM", 10_000);
    // Chromium's helper processes can still be writing to the profile just after the browser exits.
    try {
      rmSync(this.profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      process.stderr.write(`bench: left Chromium's profile ${this.profileDir} behind (${String(error)})\n`);
    }
  }
}

export class CdpPage {
  constructor(
    private readonly browser: CdpBrowser,
    private readonly targetId: string,
    private readonly sessionId: string,
  ) {}

  call<T>(method: string, params: object = {}): Promise<T> {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  /** Runs `source` in every document of this tab before the page's own scripts. */
  async addInitScript(source: string): Promise<void> {
    await this.call("Page.addScriptToEvaluateOnNewDocument", { source });
  }

  async goto(url: string): Promise<void> {
    const result = await this.call<{ errorText?: string }>("Page.navigate", { url });
    if (result.errorText) throw new Error(`navigation to ${url} failed: ${result.errorText}`);
  }

  /** The JSON value of `expression` in the page (Runtime.evaluate, no Runtime.enable). */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.call<{ result: { value?: string }; exceptionDetails?: { text: string } }>("Runtime.evaluate", { expression: `JSON.stringify(${expression})`, returnByValue: true });
    if (reply.exceptionDetails) throw new Error(`evaluate failed: ${reply.exceptionDetails.text}`);
    return JSON.parse(reply.result.value ?? "null") as T;
  }

  async startProfiler(): Promise<void> {
    await this.call("Profiler.enable");
    await this.call("Profiler.start");
  }

  async stopProfiler(): Promise<unknown> {
    const { profile } = await this.call<{ profile: unknown }>("Profiler.stop");
    return profile;
  }

  async close(): Promise<void> {
    await this.browser.send("Target.closeTarget", { targetId: this.targetId });
  }
}
