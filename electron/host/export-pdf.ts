import type http from "node:http";
import { beijingParts } from "../../shared/domain/time.js";
import {
  EXPORT_PDF_PATH,
  EXPORT_SECRET_HEADER,
  EXPORT_VIEW_PARAM,
  EXPORT_VIEW_VALUE,
  HANDOVER_PDF_PATH,
  HANDOVER_VIEW,
  exportFileName,
  handoverFileName,
  isExportLanguage,
  isHandoverId,
  type ExportLanguage,
} from "../../shared/bridge/export-route.js";
import { findBrowser } from "../cli/launch.js";
import { PrintError, printPage, type PrintFailure, type PrintOptions } from "./headless-print.js";
import type { Log } from "./log.js";
import { secretsMatch } from "./security.js";

/*
 * GET /export/briefing.pdf?lang=zh-CN|en on the web host: the situation as a
 * PDF download. The host's own headless Chromium opens the export document
 * (the briefing view's read-only capability, so nothing personal can be in
 * reach of it) and prints it; the same document Electron prints with
 * webContents.printToPDF. The asking page proves it is ours with its
 * per-launch secret in a header, as its bridge socket does in a subprotocol.
 * One export at a time: each is a whole browser.
 */

export type ExportRouteOptions = {
  /** The secrets of this launch a page may present for the briefing (operator and briefing). */
  secrets: () => readonly string[];
  /** The secrets that may print a handover record: the operators' only, as the briefing page may not read the record (./roles.ts). */
  handoverSecrets: () => readonly string[];
  /** The URL a browser opens for the console (it may carry a key); the export view's parameters are added to it. */
  consoleUrl: () => string;
  /** The configured `browser` (path or command); the first Chromium-family browser on PATH without one. */
  browser: string | undefined;
  log: Log;
  timeoutMs?: number;
  /** Tests replace the browser. */
  print?: (options: PrintOptions) => Promise<Buffer>;
  locateBrowser?: (configured: string | undefined) => string | null;
};

export const EXPORT_TIMEOUT_MS = 90_000;

type Failure = PrintFailure | "unauthorized" | "busy" | "method" | "bad-request";

const STATUS: Record<Failure, number> = { unauthorized: 401, method: 405, "bad-request": 400, busy: 429, "no-browser": 503, "browser-failed": 502, "page-failed": 502, timeout: 504 };

const MESSAGES: Record<Failure, string> = {
  unauthorized: "导出请求未通过验证，请刷新页面后重试 / the export request was not authenticated: reload the page and try again",
  method: "仅支持 GET / GET only",
  "bad-request": "请求缺少有效的交接班记录编号 / the request names no valid handover record",
  busy: "另一份简报正在导出，请稍后再试 / another export is in progress: try again shortly",
  "no-browser": "未找到用于生成 PDF 的 Chromium 浏览器，请在配置项 browser 中指定 / no Chromium-family browser found to print the PDF: set the `browser` configuration key",
  "browser-failed": "用于生成 PDF 的浏览器未能启动 / the browser that prints the PDF failed",
  "page-failed": "简报文档未能生成 / the briefing document could not be built",
  timeout: "生成 PDF 超时 / the PDF took too long",
};

/**
 * The URL a shell's browser opens to print: the console's own URL (which may
 * carry a key) with the briefing view, the export flag and the language added.
 * The briefing view gives the printing page the read-only capability.
 */
export function exportPageUrl(consoleUrl: string, language: ExportLanguage): string {
  const url = new URL(consoleUrl);
  url.searchParams.set("view", "briefing");
  url.searchParams.set(EXPORT_VIEW_PARAM, EXPORT_VIEW_VALUE);
  url.searchParams.set("lang", language);
  return url.toString();
}

/**
 * The URL a shell's browser opens to print the handover record `id`: the
 * console's URL with the handover view. It is an operator's page (the record
 * is the operators' own); the document masks the names and phones in it.
 */
