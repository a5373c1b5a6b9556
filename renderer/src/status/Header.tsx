import { useState } from "react";
import { beijingParts, formatClock, formatDate } from "../../../shared/domain/time.js";
import { CONNECTION_ICONS, CONNECTION_NAMES } from "../app/labels.js";
import { LANGUAGE_STORAGE_KEY } from "../app/boot.js";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import type { Language } from "../state/ui.js";
import { ExportButton } from "../export/ExportButton.js";
import { Diagnostics } from "./Diagnostics.js";
import { RegionLayerStatus } from "./RegionLayerStatus.js";
import { countWaiting, formatSince, statusReasonText } from "./format.js";
import { statusMessages } from "./messages.js";

const OUTAGE_STATES = new Set(["offline", "stalled", "unauthorized"]);

export function Header() {
  const t = useMessages(statusMessages);
  const language = useUiSelector((s) => s.language);
  const name = useDataSelector((s) => s.settings?.subCenterName ?? "");
  const status = useDataSelector((s) => s.status);
  const waiting = useDataSelector((s) => countWaiting(s.outbox));
  const now = useNow();
  const [diagnosticsOpen, setDiagnosticsOpen] = useState(false);
  const outage = OUTAGE_STATES.has(status.state);
  const since = formatSince(status.since, now) ?? "—";
  const asOf = formatSince(status.dataAsOf, now);
  const reason = status.reason ? statusReasonText(status.reason, t, now) : undefined;
  const banner =
    status.state === "unauthorized" ? t.unauthorizedBanner : status.state === "stalled"
        ? fill(t.stalledBanner, { since })
        : status.reason?.code === "engine_restarting"
          ? fill(t.restartingBanner, { since })
          : fill(t.offlineBanner, { since });
  return (
    <header className={`header${outage ? ` header--outage header--${status.state}` : ""}`} role="banner">
      <div className="header__title">{name}</div>
      <Clock now={now} weekday={t[`weekday${beijingParts(now).weekday}` as keyof typeof t]} />
      <div
        className={`connection connection--${status.state}`}
        data-testid="connection-status"
        data-state={status.state}
        data-as-of={status.dataAsOf ?? ""}
        role="status"
        title={reason}
      >
        <span className="connection__icon" aria-hidden="true">
          {CONNECTION_ICONS[status.state]}
        </span>
        <span className="connection__label">{CONNECTION_NAMES[language][status.state]}</span>
      </div>
      <RegionLayerStatus />
      <div className="header__as-of">
        {t.dataAsOf} <strong>{asOf ?? t.noData}</strong>
      </div>
      <div className={`header__outbox${waiting > 0 ? " header__outbox--waiting" : ""}`} title={t.outbox}>
        <span aria-hidden="true">✉</span> {t.outboxShort} <strong data-testid="outbox-count">{waiting}</strong>
      </div>
      <LanguageSwitch />
      <ExportButton />
      <button type="button" className="button button--ghost" data-testid="diagnostics-button" onClick={() => setDiagnosticsOpen(true)}>
        ⚙ {t.diagnostics}
      </button>
      {outage && (
        <div className="header__banner" role="alert" data-testid="outage-banner">
          <span className="header__banner-icon" aria-hidden="true">
            {CONNECTION_ICONS[status.state]}
          </span>
          <strong className="header__banner-state">{CONNECTION_NAMES[language][status.state]}</strong>
          <span>{banner}</span>
          {reason && <span className="header__banner-detail">({reason})</span>}
          <span className="header__banner-facts">
            {t.dataAsOf} {asOf ?? t.noData} · {fill(t.waiting, { count: waiting })}
          </span>
        </div>
      )}
      {diagnosticsOpen && <Diagnostics onClose={() => setDiagnosticsOpen(false)} />}
    </header>
  );
}

function Clock({ now, weekday }: { now: number; weekday: string }) {
  return (
    <div className="header__clock">
      <span className="header__time">{formatClock(now)}</span>
      <span className="header__date">
        {formatDate(now)} {weekday}
      </span>
    </div>
  );
}

function LanguageSwitch() {
  const { ui } = useConsole();
  const language = useUiSelector((s) => s.language);
  const t = useMessages(statusMessages);
  const choose = (next: Language) => {
    ui.update({ language: next });
    try {
      window.localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    } catch {
      // Not remembered across restarts where storage is disabled; the switch still works for this session.
      return;
    }
  };
  return (
    <div className="language-switch" role="group" aria-label={t.language}>
      {(["zh-CN", "en"] as const).map((option) => (
        <button
          key={option}
          type="button"
          className={`language-switch__option${language === option ? " language-switch__option--on" : ""}`}
          aria-pressed={language === option}
          data-testid={`language-${option}`}
          onClick={() => choose(option)}
        >
          {option === "zh-CN" ? "中" : "EN"}
        </button>
      ))}
    </div>
  );
}
