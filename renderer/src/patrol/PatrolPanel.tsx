import { useMessages } from "../i18n/index.js";
import { useShortcuts } from "../app/shortcuts.js";
import { AssessmentView } from "./AssessmentView.js";
import { usePatrolChecks } from "./hooks.js";
import { patrolMessages } from "./messages.js";
import { PatrolList } from "./PatrolList.js";
import "./patrol.css";

/*
 * Verified patrol on the operator wall: a tab beside the case queue (the right
 * column) with the check list, and the assessment opened over the map and the
 * KPIs, where a table of ten columns has room.
 */

export type WallSide = "queue" | "patrol";

/** The right column's switch between the case queue and the patrol checks; the patrol tab counts the suspects. */
export function WallSideTabs({ side, onSide }: { side: WallSide; onSide: (side: WallSide) => void }) {
  const t = useMessages(patrolMessages);
  const state = usePatrolChecks();
  const suspects = state.state === "ready" ? state.checks.checks.filter((c) => c.verdict === "suspect").length : 0;
  return (
    <div className="wall-tabs" role="tablist" aria-label={t.title}>
      <button type="button" role="tab" aria-selected={side === "queue"} className={`wall-tabs__tab${side === "queue" ? " wall-tabs__tab--on" : ""}`} data-testid="queue-tab" onClick={() => onSide("queue")}>
        {t.queueTab}
      </button>
      <button type="button" role="tab" aria-selected={side === "patrol"} className={`wall-tabs__tab${side === "patrol" ? " wall-tabs__tab--on" : ""}`} data-testid="patrol-tab" onClick={() => onSide("patrol")}>
        {t.title}
        {suspects > 0 && (
          <span className="wall-tabs__badge" data-testid="patrol-suspects">
            ⚠ {t.verdict_suspect} {suspects}
          </span>
        )}
      </button>
    </div>
  );
}

export function PatrolPanel({ onAssessment }: { onAssessment: () => void }) {
  const t = useMessages(patrolMessages);
  return (
    <section className="panel patrol-panel" aria-label={t.title} data-testid="patrol-panel">
      <header className="panel__header">
        <h2>{t.title}</h2>
        <button type="button" className="button button--small" data-testid="assessment-open" onClick={onAssessment}>
          ▦ {t.assessment}
        </button>
      </header>
      <PatrolList />
    </section>
  );
}

/** The assessment over the wall's left and centre (the queue column stays in view); Escape or ✕ closes it. */
export function AssessmentSheet({ onClose }: { onClose: () => void }) {
  const t = useMessages(patrolMessages);
  useShortcuts((shortcut) => {
    if (shortcut.kind !== "escape") return false;
    onClose();
    return true;
  });
  return (
    <section className="panel patrol-sheet" role="dialog" aria-label={t.assessment}>
      <header className="panel__header">
        <h2>{t.assessment}</h2>
        <button type="button" className="button button--small" data-testid="assessment-close" onClick={onClose}>
          ✕ {t.close}
        </button>
      </header>
      <AssessmentView />
    </section>
  );
}
