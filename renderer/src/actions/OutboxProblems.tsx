import type { OutboxEntry } from "../../../shared/bridge/contract.js";
import { ACTION_NAMES, OUTBOX_STATE_NAMES, STATUS_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import { actionMessages } from "./messages.js";

export const isProblem = (entry: OutboxEntry): boolean => entry.state === "conflict" || entry.state === "rejected";

/**
 * Commands the platform refused: its message and its current picture of the
 * case, and the operator's two ways on: redo against the current version, or dismiss.
 */
export function OutboxProblems({ entries }: { entries: readonly OutboxEntry[] }) {
  const { bridge } = useConsole();
  const t = useMessages(actionMessages);
  const language = useUiSelector((s) => s.language);
  if (entries.length === 0) return null;
  return (
    <ul className="outbox-problems" aria-label={t.problems}>
      {entries.map((entry) => {
        const current = entry.failure?.incident;
        return (
          <li key={entry.commandId} className="outbox-problem" role="alert" data-testid="outbox-problem" data-command-id={entry.commandId} data-state={entry.state}>
            <div className="outbox-problem__title">
              <span aria-hidden="true">⚠</span> {ACTION_NAMES[language][entry.type]} {entry.incidentId ?? ""} · {OUTBOX_STATE_NAMES[language][entry.state]}
            </div>
            {entry.failure && <div data-testid="outbox-problem-message">{fill(t.platformSays, { message: entry.failure.message })}</div>}
            {current && <div>{fill(t.currentState, { status: STATUS_NAMES[language][current.status], version: current.version })}</div>}
            <div className="outbox-problem__buttons">
              <button
                type="button"
                className="button button--small"
                data-testid="outbox-redo"
                onClick={() => void bridge.call("retryOutbox", current ? { commandId: entry.commandId, expectedVersion: current.version } : { commandId: entry.commandId })}
              >
                ↻ {t.redo}
              </button>
              <button type="button" className="button button--small button--ghost" data-testid="outbox-dismiss" onClick={() => void bridge.call("dismissOutbox", { commandId: entry.commandId })}>
                ✕ {t.dismiss}
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
