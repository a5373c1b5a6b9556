import { useEffect, useMemo, useRef, useState } from "react";
import { ALERT_LEVEL_NAMES } from "../app/labels.js";
import { formatClock, toEpochMs } from "../../../shared/domain/time.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { freshItems, newUrgentCases, tickerItems, toneFor, type TickerItem } from "./attention.js";
import { alertMessages } from "./messages.js";
import { AlertSound } from "./sound.js";

const LEVEL_ICONS = { critical: "⚠", warning: "▲", info: "ℹ" } as const;

/**
 * The bottom ticker: every alert until acknowledged, critical ones flashing.
 * New arrivals sound once (WebAudio; off by setting and in briefing mode).
 */
export function AlertTicker() {
  const { bridge, ui } = useConsole();
  const t = useMessages(alertMessages);
  const language = useUiSelector((s) => s.language);
  const briefing = useUiSelector((s) => s.briefing);
  const alerts = useDataSelector((s) => s.alerts);
  const incidents = useDataSelector((s) => s.incidents);
  const soundOn = useDataSelector((s) => s.settings?.alertSound ?? true);

  // Cases present at start are not news: only urgent cases arriving later enter the ticker. A first
  // start with an empty cache takes the first picture that arrives as that baseline, so the initial
  // snapshot does not ring for every urgent case already open.
  const [known, setKnown] = useState<ReadonlySet<string> | null>(() => (incidents.size > 0 ? new Set(incidents.keys()) : null));
  if (known === null && incidents.size > 0) setKnown(new Set(incidents.keys()));
  const [acknowledgedCases, setAcknowledgedCases] = useState<ReadonlySet<string>>(new Set());
  const urgent = useMemo(
    () => (known === null ? [] : newUrgentCases(incidents.values(), known).filter((c) => !acknowledgedCases.has(c.id))),
    [incidents, known, acknowledgedCases],
  );
  const items = useMemo(() => tickerItems(alerts, urgent), [alerts, urgent]);

  const seen = useRef<Set<string>>(new Set(tickerItems(alerts, []).map((i) => i.key)));
  const sound = useRef<AlertSound | null>(null);
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const fresh = freshItems(items, seen.current);
    if (fresh.length === 0) return;
    for (const item of fresh) seen.current.add(item.key);
    const tone = toneFor(fresh, soundOn, briefing);
    if (tone) {
      sound.current ??= new AlertSound();
      sound.current.play(tone);
    }
    const keys = fresh.map((item) => item.key);
    setFlashing((current) => new Set([...current, ...keys]));
    const timer = setTimeout(() => setFlashing((current) => new Set([...current].filter((k) => !keys.includes(k)))), 10_000);
    return () => clearTimeout(timer);
  }, [items, soundOn, briefing]);

  useEffect(() => () => sound.current?.close(), []);

  const acknowledge = (item: TickerItem) => {
    for (const id of item.alertIds) void bridge.call("acknowledgeAlert", { id });
    const caseId = item.kind === "urgent-case" ? item.incidentId : undefined;
    if (caseId !== undefined) setAcknowledgedCases((current) => new Set([...current, caseId]));
  };

  // 查看: the case it is about; else the staff member (an SOS), whom the map flies to, opening their card.
  const open = (item: TickerItem) => {
    if (item.incidentId) ui.update({ selectedIncidentId: item.incidentId });
    else if (item.unitId) ui.update({ selectedUnitId: item.unitId, selectedIncidentId: null, focusRequest: ui.getState().focusRequest + 1 });
  };

  const critical = items.some((item) => item.level === "critical");
  return (
    <footer className={`ticker${critical ? " ticker--critical" : ""}`} data-testid="alert-ticker" aria-label={t.ticker} role="log" aria-live="assertive">
      <div className="ticker__label">
        <span aria-hidden="true">⚑</span> {t.ticker}
        {items.length > 0 && <span className="ticker__count">{fill(t.count, { count: items.length })}</span>}
      </div>
      <ul className="ticker__items">
        {items.length === 0 && <li className="ticker__quiet">{t.quiet}</li>}
        {items.map((item) => (
          <li
            key={item.key}
            className={`ticker__item ticker__item--${item.level}${item.level === "critical" || flashing.has(item.key) ? " ticker__item--flash" : ""}`}
            data-testid="alert-item"
            data-level={item.level}
            data-kind={item.kind}
            data-key={item.key}
          >
            <span className="ticker__level">
              <span aria-hidden="true">{LEVEL_ICONS[item.level]}</span> {item.kind === "urgent-case" ? t.urgentCase : ALERT_LEVEL_NAMES[language][item.level]}
            </span>
            <time className="ticker__time">{formatClock(toEpochMs(item.at))}</time>
            <span className="ticker__title">{item.title}</span>
            {item.body && <span className="ticker__body">{item.body}</span>}
            {(item.incidentId ?? item.unitId) && (
              <button type="button" className="button button--small button--ghost" data-testid="alert-open" onClick={() => open(item)}>
                {t.open}
              </button>
            )}
            <button type="button" className="button button--small" data-testid="alert-ack" onClick={() => acknowledge(item)}>
              ✓ {t.acknowledge}
            </button>
          </li>
        ))}
      </ul>
    </footer>
  );
}
