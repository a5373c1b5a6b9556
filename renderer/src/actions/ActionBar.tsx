import type { IncidentView } from "../../../shared/bridge/contract.js";
import { allowedActions, type CaseAction } from "../../../shared/domain/lifecycle.js";
import { ACTION_NAMES } from "../app/labels.js";
import { useMessages } from "../i18n/index.js";
import { useUiSelector } from "../state/context.js";
import { ActionForm } from "./ActionForm.js";
import { actionMessages } from "./messages.js";
import { ACTION_KEYS } from "./shortcuts.js";

type Props = { incident: IncidentView; open: CaseAction | null; onOpen: (action: CaseAction | null) => void };

/** Exactly the moves the case's status allows, one button each, with its shortcut shown. */
export function ActionBar({ incident, open, onOpen }: Props) {
  const t = useMessages(actionMessages);
  const language = useUiSelector((s) => s.language);
  const actions = allowedActions(incident.status, incident);
  return (
    <div className="action-bar">
      <div className="action-bar__buttons" role="toolbar" aria-label={t.actions}>
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={`button action-button action-button--${action}${open === action ? " action-button--on" : ""}`}
            data-action={action}
            aria-pressed={open === action}
            onClick={() => onOpen(open === action ? null : action)}
          >
            {ACTION_NAMES[language][action]}
            <kbd>{ACTION_KEYS[action]}</kbd>
          </button>
        ))}
      </div>
      {open && actions.includes(open) && <ActionForm key={`${incident.id}:${open}`} action={open} incident={incident} onDone={() => onOpen(null)} />}
    </div>
  );
}
