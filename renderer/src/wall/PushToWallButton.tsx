import { useState } from "react";
import type { WallPushKind } from "../../../shared/bridge/contract.js";
import { formatClock } from "../../../shared/domain/time.js";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { useUiSelector } from "../state/context.js";
import { wallMessages } from "./messages.js";
import { useWallActions, useWallPush } from "./useWall.js";
import "./wall.css";

/**
 * 推送上墙 on the operator's screen: puts this case, staff member or grid on
 * the wall, or, while it is the one up there, takes it back. Not on a
 * briefing page, which may only read.
 */
export function PushToWallButton({ kind, id, className }: { kind: WallPushKind; id: string; className?: string }) {
  const m = useMessages(wallMessages);
  const briefing = useUiSelector((s) => s.briefing);
  const now = useNow();
  const current = useWallPush(now);
  const { push, takeBack } = useWallActions();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (briefing) return null;
  const mine = current !== null && current.kind === kind && current.targetId === id ? current : null;
  const onClick = () => {
    setBusy(true);
    setProblem(null);
    (mine ? takeBack(mine.pushId) : push(kind, id))
      .then((result) => {
        if (!result.ok) setProblem(fill(m.pushFailed, { reason: result.error.message }));
      })
      .catch((error: unknown) => setProblem(fill(m.pushFailed, { reason: String(error) })))
      .finally(() => setBusy(false));
  };
  return (
    <div className={`wall-push${className ? ` ${className}` : ""}`}>
      <button type="button" className={`wall-push-button${mine ? " pushed" : ""}`} data-testid="push-to-wall" data-pushed={mine !== null} disabled={busy} onClick={onClick}>
        <span aria-hidden="true">{mine ? "⤓" : "⤒"}</span> {mine ? m.takeBack : m.push}
      </button>
      {mine && <span className="wall-push-note">{fill(m.pushedHere, { time: formatClock(Date.parse(mine.until)) })}</span>}
      {problem && (
        <span className="wall-push-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
