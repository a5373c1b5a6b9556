import { useCallback, useEffect, useRef, useState } from "react";
import { fill, useMessages } from "../i18n/index.js";
import { useUiSelector } from "../state/context.js";
import { exportPdf, isExportKey } from "./download.js";
import { exportButtonMessages } from "./messages.js";
import "./export-button.css";

const DONE_SHOWN_MS = 10_000;

type Progress = { state: "idle" } | { state: "working" } | { state: "done"; fileName: string } | { state: "failed"; reason: string };

/**
 * `export-briefing`: the situation as a PDF, from the console's header or the
 * briefing wall; P (or Ctrl+P) does the same. Progress and failures are shown
 * beside it in the console's language (the host's reasons come in both).
 */
export function ExportButton({ className = "" }: { className?: string }) {
  const m = useMessages(exportButtonMessages);
  const language = useUiSelector((s) => s.language);
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  const working = useRef(false);

  const run = useCallback(() => {
    if (working.current) return;
    working.current = true;
    setProgress({ state: "working" });
    void exportPdf(language, m.unreachable).then((result) => {
      working.current = false;
      setProgress(result.ok ? { state: "done", fileName: result.fileName } : { state: "failed", reason: result.reason });
    });
  }, [language, m.unreachable]);

  // Success says so for a while; a failure stays until dismissed or the next try.
  useEffect(() => {
    if (progress.state !== "done") return;
    const timer = setTimeout(() => setProgress({ state: "idle" }), DONE_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [progress]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target;
      const typing = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      if (!isExportKey(event, typing)) return;
      event.preventDefault();
      run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [run]);

  const text = progress.state === "working" ? m.working : progress.state === "done" ? `${m.done} · ${progress.fileName}` : progress.state === "failed" ? fill(m.failed, { reason: progress.reason }) : "";
  return (
    <span className={`export-control ${className}`}>
      <button type="button" className="button button--ghost" data-testid="export-briefing" disabled={progress.state === "working"} aria-busy={progress.state === "working"} title={m.keyHint} onClick={run}>
        <span aria-hidden="true">↓</span> {progress.state === "working" ? m.working : m.export} <kbd>P</kbd>
      </button>
      {text ? (
        <span className={`export-progress export-progress--${progress.state}`} data-testid="export-status" data-state={progress.state} role={progress.state === "failed" ? "alert" : "status"}>
          {progress.state === "failed" ? "⚠ " : progress.state === "done" ? "✓ " : ""}
          {text}
          {progress.state === "failed" ? (
            <button type="button" className="button button--ghost button--small export-dismiss" aria-label={m.dismiss} onClick={() => setProgress({ state: "idle" })}>
              ×
            </button>
          ) : null}
        </span>
      ) : null}
    </span>
  );
}
