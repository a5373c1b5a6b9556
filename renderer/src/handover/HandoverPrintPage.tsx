import { useEffect, useState } from "react";
import type { HandoverRecord } from "../../../shared/bridge/handover.js";
import { isExportLanguage } from "../../../shared/bridge/export-route.js";
import { beijingDateTime } from "../export/document.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { shortTime } from "./format.js";
import { HandoverRecordView } from "./HandoverRecordView.js";
import { handoverMessages } from "./messages.js";
import { maskedRecord } from "./print.js";
import { PrintFrame, setPrintState, usePrintReady } from "../export/PrintFrame.js";
import "./handover.css";
import "./handover-print.css";

/*
 * `/?view=handover&export=pdf&id=…&lang=…`: the handover record (交接班) as a
 * printable document, opened by a shell's own browser and printed once
 * <html> says it is ready, as the briefing export is. The record is the
 * latest one the engine keeps; the page prints it masked (./print.ts), with
 * "data as of" in the running head of every page.
 */

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
    setPrintState("loading");
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

  // As the briefing export: ready once the record and the console's data are in, and the fonts.
  usePrintReady(loaded.state === "ready" && ready, loaded.state === "failed" ? loaded.reason : null);

  if (loaded.state !== "ready") return <p className="export-loading">{loaded.state === "failed" ? loaded.reason : "正在生成交接班记录… / Building the handover record…"}</p>;
  const { record } = loaded;
  const asOf = dataAsOf === null ? printedAt : Date.parse(dataAsOf);
  return (
    <PrintFrame
      className="handover-print"
      testId="handover-print"
      attributes={{ "data-handover-id": record.id }}
      title={`${settings?.subCenterName ?? ""} · ${t.printTitle}`}
      demo={settings?.demo ? "演示/培训数据 · Demo / training data" : null}
      asOf={fill(t.printDataAsOf, { time: beijingDateTime(asOf) })}
    >
      <header className="handover-print__title">
        <h1>{t.printTitle}</h1>
        <p>
          {fill(t.printedAt, { time: beijingDateTime(printedAt) })} · {t.printMasked}
        </p>
        <p className="handover-print__taken">{record.acknowledged ? fill(t.takenOver, { name: record.acknowledged.by.name, time: shortTime(record.acknowledged.at) }) : t.notTakenOver}</p>
      </header>
      <HandoverRecordView record={record} />
    </PrintFrame>
  );
}
