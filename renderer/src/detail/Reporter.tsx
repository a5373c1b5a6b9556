import { useEffect, useState } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import { maskReporter } from "../../../shared/domain/masking.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import { detailMessages } from "./messages.js";
import { REVEAL_REASONS, REVEAL_SHOWN_MS, revealExpired, revealReason, type RevealReasonCode } from "./reveal.js";

/** What the engine revealed, for which case and when: shown for that case only, for a minute. */
type Revealed = { incidentId: string; at: number; name?: string; phone?: string };

const AUDIT_LABELS = Object.fromEntries(REVEAL_REASONS.map((code) => [code, detailMessages["zh-CN"][`reason_${code}`]])) as Record<RevealReasonCode, string>;

/**
 * The reporter, masked (张*, 139****5678). Revealing asks why, then asks the
 * engine, which records who looked and why; the page masks it again after a
 * minute, on another case, or when the panel closes (this unmounts). The
 * wall in briefing mode never offers it.
 */
export function Reporter({ incidentId, reporter }: { incidentId: string; reporter: NonNullable<IncidentView["reporter"]> }) {
  const { bridge } = useConsole();
  const t = useMessages(detailMessages);
  const briefing = useUiSelector((s) => s.briefing);
  const [asking, setAsking] = useState(false);
  const [code, setCode] = useState<RevealReasonCode | "">("");
  const [words, setWords] = useState("");
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const current = revealed !== null && revealed.incidentId === incidentId && !revealExpired(revealed.at, now) ? revealed : null;

  useEffect(() => {
    if (revealed === null) return;
    const tick = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (revealExpired(revealed.at, at)) setRevealed(null);
    }, 1000);
    return () => clearInterval(tick);
  }, [revealed]);

  const [forIncident, setForIncident] = useState(incidentId);
  if (forIncident !== incidentId) {
    // Another case in the same panel: nothing of the last one stays, not even a half-filled reason.
    setForIncident(incidentId);
    setRevealed(null);
    setAsking(false);
    setCode("");
    setWords("");
    setFailure(null);
  }

  // Belt and braces: should an engine ever send it unmasked, the wall still masks it.
  const shown = reporter.masked ? reporter : maskReporter(reporter);
  const name = current?.name ?? shown.name;
  const phone = current?.phone ?? shown.phone;
  const reason = revealReason(code, words, AUDIT_LABELS);
  const reveal = (why: string) =>
    bridge.call("revealReporter", { incidentId, reason: why }).then(
      (result) => {
        if (!result.ok) return setFailure(result.error.message);
        const at = Date.now();
        setNow(at);
        setRevealed({ incidentId, at, ...result.value });
        setAsking(false);
        setCode("");
        setWords("");
        setFailure(null);
      },
      (error: unknown) => setFailure(String(error)),
    );

  if (reporter.unavailable) {
    return (
      <div className="reporter" data-testid="reporter">
        <span className="muted" data-testid="reporter-unavailable">{t.unavailable}</span>
        {reporter.unitId && <span className="muted">{reporter.unitId}</span>}
      </div>
    );
  }
  const secondsLeft = current ? Math.max(0, Math.ceil((current.at + REVEAL_SHOWN_MS - now) / 1000)) : 0;
  return (
    <div className="reporter" data-testid="reporter">
      <span data-testid="reporter-name">{name ?? "—"}</span>
      <span data-testid="reporter-phone">{phone ?? ""}</span>
      {reporter.unitId && <span className="muted">{reporter.unitId}</span>}
      {!current && <span className="muted">({t.masked})</span>}
      {!briefing && !current && !asking && (name || phone) && (
        <button type="button" className="button button--small button--ghost" data-testid="reveal-reporter" onClick={() => setAsking(true)}>
          {t.reveal}
        </button>
      )}
      {!briefing && !current && asking && (
        <form
          className="reporter__reason"
          data-testid="reveal-reason-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason !== null) void reveal(reason);
          }}
        >
          <label>
            {t.revealReason}
            <select className="select" data-testid="reveal-reason" value={code} onChange={(e) => setCode(e.target.value as RevealReasonCode | "")}>
              <option value="">{t.revealReasonPick}</option>
              {REVEAL_REASONS.map((option) => (
                <option key={option} value={option}>
                  {t[`reason_${option}`]}
                </option>
              ))}
            </select>
          </label>
          <input
            className="input"
            data-testid="reveal-words"
            maxLength={200}
            placeholder={code === "other" ? t.revealWordsRequired : t.revealWords}
            value={words}
            onChange={(e) => setWords(e.target.value)}
          />
          <button type="submit" className="button button--small" data-testid="reveal-confirm" disabled={reason === null}>
            {t.revealConfirm}
          </button>
          <button type="button" className="button button--small button--ghost" onClick={() => setAsking(false)}>
            {t.revealCancel}
          </button>
        </form>
      )}
      {current && (
        <span className="muted" data-testid="reveal-countdown">
          {t.revealed} · {fill(t.revealHidesIn, { seconds: secondsLeft })}
        </span>
      )}
      {failure && <span className="field__error">{fill(t.revealFailed, { message: failure })}</span>}
    </div>
  );
}
