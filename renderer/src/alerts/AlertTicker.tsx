import { useEffect, useRef, useState } from "react";
import type { AttentionItem, AttentionTicker as TickerView } from "../../../shared/bridge/attention.js";
import { ALERT_LEVEL_NAMES } from "../app/labels.js";
import { formatClock, toEpochMs } from "../../../shared/domain/time.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { criticalOf, freshItems, markSeen, nothingSeen, REPEAT_TONE_MS, toneFor, type Seen } from "./attention.js";
import { alertMessages } from "./messages.js";
import { AlertSound } from "./sound.js";

const LEVEL_ICONS = { critical: "⚠", warning: "▲", info: "ℹ" } as const;
const NOTHING: TickerView = { items: [], total: 0, waiting: 0, criticalWaiting: 0, criticalAlertWaiting: false };

/**
 * The bottom ticker: the engine's attention list (urgent and overdue cases,
 * the feed's alerts). Waiting items first, critical ones flashing; the tone
 * repeats every REPEAT_TONE_MS while a critical item waits (off by setting and
 * in briefing mode). Acknowledged items stay, dimmed, with who and when, until
 * their case is resolved; the acknowledgement is the engine's, so every page
 * shows it and a restart keeps it.
 */
export function AlertTicker() {
  const { bridge, ui } = useConsole();
  const t = useMessages(alertMessages);
  const language = useUiSelector((s) => s.language);
  const briefing = useUiSelector((s) => s.briefing);
  // The engine's view of the list: its first items in order and the counts (the list is tens of thousands at city scale).
  const ticker = useDataSelector((s) => s.attentionTicker) ?? NOTHING;
  const soundOn = useDataSelector((s) => s.settings?.alertSound ?? true);
  const items = ticker.items;
  const waitingCount = ticker.waiting;
  const tone = toneFor(ticker, soundOn, briefing);

  const seen = useRef<Seen>(nothingSeen());
  const sound = useRef<AlertSound | null>(null);
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const fresh = freshItems(items, seen.current);
    markSeen(items, seen.current);
    if (fresh.length === 0) return;
    const freshTone = toneFor(criticalOf(fresh), soundOn, briefing);
    if (freshTone) {
      sound.current ??= new AlertSound();
      sound.current.play(freshTone);
    }
    const keys = fresh.map((item) => item.key);
    setFlashing((current) => new Set([...current, ...keys]));
    const timer = setTimeout(() => setFlashing((current) => new Set([...current].filter((k) => !keys.includes(k)))), 10_000);
    return () => clearTimeout(timer);
  }, [items, soundOn, briefing]);

  // Escalation: the tone again and again until every critical item is acknowledged.
  useEffect(() => {
    if (!tone) return;
    const timer = setInterval(() => {
      sound.current ??= new AlertSound();
      sound.current.play(tone);
    }, REPEAT_TONE_MS);
    return () => clearInterval(timer);
  }, [tone]);

  useEffect(() => () => sound.current?.close(), []);

  const acknowledge = (item: AttentionItem) => void bridge.call("acknowledgeAttention", { key: item.key });

  // 查看: the case it is about; else the staff member (an SOS), whom the map flies to, opening their card.
  const open = (item: AttentionItem) => {
    if (item.incidentId) ui.update({ selectedIncidentId: item.incidentId });
    else if (item.unitId) ui.update({ selectedUnitId: item.unitId, selectedIncidentId: null, focusRequest: ui.getState().focusRequest + 1 });
  };

  const kindName = (item: AttentionItem): string => {
    if (item.kind === "alert") return ALERT_LEVEL_NAMES[language][item.level];
    if (item.kind === "overdue-case") return t.overdueCase;
    return item.reasons.includes("overdue") ? t.urgentOverdue : t.urgentCase;
  };

  const critical = ticker.criticalWaiting > 0;
  const shown = items;
  return (
    <footer className={`ticker${critical ? " ticker--critical" : ""}`} data-testid="alert-ticker" aria-label={t.ticker} role="log" aria-live="assertive">
      <div className="ticker__label">
        <span aria-hidden="true">⚑</span> {t.ticker}
        {waitingCount > 0 && <span className="ticker__count">{fill(t.count, { count: waitingCount })}</span>}
      </div>
      <ul className="ticker__items" data-testid="attention-list">
        {items.length === 0 && <li className="ticker__quiet">{t.quiet}</li>}
        {shown.map((item) => {
          const flash = !item.acknowledged && (item.level === "critical" || flashing.has(item.key));
          return (
            <li
              key={item.key}
              className={`ticker__item ticker__item--${item.level}${flash ? " ticker__item--flash" : ""}${item.acknowledged ? " ticker__item--acknowledged" : ""}`}
              data-testid="alert-item"
              data-level={item.level}
              data-kind={item.kind}
              data-key={item.key}
              data-acknowledged={item.acknowledged ? "true" : "false"}
              data-reasons={item.reasons.join(" ")}
              {...(item.incidentId !== undefined && { "data-incident-id": item.incidentId })}
              {...(item.unitId !== undefined && { "data-unit-id": item.unitId })}
            >
              <span className="ticker__level">
                <span aria-hidden="true">{LEVEL_ICONS[item.level]}</span> {kindName(item)}
              </span>
              <time className="ticker__time">{formatClock(toEpochMs(item.at))}</time>
              <span className="ticker__title">{item.title}</span>
              {item.body && <span className="ticker__body">{item.body}</span>}
              {(item.incidentId ?? item.unitId) && (
                <button type="button" className="button button--small button--ghost" data-testid="alert-open" onClick={() => open(item)}>
                  {t.open}
                </button>
              )}
              {item.acknowledged ? (
                <span className="ticker__acknowledged" data-testid="alert-acknowledged-by">
                  ✓ {fill(t.acknowledgedBy, { name: item.acknowledged.by.name, time: formatClock(toEpochMs(item.acknowledged.at)) })}
                </span>
              ) : (
                <button type="button" className="button button--small" data-testid="alert-ack" onClick={() => acknowledge(item)}>
                  ✓ {t.acknowledge}
                </button>
              )}
            </li>
          );
        })}
        {ticker.total > shown.length && <li className="ticker__more">{fill(t.more, { count: ticker.total - shown.length })}</li>}
      </ul>
    </footer>
  );
}
