import { BrowserWindow } from "electron";
import { EXPORT_PDF_PATH, EXPORT_STATE_SCRIPT, HANDOVER_PDF_PATH, exportFileName, handoverFileName, isExportLanguage, isHandoverId, type ExportLanguage } from "../../shared/bridge/export-route.js";
import { beijingParts } from "../../shared/domain/time.js";
import { exportPageUrl, handoverPageUrl } from "../host/export-pdf.js";
import type { Log } from "../host/log.js";
import { windowUrl } from "./trust.js";

/*
 * The briefing export in the Electron shell: the page fetches
 * app://console/export/briefing.pdf (the same request it sends the web host),
 * the app:// handler answers it with the export document printed by
 * webContents.printToPDF in a hidden window, and the page's download of the
 * bytes becomes a save dialog (see `askWhereToSave`).
 */

/** What to print: the briefing, or the handover record `id` (交接班, in the operator's view, masked by the document). */
export type ExportTarget = { kind: "briefing" } | { kind: "handover"; id: string };
export type PrintExport = (language: ExportLanguage, target: ExportTarget) => Promise<Buffer>;

export const ELECTRON_EXPORT_TIMEOUT_MS = 90_000;
const POLL_MS = 200;

/** Opens the export document in a hidden window with the console's preload, waits for it to say it is ready, prints it. */
export function electronPrinter(preload: string, log: Log, timeoutMs = ELECTRON_EXPORT_TIMEOUT_MS): PrintExport {
  return async (language, target) => {
    const window = new BrowserWindow({
      show: false,
      width: 1123,
      height: 794,
      // Never shown, so never throttled as a background window would be: the document must finish while hidden.
      webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, backgroundThrottling: false },
    });
    const deadline = Date.now() + timeoutMs;
    try {
      await window.loadURL(target.kind === "handover" ? handoverPageUrl(windowUrl("console"), language, target.id) : exportPageUrl(windowUrl("briefing"), language));
      for (;;) {
        const [state, error] = (await window.webContents.executeJavaScript(EXPORT_STATE_SCRIPT)) as [string, string | null];
        if (state === "ready") break;
        if (state === "failed") throw new Error(`the export document failed: ${error ?? "no reason given"}`);
        if (Date.now() > deadline) throw new Error(`no PDF within ${Math.round(timeoutMs / 1000)} s`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const pdf = await window.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      log("info", `${target.kind} exported`, { bytes: pdf.length });
      return pdf;
    } finally {
      window.destroy();
    }
  };
}

const json = (status: number, code: string, message: string, detail?: string): Response =>
  new Response(JSON.stringify({ code, message, ...(detail ? { detail } : {}) }), { status, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });

/** The app:// answer to EXPORT_PDF_PATH and HANDOVER_PDF_PATH (null for any other path); one export at a time. */
export function exportHandler(print: PrintExport, log: Log): (url: URL) => Promise<Response> | null {
  let busy = false;
  return (url) => {
    if (url.pathname !== EXPORT_PDF_PATH && url.pathname !== HANDOVER_PDF_PATH) return null;
    const id = url.searchParams.get("id");
    const target: ExportTarget | null = url.pathname === EXPORT_PDF_PATH ? { kind: "briefing" } : isHandoverId(id) ? { kind: "handover", id } : null;
    if (target === null) return Promise.resolve(json(400, "bad-request", "请求缺少有效的交接班记录编号 / the request names no valid handover record"));
    if (busy) return Promise.resolve(json(429, "busy", "另一份简报正在导出，请稍后再试 / another export is in progress: try again shortly"));
    const requested = url.searchParams.get("lang");
    busy = true;
    const fileName = target.kind === "handover" ? handoverFileName : exportFileName;
    return print(isExportLanguage(requested) ? requested : "zh-CN", target)
      .then(
        (pdf) =>
          new Response(new Uint8Array(pdf), {
            status: 200,
            headers: {
              "Content-Type": "application/pdf",
              "Content-Disposition": `attachment; filename="${target.kind}.pdf"; filename*=UTF-8''${encodeURIComponent(fileName(beijingParts(Date.now())))}`,
              "Cache-Control": "no-store",
            },
          }),
        (error: unknown) => {
          const detail = error instanceof Error ? error.message : String(error);
          log("error", `${target.kind} export failed`, { detail });
          return json(502, "page-failed", "简报文档未能生成 / the briefing document could not be built", detail);
        },
      )
      .finally(() => {
        busy = false;
      });
  };
}

/** A download the page starts (the exported PDF) goes through a save dialog that offers PDF. */
export function askWhereToSave(session: Electron.Session): void {
  session.on("will-download", (_event, item) => {
    item.setSaveDialogOptions({ title: "保存态势简报 / Save the briefing", filters: [{ name: "PDF", extensions: ["pdf"] }] });
  });
}
