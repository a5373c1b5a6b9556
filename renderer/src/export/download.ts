import { EXPORT_PDF_PATH, EXPORT_SECRET_HEADER, exportFileName, type ExportLanguage } from "../../../shared/bridge/export-route.js";
import { SECRET_META_NAME } from "../../../shared/bridge/wire.js";
import { beijingParts } from "../../../shared/domain/time.js";

/*
 * Asking the shell for the PDF and handing it to the browser as a download.
 * The same in both shells: the page fetches EXPORT_PDF_PATH on its own origin
 * (the web host answers it with a headless Chromium, Electron's app:// handler
 * with webContents.printToPDF); the bytes become a download, which Electron
 * turns into a save dialog.
 */

export type ExportResult = { ok: true; fileName: string } | { ok: false; reason: string };

/** Longer than the host's own limit, so the host's clearer timeout message arrives first. */
const CLIENT_TIMEOUT_MS = 120_000;

export type KeyLike = { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean; shiftKey?: boolean };

/** P, or Ctrl/⌘+P (the browser's print, which would print the wall as a screen): P alone only outside text fields. */
export function isExportKey(event: KeyLike, typing: boolean): boolean {
  if (event.key !== "p" && event.key !== "P") return false;
  if (event.altKey) return false;
  if (event.ctrlKey || event.metaKey) return true;
  return !typing;
}

/** What a failed reply says: the host's JSON message, else the status line. */
export async function failureReason(response: Pick<Response, "status" | "statusText" | "json">): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown; detail?: unknown };
    if (typeof body.message === "string") return typeof body.detail === "string" ? `${body.message} (${body.detail})` : body.message;
  } catch {
    // Not JSON (a proxy's page, an old host): the status says enough.
  }
  return `HTTP ${response.status} ${response.statusText}`.trim();
}

/** Which document: the briefing (default), or another the shell prints (the handover record: its path, its id, its file name). */
export type ExportRequest = { path: string; params?: Record<string, string>; fileName: (beijing: ReturnType<typeof beijingParts>) => string };
const BRIEFING: ExportRequest = { path: EXPORT_PDF_PATH, fileName: exportFileName };

export async function exportPdf(language: ExportLanguage, unreachable: string, request: ExportRequest = BRIEFING): Promise<ExportResult> {
  const url = new URL(request.path, window.location.href);
  url.searchParams.set("lang", language);
  for (const [name, value] of Object.entries(request.params ?? {})) url.searchParams.set(name, value);
  const secret = document.querySelector<HTMLMetaElement>(`meta[name="${SECRET_META_NAME}"]`)?.content;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CLIENT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, { headers: secret ? { [EXPORT_SECRET_HEADER]: secret } : {}, cache: "no-store", signal: controller.signal });
    if (!response.ok) return { ok: false, reason: await failureReason(response) };
    const blob = await response.blob();
    const fileName = request.fileName(beijingParts(Date.now()));
    save(blob, fileName);
    return { ok: true, fileName };
  } catch (error) {
    return { ok: false, reason: controller.signal.aborted ? unreachable : error instanceof Error ? `${unreachable} (${error.message})` : unreachable };
  } finally {
    clearTimeout(timer);
  }
}

function save(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(new Blob([blob], { type: "application/pdf" }));
  const link = document.createElement("a");
  link.href = href;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the bytes by the next task; a minute is generous for a save dialog.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
