/*
 * The briefing export (a PDF of the situation), as both shells serve it: the
 * page asks for EXPORT_PDF_PATH on its own origin (the web host, or
 * app://console in Electron), and the shell prints the export document
 * (`/?view=briefing&export=pdf`) in a browser of its own and answers with the
 * PDF. The export document says when it is ready to print through an
 * attribute on <html>, so the shell need not guess from timings.
 */

export const EXPORT_PDF_PATH = "/export/briefing.pdf";
/** The header a web page sends its per-launch secret in (the Electron shell needs none). */
export const EXPORT_SECRET_HEADER = "X-Grid-Console-Secret";
/** The query parameter that turns the page into the printable document. */
export const EXPORT_VIEW_PARAM = "export";
export const EXPORT_VIEW_VALUE = "pdf";
/** `<html data-export-state="loading|ready|failed">`, with `data-export-error` when failed. */
export const EXPORT_STATE_ATTRIBUTE = "data-export-state";
export const EXPORT_ERROR_ATTRIBUTE = "data-export-error";

/**
 * What a shell evaluates in the printing page, over and over until it is not
 * "loading": `[state, reason]`. A page that could not reach the engine shows
 * the console's error screen instead of the document: that is a failure too.
 */
export const EXPORT_STATE_SCRIPT = `(() => {
  const root = document.documentElement;
  const state = root.getAttribute("${EXPORT_STATE_ATTRIBUTE}");
  if (state) return [state, root.getAttribute("${EXPORT_ERROR_ATTRIBUTE}")];
  const error = document.querySelector('[data-testid="bridge-error"]');
  return error ? ["failed", (error.querySelector("pre") || error).textContent] : ["loading", null];
})()`;

export type ExportLanguage = "zh-CN" | "en";

export const isExportLanguage = (value: unknown): value is ExportLanguage => value === "zh-CN" || value === "en";

/** The file name offered for the download: 态势简报-20261206-0941.pdf (Beijing time). */
export function exportFileName(beijing: { year: number; month: number; day: number; hour: number; minute: number }): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `态势简报-${beijing.year}${pad(beijing.month)}${pad(beijing.day)}-${pad(beijing.hour)}${pad(beijing.minute)}.pdf`;
}

/*
 * The handover record (交接班) printed the same way: the page asks for
 * HANDOVER_PDF_PATH with the record's `id`, and the shell prints
 * `/?view=handover&export=pdf&id=…` (the operator's read of the record, masked
 * by the document itself).
 */
export const HANDOVER_PDF_PATH = "/export/handover.pdf";
export const HANDOVER_VIEW = "handover";
/** A record id as the engine makes them; anything else is refused before a browser starts. */
export const isHandoverId = (value: unknown): value is string => typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value);

/** 交接班记录-20261206-0941.pdf (Beijing time). */
export function handoverFileName(beijing: { year: number; month: number; day: number; hour: number; minute: number }): string {
  return exportFileName(beijing).replace("态势简报", "交接班记录");
}
