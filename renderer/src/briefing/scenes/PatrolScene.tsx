import { useMemo } from "react";
import { ROLE_NAMES } from "../../app/labels.js";
import { useNow } from "../../app/ticker.js";
import { fill } from "../../i18n/index.js";
import { patrolBriefing } from "../../patrol/briefing.js";
import { VERDICT_ICONS, verdictWord } from "../../patrol/evidence.js";
import { usePatrolChecks, usePlaces, useRoster } from "../../patrol/hooks.js";
import { patrolMessages } from "../../patrol/messages.js";
import { patrolRows, VERDICTS } from "../../patrol/rows.js";
import type { SceneProps } from "./types.js";

/** As many suspects as fill the card at 1080p with two lines of evidence each; the rest are counted. */
const LISTED = 9;

/**
 * 巡查核验 for leaders: the staff counted by verdict, and the suspects with
 * their reasons and evidence. Every name masked (patrolBriefing), as the
 * briefing masks names everywhere; no unit id, no phone.
 */
export function PatrolScene({ m, language }: SceneProps) {
  const state = usePatrolChecks();
  const units = useRoster();
  const places = usePlaces();
  const minute = Math.floor(useNow() / 60_000) * 60_000;
  const text = patrolMessages[language];
  const checks = state.state === "ready" ? state.checks : null;
  const briefing = useMemo(
    () => (checks ? patrolBriefing(patrolRows(checks.checks, units, places.names), text, minute, places.placeOf) : null),
    [checks, units, places, text, minute],
  );
  if (!checks || !briefing) {
    return (
      <section className="briefing-card briefing-full">
        <h2 className="briefing-card-title">{m.patrols}</h2>
        <p className="briefing-empty">{state.state === "error" ? m.noData : text.waiting}</p>
      </section>
    );
  }
  return (
    <div className="briefing-split briefing-split-narrow-left">
      <section className="briefing-card briefing-bignumber briefing-patrol-counts" data-testid="briefing-patrol-counts">
        <h2 className="briefing-card-title">{fill(m.patrolStaff, { count: briefing.staff })}</h2>
        <ul className="briefing-patrol-verdicts">
          {VERDICTS.map((verdict) => (
            <li key={verdict} className={`briefing-patrol-${verdict}`} data-verdict={verdict}>
              <span>
                <span aria-hidden="true">{VERDICT_ICONS[verdict]}</span> {verdictWord(verdict, text)}
              </span>
              <strong>{briefing.counts[verdict]}</strong>
            </li>
          ))}
        </ul>
        <p className="briefing-muted">{checks.source === "platform" ? text.sourcePlatform : text.sourceLive}</p>
      </section>
      <section className="briefing-card">
        <h2 className="briefing-card-title">{fill(m.patrolSuspects, { count: briefing.suspects.length })}</h2>
        {briefing.suspects.length === 0 ? (
          <p className="briefing-empty">{m.noSuspects}</p>
        ) : (
          <ul className="briefing-patrol-suspects">
            {briefing.suspects.slice(0, LISTED).map((suspect) => (
              <li key={suspect.key}>
                <div className="briefing-patrol-who">
                  <strong>{suspect.name}</strong>
                  <span>{suspect.role ? ROLE_NAMES[language][suspect.role] : ""}</span>
                  <span>{suspect.gridName}</span>
                  <span className="briefing-alarm">⚠ {suspect.reasons.join("、")}</span>
                </div>
                {suspect.evidence.slice(0, 2).map((line, i) => (
                  <p key={i} className="briefing-patrol-evidence">
                    {line}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        )}
        {briefing.suspects.length > LISTED ? <p className="briefing-muted">{fill(m.patrolMore, { count: briefing.suspects.length - LISTED })}</p> : null}
      </section>
    </div>
  );
}
