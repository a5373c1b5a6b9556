import { useState } from "react";
import { HANDOVER_PDF_PATH, handoverFileName } from "../../../shared/bridge/export-route.js";
import { exportPdf } from "../export/download.js";
import { fill, useMessages } from "../i18n/index.js";
import { useUiSelector } from "../state/context.js";
import { handoverMessages } from "./messages.js";

type Progress = { state: "idle" } | { state: "working" } | { state: "done"; fileName: string } | { state: "failed"; reason: string };

/** `export-handover`: the record as a PDF, printed by the shell as the briefing is (masked, with "data as of"). */
export function ExportHandoverButton({ recordId }: { recordId: string }) {
  const t = useMessages(handoverMessages);
  const language = useUiSelector((s) => s.language);
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  const run = () => {
    setProgress({ state: "working" });
    void exportPdf(language, t.exportUnreachable, { path: HANDOVER_PDF_PATH, params: { id: recordId }, fileName: handoverFileName }).then((result) =>
      setProgress(result.ok ? { state: "done", fileName: result.fileName } : { state: "failed", reason: result.reason }),
    );
  };
  const text = progress.state === "working" ? t.exporting : progress.state === "done" ? fill(t.exported, { file: progress.fileName }) : progress.state === "failed" ? fill(t.exportFailed, { reason: progress.reason }) : "";
  return (
    <>
      <button type="button" className="button" data-testid="export-handover" disabled={progress.state === "working"} aria-busy={progress.state === "working"} onClick={run}>
        <span aria-hidden="true">↓</span> {t.exportPdf}
      </button>
      {text ? (
        <span className={`handover__export handover__export--${progress.state}`} data-testid="export-handover-status" data-state={progress.state} role={progress.state === "failed" ? "alert" : "status"}>
          {text}
        </span>
      ) : null}
    </>
  );
}
