import { useState } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import { caseDeadlines, deadlineState } from "../../../shared/domain/deadlines.js";
import { allowedActions, type CaseAction } from "../../../shared/domain/lifecycle.js";
import { formatShort } from "../../../shared/domain/time.js";
import { ActionBar } from "../actions/ActionBar.js";
import { OutboxProblems, isProblem } from "../actions/OutboxProblems.js";
import { useGridWords } from "../actions/places.js";
import { ACTION_NAMES, PRIORITY_NAMES, RATING_NAMES, SOURCE_NAMES, STATUS_NAMES } from "../app/labels.js";
import { useShortcuts } from "../app/shortcuts.js";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { Countdown } from "../queue/Countdown.js";
import { useCategories } from "../queue/useQueue.js";
import { useConsole, useDataSelector, useHeldCase, useUiSelector } from "../state/context.js";
import { detailMessages } from "./messages.js";
import { NearestStaff } from "./NearestStaff.js";
import { PushToWallButton } from "../wall/PushToWallButton.js";
import { Reporter } from "./Reporter.js";
import { Timeline } from "./Timeline.js";

/** The selected case, docked over the map's right edge so the map stays usable beside it. */
export function DetailPanel() {
  const selectedId = useUiSelector((s) => s.selectedIncidentId);
  const { incident, missing } = useHeldCase(selectedId);
  if (selectedId === null) return null;
  // Keyed by case so an open form never carries over to the next case.
  if (incident) return <Detail key={incident.id} incident={incident} />;
  // Asked for: the engine answers within a moment; until then the map and the queue stay as they are.
  return missing ? <Gone /> : null;
}

function Gone() {
  const { ui } = useConsole();
  const t = useMessages(detailMessages);
  return (
    <aside className="drawer" data-testid="incident-detail">
      <header className="drawer__header">
        <h2>{t.title}</h2>
        <button type="button" className="button button--ghost" onClick={() => ui.update({ selectedIncidentId: null })}>
          ✕
        </button>
      </header>
      <p className="drawer__body muted">{t.gone}</p>
    </aside>
  );
}

function Detail({ incident }: { incident: IncidentView }) {
  const { ui } = useConsole();
  const t = useMessages(detailMessages);
  const language = useUiSelector((s) => s.language);
  const categories = useCategories();
  const now = useNow();
  const problems = useDataSelector((s) => s.outbox).filter((e) => e.incidentId === incident.id && isProblem(e));
  const [openAction, setOpenAction] = useState<CaseAction | null>(null);
  const deadline = deadlineState(incident, categories, now);
  const deadlines = caseDeadlines(incident, categories);
  const grid = useGridWords()(incident.gridCode, "full");
  const close = () => ui.update({ selectedIncidentId: null });

  useShortcuts((shortcut) => {
    if (shortcut.kind === "escape") {
      if (openAction) setOpenAction(null);
      else close();
      return true;
    }
    if (shortcut.kind === "action" && allowedActions(incident.status, incident).includes(shortcut.action)) {
      setOpenAction(shortcut.action);
      return true;
    }
    return false;
  });

  const pending = incident.pending ?? [];
  return (
    <aside className="drawer detail" data-testid="incident-detail" data-incident-id={incident.id} data-status={incident.status} aria-label={t.title}>
      <header className="drawer__header">
        <div>
          <div className="detail__id">{incident.id}</div>
          <h2 className="detail__title">{incident.title}</h2>
        </div>
        <div className="drawer__tools">
          <button type="button" className="button button--small" data-testid="show-on-map" onClick={() => ui.update({ selectedIncidentId: incident.id, selectedUnitId: null, focusRequest: ui.getState().focusRequest + 1 })}>
            ◎ {t.showOnMap}
          </button>
          <button type="button" className="button button--ghost" aria-label={t.close} data-testid="detail-close" onClick={close}>
            ✕
          </button>
        </div>
      </header>
      <div className="drawer__body">
        <div className="detail__badges">
          <span className={`priority priority--${incident.priority}`}>{PRIORITY_NAMES[language][incident.priority]}</span>
          <span className={`status status--${incident.status}`}>{STATUS_NAMES[language][incident.status]}</span>
          <Countdown deadline={deadline} />
        </div>
        {pending.length > 0 && (
          <p className="pending-line" data-testid="incident-pending">
            <span aria-hidden="true">⇡</span> {fill(t.pending, { actions: pending.map((p) => ACTION_NAMES[language][p.type]).join("、") })}
          </p>
        )}
        <OutboxProblems entries={problems} />
        <ActionBar incident={incident} open={openAction} onOpen={setOpenAction} />
        <PushToWallButton kind="incident" id={incident.id} className="detail__wall" />
        <dl className="facts">
          <dt>{t.category}</dt>
          <dd>
            {incident.category.major} / {incident.category.minor}
          </dd>
          <dt>{t.source}</dt>
          <dd>{SOURCE_NAMES[language][incident.source]}</dd>
          <dt>{t.address}</dt>
          <dd>{incident.address ?? t.none}</dd>
          <dt>{t.grid}</dt>
          <dd title={grid.title} data-testid="incident-grid" data-grid-code={incident.gridCode}>
            {grid.label}
          </dd>
          <dt>{t.department}</dt>
          <dd>{incident.department?.name ?? t.none}</dd>
          <dt>{t.respondBy}</dt>
          <dd className={deadline.kind === "respond" ? "facts__current" : undefined}>{deadlines.respondBy === null ? t.none : formatShort(deadlines.respondBy)}</dd>
          <dt>{t.closeBy}</dt>
          <dd className={deadline.kind === "close" ? "facts__current" : undefined}>{deadlines.closeBy === null ? t.none : formatShort(deadlines.closeBy)}</dd>
          <dt>{t.rework}</dt>
          <dd>{incident.reworkCount}</dd>
          {incident.evaluation && (
            <>
              <dt>{t.evaluation}</dt>
              <dd data-testid="incident-evaluation" data-rating={incident.evaluation.rating}>
                {RATING_NAMES[language][incident.evaluation.rating]} · {formatShort(Date.parse(incident.evaluation.at))}
                {incident.evaluation.note && <span className="detail__evaluation-note">：{incident.evaluation.note}</span>}
              </dd>
            </>
          )}
          {incident.reporter && (
            <>
              <dt>{t.reporter}</dt>
              <dd>
                <Reporter incidentId={incident.id} reporter={incident.reporter} />
              </dd>
            </>
          )}
        </dl>
        {incident.description && <p className="detail__description">{incident.description}</p>}
        <NearestStaff lon={incident.lon} lat={incident.lat} now={now} />
        <Timeline incidentId={incident.id} version={incident.version} />
      </div>
    </aside>
  );
}
