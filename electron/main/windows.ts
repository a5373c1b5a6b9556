import { BrowserWindow, screen, type Display, type WebContents } from "electron";
import path from "node:path";
import type { Log } from "../host/log.js";
import { chooseDisplays, type DisplayChoice, type DisplayInfo } from "./displays.js";
import { RecoveryPolicy, isFailure } from "./recovery.js";
import { isAllowedRequest, isAppUrl, windowUrl, type WallView } from "./trust.js";

/*
 * The wall window (kiosk, on the wall display) and the operator window (on
 * another display, when there is one), re-placed when displays change, each
 * reloaded with backoff when its renderer dies or hangs.
 */

export type WindowRole = "wall" | "operator";
/** `devTools`: only for a development run (`!app.isPackaged`); off when absent, so a packaged wall cannot be opened up with Ctrl+Shift+I. */
export type WindowsOptions = { preload: string; wallDisplay: DisplayChoice; operatorDisplay: DisplayChoice; wallView: WallView; log: Log; devTools?: boolean };

const toInfo = (display: Display, primaryId: number): DisplayInfo => ({ id: display.id, bounds: display.bounds, primary: display.id === primaryId });

/** Hardening for every web contents the app creates, windows or not. */
export function hardenContents(contents: WebContents, log: Log): void {
  contents.on("will-navigate", (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log("warn", "navigation refused", { url: url.slice(0, 200) });
    }
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log("warn", "new window refused", { url: url.slice(0, 200) });
    return { action: "deny" };
  });
}

/** Refuses every request that is not the console's own content, and every permission. */
export function lockSession(session: Electron.Session, log: Log, tileOrigin?: string): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, tileOrigin);
    if (!allowed) log("warn", "remote request blocked", { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export class ConsoleWindows {
  private readonly windows = new Map<WindowRole, BrowserWindow>();

  constructor(private readonly options: WindowsOptions) {}

  all(): BrowserWindow[] {
    return [...this.windows.values()].filter((w) => !w.isDestroyed());
  }

  roleOf(contents: WebContents): WindowRole | undefined {
    for (const [role, window] of this.windows) if (!window.isDestroyed() && window.webContents.id === contents.id) return role;
    return undefined;
  }

  /** Creates or moves the windows to match the displays connected now. */
  place(): void {
    const primaryId = screen.getPrimaryDisplay().id;
    const placement = chooseDisplays(
      screen.getAllDisplays().map((d) => toInfo(d, primaryId)),
      this.options.wallDisplay,
      this.options.operatorDisplay,
    );
    for (const note of placement.notes) this.options.log("warn", note);
    this.show("wall", placement.wall);
    if (placement.operator) this.show("operator", placement.operator);
    else this.close("operator");
  }

  focus(): void {
    const window = this.windows.get("operator") ?? this.windows.get("wall");
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  }

  private show(role: WindowRole, display: DisplayInfo): void {
    let window = this.windows.get(role);
    if (!window || window.isDestroyed()) {
      window = this.create(role, display);
      this.windows.set(role, window);
      return;
    }
    if (role === "wall") window.setKiosk(false);
    window.setBounds(display.bounds);
    if (role === "wall") window.setKiosk(true);
    else window.maximize();
  }

  private close(role: WindowRole): void {
    const window = this.windows.get(role);
    this.windows.delete(role);
    if (window && !window.isDestroyed()) window.destroy();
  }

  private create(role: WindowRole, display: DisplayInfo): BrowserWindow {
    const window = new BrowserWindow({
      ...display.bounds,
      show: false,
      backgroundColor: "#0b1220",
      title: role === "wall" ? "网格化指挥分中心 · 大屏 / Wall" : "网格化指挥分中心 · 值班台 / Operator",
      kiosk: role === "wall",
      autoHideMenuBar: true,
      webPreferences: {
        preload: this.options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        devTools: this.options.devTools === true,
        spellcheck: false,
        navigateOnDragDrop: false,
        // A wall is never in the background: keep its clock and animations running.
        backgroundThrottling: false,
      },
    });
    window.removeMenu();
    window.once("ready-to-show", () => {
      if (role === "operator") window.maximize();
      window.show();
    });
    this.recoverOnFailure(role, window);
    void window.loadURL(windowUrl(role === "wall" ? this.options.wallView : "console", role));
    return window;
  }

  private recoverOnFailure(role: WindowRole, window: BrowserWindow): void {
    const policy = new RecoveryPolicy();
    const { log } = this.options;
    let hangTimer: NodeJS.Timeout | undefined;
    const reloadLater = (why: string) => {
      const delay = policy.failed(Date.now());
      log("warn", `${role} window ${why}: reloading in ${delay} ms`, { failures: policy.consecutiveFailures });
      setTimeout(() => {
        if (!window.isDestroyed()) window.webContents.reload();
      }, delay);
    };
    window.webContents.on("render-process-gone", (_event, details) => {
      if (isFailure(details.reason)) reloadLater(`renderer gone (${details.reason})`);
    });
    window.on("unresponsive", () => {
      clearTimeout(hangTimer);
      hangTimer = setTimeout(() => {
        if (window.isDestroyed()) return;
        // A hung renderer cannot reload itself; crashing it lets render-process-gone bring it back.
        log("warn", `${role} window hung for ${policy.hangGraceMs} ms`);
        window.webContents.forcefullyCrashRenderer();
      }, policy.hangGraceMs);
    });
    window.on("responsive", () => clearTimeout(hangTimer));
    window.on("closed", () => clearTimeout(hangTimer));
  }
}

export const preloadPath = (mainDir: string): string => path.join(mainDir, "preload.cjs");
