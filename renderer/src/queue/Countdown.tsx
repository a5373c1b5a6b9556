import { formatCountdown, type DeadlineState } from "../../../shared/domain/deadlines.js";
import { useMessages } from "../i18n/index.js";
import { queueMessages } from "./messages.js";

/** Remaining time against the applicable deadline; past due says 超期 in words, not only in colour. */
export function Countdown({ deadline }: { deadline: DeadlineState }) {
  const t = useMessages(queueMessages);
  if (deadline.overdue) {
    const late = deadline.remainingMs !== null && deadline.remainingMs < 0 ? ` ${formatCountdown(deadline.remainingMs, t.day)}` : "";
    return (
      <span className="countdown countdown--overdue">
        <span aria-hidden="true">⚠</span> {t.overdue}
        {late}
      </span>
    );
  }
  if (deadline.remainingMs === null) return <span className="countdown countdown--none">—</span>;
  const soon = deadline.remainingMs < 3_600_000;
  return (
    <span className={`countdown${soon ? " countdown--soon" : ""}`}>
      <span aria-hidden="true">◷</span> {formatCountdown(deadline.remainingMs, t.day)}
    </span>
  );
}
