import { useEffect, useState } from "react";
import type { HandoverRecord } from "../../../shared/bridge/handover.js";
import { EXPORT_ERROR_ATTRIBUTE, EXPORT_STATE_ATTRIBUTE, isExportLanguage } from "../../../shared/bridge/export-route.js";
import { beijingDateTime } from "../export/document.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { shortTime } from "./format.js";
import { HandoverRecordView } from "./HandoverRecordView.js";
import { handoverMessages } from "./messages.js";
import { maskedRecord } from "./print.js";
import "../export/export.css";
import "./handover.css";
import "./handover-print.css";

/*
 * `/?view=handover&export=pdf&id=…&lang=…`: the handover record (交接班) as a
 * printable document, opened by a shell's own browser and printed once
 * <html> says it is ready, as the briefing export is. The record is the
 * latest one the engine keeps; the page prints it masked (./print.ts), with
 * "data as of" in the running head of every page.
 */

function setState(state: "loading" | "ready" | "failed", error?: string): void {
  const root = document.documentElement;
  root.setAttribute(EXPORT_STATE_ATTRIBUTE, state);
  if (error) root.setAttribute(EXPORT_ERROR_ATTRIBUTE, error);
}

type Loaded = { state: "loading" } | { state: "ready"; record: HandoverRecord } | { state: "failed"; reason: string };

export function HandoverPrintPage() {
  const { bridge, ui } = useConsole();
  const t = useMessages(handoverMessages);
  const ready = useDataSelector((s) => s.ready);
  const settings = useDataSelector((s) => s.settings);
  const dataAsOf = useDataSelector((s) => s.status.dataAsOf);
  const [printedAt] = useState(() => Date.now());
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });

  useEffect(() => {
    setState("loading");
    const params = new URLSearchParams(window.location.search);
    const language = params.get("lang");
    if (isExportLanguage(language)) ui.update({ language });
    document.title = "交接班记录";
    let live = true;
    const id = params.get("id") ?? undefined;
    bridge.call("getHandoverRecord", id === undefined ? {} : { id }).then(
      (result) => live && setLoaded(result.ok ? { state: "ready", record: maskedRecord(result.value) } : { state: "failed", reason: result.error.message }),
      (error: unknown) => live && setLoaded({ state: "failed", reason: String(error) }),
    );
    return () => {
      live = false;
    };
  }, [bridge, ui]);

  useEffect(() => {
    if (loaded.state === "failed") setState("failed", loaded.reason);
    if (loaded.state !== "ready" || !ready) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // As the briefing export: ready once the fonts are in, in a task (a hidden Electron window may never paint a frame).
    void document.fonts.ready.then(() => {
      timer = setTimeout(() => {
        if (live) setState("ready");
      }, 0);
    });
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [loaded, ready]);

  if (loaded.state !== "ready") return <p className="export-loading">{loaded.state === "failed" ? loaded.reason : "正在生成交接班记录… / Building the handover record…"}</p>;
  const { record } = loaded;
  const asOf = dataAsOf === null ? printedAt : Date.parse(dataAsOf);
  return (
    <table className="export-frame handover-print" data-testid="handover-print" data-handover-id={record.id}>
      <thead>
        <tr>
          <td>
            <div className="export-running-head">
              <span className="export-running-title">
                {settings?.subCenterName ?? ""} · {t.printTitle}
              </span>
              {settings?.demo ? <span className="export-running-demo">演示/培训数据 · Demo / training data</span> : null}
              <span className="export-running-as-of">{fill(t.printDataAsOf, { time: beijingDateTime(asOf) })}</span>
            </div>
          </td>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>
            <header className="handover-print__title">
              <h1>{t.printTitle}</h1>
              <p>
                {fill(t.printedAt, { time: beijingDateTime(printedAt) })} · {t.printMasked}
              </p>
              <p className="handover-print__taken">{record.acknowledged ? fill(t.takenOver, { name: record.acknowledged.by.name, time: shortTime(record.acknowledged.at) }) : t.notTakenOver}</p>
            </header>
            <HandoverRecordView record={record} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}