export function handoverPageUrl(consoleUrl: string, language: ExportLanguage, id: string): string {
  const url = new URL(consoleUrl);
  url.searchParams.set("view", HANDOVER_VIEW);
  url.searchParams.set(EXPORT_VIEW_PARAM, EXPORT_VIEW_VALUE);
  url.searchParams.set("lang", language);
  url.searchParams.set("id", id);
  return url.toString();
}

/** What a request asks printed: the page to open, the file name to offer, a word for the log. */
type PrintTarget = { url: (consoleUrl: string, language: ExportLanguage) => string; fileName: typeof exportFileName; what: string };

function printTarget(url: URL): PrintTarget | "bad-request" | null {
  if (url.pathname === EXPORT_PDF_PATH) return { url: exportPageUrl, fileName: exportFileName, what: "briefing" };
  if (url.pathname !== HANDOVER_PDF_PATH) return null;
  const id = url.searchParams.get("id");
  if (!isHandoverId(id)) return "bad-request";
  return { url: (consoleUrl, language) => handoverPageUrl(consoleUrl, language, id), fileName: handoverFileName, what: "handover record" };
}

export type ExportRoute = (request: http.IncomingMessage, response: http.ServerResponse, headers: Record<string, string>, url: URL) => boolean;

/** The handler for EXPORT_PDF_PATH and HANDOVER_PDF_PATH: true when it answered the request, false for every other path. */
export function exportRoute(options: ExportRouteOptions): ExportRoute {
  const print = options.print ?? printPage;
  const locate = options.locateBrowser ?? findBrowser;
  const timeoutMs = options.timeoutMs ?? EXPORT_TIMEOUT_MS;
  let busy = false;

  return (request, response, headers, url) => {
    const target = printTarget(url);
    if (target === null) return false;
    const fail = (code: Failure, detail?: string) => {
      if (response.headersSent) return;
      const body = JSON.stringify({ code, message: MESSAGES[code], ...(detail ? { detail } : {}) });
      response.writeHead(STATUS[code], { ...headers, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" }).end(body);
    };
    if (request.method !== "GET") {
      fail("method");
      return true;
    }
    const offered = request.headers[EXPORT_SECRET_HEADER.toLowerCase()];
    // The handover record is the operators' (getHandoverRecord is not a briefing call): the printing browser opens it as an operator's page.
    const accepted = url.pathname === HANDOVER_PDF_PATH ? options.handoverSecrets() : options.secrets();
    if (typeof offered !== "string" || !accepted.some((secret) => secretsMatch(secret, offered))) {
      options.log("warn", "briefing export refused: no valid secret");
      fail("unauthorized");
      return true;
    }
    if (target === "bad-request") {
      fail("bad-request");
      return true;
    }
    if (busy) {
      fail("busy");
      return true;
    }
    const browser = locate(options.browser);
    if (browser === null) {
      options.log("warn", "briefing export: no Chromium-family browser found", { configured: options.browser ?? null });
      fail("no-browser", options.browser ? `browser: ${options.browser}` : undefined);
      return true;
    }
    const requested = url.searchParams.get("lang");
    const language: ExportLanguage = isExportLanguage(requested) ? requested : "zh-CN";
    busy = true;
    const began = Date.now();
    print({ browser, url: target.url(options.consoleUrl(), language), timeoutMs, runningAsRoot: process.getuid?.() === 0 })
      .then(
        (pdf) => {
          options.log("info", `${target.what} exported`, { bytes: pdf.length, ms: Date.now() - began });
          const name = target.fileName(beijingParts(began));
          response
            .writeHead(200, {
              ...headers,
              "Content-Type": "application/pdf",
              "Content-Length": String(pdf.length),
              "Content-Disposition": `attachment; filename="${target.what === "briefing" ? "briefing" : "handover"}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
              "Cache-Control": "no-store",
            })
            .end(pdf);
        },
        (error: unknown) => {
          const code: Failure = error instanceof PrintError ? error.code : "page-failed";
          const detail = error instanceof Error ? error.message : String(error);
          options.log("error", `${target.what} export failed`, { code, detail });
          fail(code, detail);
        },
      )
      .finally(() => {
        busy = false;
      });
    return true;
  };
}
