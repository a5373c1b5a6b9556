import { useEffect, useState } from "react";
import type { Diagnostics as DiagnosticsData, DropReason } from "../../../shared/bridge/contract.js";
import { toEpochMs } from "../../../shared/domain/time.js";
import { formatShort, formatClock } from "../../../shared/domain/time.js";
import { ACTION_NAMES, DROP_REASON_NAMES, OUTBOX_STATE_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import { engineCauseText, formatBytes } from "./format.js";
import { statusMessages } from "./messages.js";

type Loaded = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; value: DiagnosticsData };

const REFRESH_MS = 2000;

export function Diagnostics({ onClose }: { onClose: () => void }) {
  const { bridge } = useConsole();
  const t = useMessages(statusMessages);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });

  useEffect(() => {
    let alive = true;
    const load = () =>
      bridge.call("getDiagnostics", {}).then(
        (result) => {
          if (!alive) return;
          setLoaded(result.ok ? { state: "ready", value: result.value } : { state: "failed", message: result.error.message });
        },
        (error: unknown) => alive && setLoaded({ state: "failed", message: String(error) }),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [bridge]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <section className="dialog" role="dialog" aria-label={t.diagnosticsTitle} data-testid="diagnostics" onClick={(e) => e.stopPropagation()}>
        <header className="dialog__header">
          <h2>{t.diagnosticsTitle}</h2>
          <button type="button" className="button button--ghost" onClick={onClose}>
            ✕ {t.close}
          </button>
        </header>
        {loaded.state === "loading" && <p>{t.loading}</p>}
        {loaded.state === "failed" && <p className="text-danger">{fill(t.failed, { message: loaded.message })}</p>}
        {loaded.state === "ready" && <DiagnosticsTable value={loaded.value} />}
      </section>
    </div>
  );
}

/** A Beijing date and time to the second (MM-DD HH:mm:ss), or the text as it came. */
function shortTime(iso: string): string {
  const ms = toEpochMs(iso);
  return Number.isFinite(ms) ? `${formatShort(ms)}:${formatClock(ms).slice(6)}` : iso;
}

function DiagnosticsTable({ value }: { value: DiagnosticsData }) {
  const t = useMessages(statusMessages);
  const language = useUiSelector((s) => s.language);
  const dropped = (Object.entries(value.dropped) as [DropReason, number][]).filter(([, count]) => count > 0);
  return (
    <div className="diagnostics">
      <dl className="facts">
        <dt>{t.epoch}</dt>
        <dd>{value.epoch ?? "—"}</dd>
        <dt>{t.lastSeq}</dt>
        <dd data-testid="diagnostics-last-seq">{value.lastSeq}</dd>
        <dt>{t.headSeq}</dt>
        <dd>{value.headSeq}</dd>
        <dt>{t.journal}</dt>
        <dd>{formatBytes(value.journalBytes)}</dd>
        <dt>{t.cache}</dt>
        <dd>{formatBytes(value.cacheBytes)}</dd>
        <dt>{t.storage}</dt>
        <dd data-testid="diagnostics-storage">
          {value.storage ? `${value.storage.problem === "disk_full" ? t.diskFull : t.writeFailed}${t.colon}${value.storage.dataDir} (${value.storage.message})` : t.storageOk}
        </dd>
        <dt>{t.incidents}</dt>
        <dd>{value.incidents}</dd>
        <dt>{t.units}</dt>
        <dd>{value.units}</dd>
        <dt>{t.startedAt}</dt>
        <dd>{shortTime(value.startedAt)}</dd>
        <dt>{t.engineRestarts}</dt>
        <dd data-testid="diagnostics-engine-restarts">
          {value.restarts ? fill(t.engineRestartsValue, { count: value.restarts.count, time: shortTime(value.restarts.lastAt), cause: engineCauseText(value.restarts.lastCause, t) }) : t.engineRestartsNone}
        </dd>
      </dl>
      <h3>{t.dropped}</h3>
      {dropped.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table className="table">
          <tbody>
            {dropped.map(([reason, count]) => (
              <tr key={reason}>
                <td title={reason}>{DROP_REASON_NAMES[language][reason]}</td>
                <td className="num">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>
        {t.outboxList} ({value.outbox.length})
      </h3>
      {value.outbox.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table className="table">
          <tbody>
            {value.outbox.map((entry) => (
              <tr key={entry.commandId}>
                <td>{ACTION_NAMES[language][entry.type]}</td>
                <td>{entry.incidentId ?? "—"}</td>
                <td>{OUTBOX_STATE_NAMES[language][entry.state]}</td>
                <td className="num">{entry.attempts}</td>
                <td>{entry.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
