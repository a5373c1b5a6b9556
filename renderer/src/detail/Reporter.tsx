import { useState } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import { maskReporter } from "../../../shared/domain/masking.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import { detailMessages } from "./messages.js";

type Revealed = { name?: string; phone?: string };

/**
 * The reporter, masked (张*, 139****5678). Revealing asks the engine, which
 * records who looked; the wall in briefing mode never offers it.
 */
export function Reporter({ incidentId, reporter }: { incidentId: string; reporter: NonNullable<IncidentView["reporter"]> }) {
  const { bridge } = useConsole();
  const t = useMessages(detailMessages);
  const briefing = useUiSelector((s) => s.briefing);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Belt and braces: should an engine ever send it unmasked, the wall still masks it.
  const shown = reporter.masked ? reporter : maskReporter(reporter);
  const name = revealed?.name ?? shown.name;
  const phone = revealed?.phone ?? shown.phone;
  const reveal = () =>
    bridge.call("revealReporter", { incidentId }).then(
      (result) => (result.ok ? setRevealed(result.value) : setFailure(result.error.message)),
      (error: unknown) => setFailure(String(error)),
    );
  return (
    <div className="reporter" data-testid="reporter">
      <span data-testid="reporter-name">{name ?? "—"}</span>
      <span data-testid="reporter-phone">{phone ?? ""}</span>
      {reporter.unitId && <span className="muted">{reporter.unitId}</span>}
      {!revealed && <span className="muted">({t.masked})</span>}
      {!briefing && !revealed && (name || phone) && (
        <button type="button" className="button button--small button--ghost" data-testid="reveal-reporter" onClick={() => void reveal()}>
          {t.reveal}
        </button>
      )}
      {revealed && <span className="muted">{t.revealed}</span>}
      {failure && <span className="field__error">{fill(t.revealFailed, { message: failure })}</span>}
    </div>
  );
}
