import { useMemo } from "react";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { useDataSelector } from "../state/context.js";
import { describeEvidence, reasonWord } from "./evidence.js";
import { usePatrolChecks, usePlaces } from "./hooks.js";
import { patrolMessages } from "./messages.js";
import { VerdictBadge } from "./PatrolList.js";

/** The staff card's patrol check: the verdict of the latest judged shift, its reasons and the evidence in words. */
export function UnitPatrolVerdict({ unitId }: { unitId: string }) {
  const t = useMessages(patrolMessages);
  const state = usePatrolChecks();
  const units = useDataSelector((s) => s.units);
  const places = usePlaces();
  const minute = Math.floor(useNow() / 60_000) * 60_000;
  const check = state.state === "ready" ? state.checks.checks.find((c) => c.unitId === unitId) : undefined;
  const evidence = useMemo(() => {
    const nameOf = (id: string) => units.get(id)?.name ?? fill(t.unknownUnit, { id });
    return (check?.shift?.evidence ?? []).map((finding) => describeEvidence(finding, { text: t, now: minute, nameOf, placeOf: places.placeOf }));
  }, [check, units, t, minute, places.placeOf]);
  if (state.state !== "ready") return null;
  const verdict = check?.verdict ?? "insufficient";
  return (
    <div className="patrol-card" data-testid="unit-patrol-verdict" data-verdict={verdict} data-reasons={(check?.reasons ?? []).join(" ")}>
      <div className="patrol-card__head">
        <span className="patrol-card__title">{t.cardVerdict}</span>
        <VerdictBadge verdict={verdict} text={t} />
        {(check?.reasons ?? []).map((reason) => (
          <span key={reason} className="patrol-reason" data-reason={reason}>
            {reasonWord(reason, t)}
          </span>
        ))}
      </div>
      {evidence.length > 0 && (
        <ul className="patrol-evidence">
          {evidence.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
