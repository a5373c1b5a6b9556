import { memo } from "react";
import type { QueueRow as QueueRowData } from "../../../shared/bridge/queue.js";
import { deadlineState, type CategoryIndex } from "../../../shared/domain/deadlines.js";
import { PRIORITY_NAMES, STATUS_NAMES } from "../app/labels.js";
import { useNow } from "../app/ticker.js";
import { useMessages } from "../i18n/index.js";
import type { Language } from "../state/ui.js";
import { Countdown } from "./Countdown.js";
import { queueMessages } from "./messages.js";
import "./grid-chip.css";

type Props = {
  /** The case as the engine's queue window lists it. */
  incident: QueueRowData;
  categories: CategoryIndex;
  language: Language;
  cursor: boolean;
  selected: boolean;
  /** The case's grid by name (`short`), and the tooltip with its community, street and code. */
  gridLabel: string;
  gridTitle: string;
  onSelect: (id: string) => void;
};

/** One case in the queue. Overdue is computed on the shared 1 s tick, so the row flips to 超期 the second it happens. */
export const QueueRow = memo(function QueueRow({ incident, categories, language, cursor, selected, gridLabel, gridTitle, onSelect }: Props) {
  const t = useMessages(queueMessages);
  const now = useNow();
  const deadline = deadlineState(incident, categories, now);
  const pending = incident.pending?.length ?? 0;
  const classes = [
    "queue-row",
    `queue-row--${incident.priority}`,
    deadline.overdue ? "queue-row--overdue" : "",
    cursor ? "queue-row--cursor" : "",
    selected ? "queue-row--selected" : "",
  ].filter(Boolean);
  return (
    <div
      className={classes.join(" ")}
      role="option"
      aria-selected={selected}
      data-testid="incident-row"
      data-incident-id={incident.id}
      data-status={incident.status}
      data-overdue={deadline.overdue ? "true" : "false"}
      data-priority={incident.priority}
      onClick={() => onSelect(incident.id)}
    >
      <div className="queue-row__line">
        <span className={`priority priority--${incident.priority}`}>{PRIORITY_NAMES[language][incident.priority]}</span>
        <span className="queue-row__title" title={incident.title}>
          {incident.title}
        </span>
        <Countdown deadline={deadline} />
      </div>
      <div className="queue-row__line queue-row__meta">
        <span className="queue-row__id">{incident.id}</span>
        <span className={`status status--${incident.status}`}>{STATUS_NAMES[language][incident.status]}</span>
        {pending > 0 && (
          <span className="pending-badge">
            <span aria-hidden="true">⇡</span> {t.pending}
          </span>
        )}
        <span className="queue-row__grid" title={gridTitle} data-grid-code={incident.gridCode}>
          {gridLabel}
        </span>
        <span className="queue-row__where" title={incident.address ?? incident.category.minor}>
          {incident.address ?? incident.category.minor}
        </span>
      </div>
    </div>
  );
});
