import { memo, useCallback, useMemo, useState } from "react";
import type { PatrolChecks, PatrolVerdict } from "../../../shared/bridge/contract.js";
import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { formatShort } from "../../../shared/domain/time.js";
import { ROLE_NAMES } from "../app/labels.js";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import type { Language } from "../state/ui.js";
import { clockMinutes, describeEvidence, distance, reasonWord, timeRange, VERDICT_ICONS, verdictWord, type EvidenceContext } from "./evidence.js";
import { usePatrolChecks, usePlaces, useRoster } from "./hooks.js";
import { patrolMessages, type PatrolText } from "./messages.js";
import { countVerdicts, nameOrder, patrolRows, VERDICTS, type PatrolRow } from "./rows.js";

/**
 * Rows drawn at first. A district's 1,800 staff are all drawn (each row is
 * a handful of elements, laid out only when scrolled to: `content-visibility`);
 * a city's 60,000 would not be, so the rest come a page at a time.
 */
const PAGE = 2500;
/** Findings worded per row; a shift with more (a device jumping all evening) says how many more, the staff card has them all. */
const EVIDENCE_SHOWN = 3;

/** The patrol check list: one row per staff member, suspects first; a row opens the staff card and draws the shift on the map. */
export function PatrolList() {
  const t = useMessages(patrolMessages);
  const state = usePatrolChecks();
  if (state.state === "loading") return <p className="patrol-notice">{t.waiting}</p>;
  if (state.state === "error") return <p className="patrol-notice patrol-notice--error">⚠ {fill(t.failed, { reason: state.reason })}</p>;
  return <CheckedList checks={state.checks} />;
}

function CheckedList({ checks }: { checks: PatrolChecks }) {
  const t = useMessages(patrolMessages);
  const { ui } = useConsole();
  const language = useUiSelector((s) => s.language);
  const selectedUnitId = useUiSelector((s) => s.selectedUnitId);
  const units = useRoster();
  const places = usePlaces();
  // A minute is fine enough: it only decides whether a finding's day is named.
  const minute = Math.floor(useNow() / 60_000) * 60_000;
  const order = useMemo(() => nameOrder(units), [units]);
  const rows = useMemo(() => patrolRows(checks.checks, units, places.names, order), [checks, units, places.names, order]);
  const counts = useMemo(() => countVerdicts(rows), [rows]);
  const [shown, setShown] = useState(PAGE);
  // A count in the header doubles as a filter: only that verdict's rows, until it is pressed again.
  const [only, setOnly] = useState<PatrolVerdict | null>(null);
  const listed = useMemo(() => (only ? rows.filter((row) => row.verdict === only) : rows), [rows, only]);
  const nameOf = useMemo(() => {
    const names = new Map(rows.map((row) => [row.unitId, row.name]));
    return (unitId: string) => names.get(unitId) ?? fill(t.unknownUnit, { id: unitId });
  }, [rows, t]);
  const context = useMemo<EvidenceContext>(() => ({ text: t, now: minute, nameOf, placeOf: places.placeOf }), [t, minute, nameOf, places.placeOf]);
  // With a judged shift the map shows that shift whole; without one it flies to where the person is now.
  const select = useCallback(
    (row: PatrolRow) =>
      ui.update(
        row.shift
          ? { selectedUnitId: row.unitId, selectedIncidentId: null, shiftFocusUnitId: row.unitId }
          : { selectedUnitId: row.unitId, selectedIncidentId: null, shiftFocusUnitId: null, focusRequest: ui.getState().focusRequest + 1 },
      ),
    [ui],
  );

  return (
    <div className="patrol-list">
      <PatrolSummary checks={checks} counts={counts} text={t} only={only} onOnly={(verdict) => setOnly((current) => (current === verdict ? null : verdict))} />
      {listed.length === 0 ? (
        <p className="patrol-notice">{t.empty}</p>
      ) : (
        <ol className="patrol-rows" aria-label={t.title}>
          {listed.slice(0, shown).map((row) => (
            <PatrolRowView key={row.unitId} row={row} selected={row.unitId === selectedUnitId} context={context} language={language} onSelect={select} />
          ))}
        </ol>
      )}
      {listed.length > shown && (
        <button type="button" className="button patrol-more" onClick={() => setShown((n) => n + PAGE)}>
          {fill(t.showMore, { count: listed.length - shown })}
        </button>
      )}
    </div>
  );
}

type SummaryProps = { checks: PatrolChecks; counts: Record<PatrolVerdict, number>; text: PatrolText; only: PatrolVerdict | null; onOnly: (verdict: PatrolVerdict) => void };

export function PatrolSummary({ checks, counts, text, only, onOnly }: SummaryProps) {
  return (
    <div className="patrol-summary" data-testid="patrol-summary" data-source={checks.source}>
      <div className="patrol-summary__counts" role="group" aria-label={text.filter}>
        {VERDICTS.map((verdict) => (
          <button
            key={verdict}
            type="button"
            className={`patrol-count patrol-verdict--${verdict}${only === verdict ? " patrol-count--on" : ""}`}
            data-verdict={verdict}
            aria-pressed={only === verdict}
            onClick={() => onOnly(verdict)}
          >
            <span aria-hidden="true">{VERDICT_ICONS[verdict]}</span> {verdictWord(verdict, text)} <strong>{counts[verdict]}</strong>
          </button>
        ))}
        {only && <span className="patrol-summary__filter">{text.filtered}</span>}
      </div>
      <div className="patrol-summary__source">
        <span>{checks.source === "platform" ? text.sourcePlatform : text.sourceLive}</span>
        <span>{checks.coveredFrom !== null ? fill(text.coveredFrom, { time: formatShort(checks.coveredFrom) }) : text.noCoverage}</span>
        <span>{fill(text.computedAt, { time: clockMinutes(Date.parse(checks.computedAt)) })}</span>
      </div>
    </div>
  );
}

type RowProps = { row: PatrolRow; selected: boolean; context: EvidenceContext; language: Language; onSelect: (row: PatrolRow) => void };

const PatrolRowView = memo(function PatrolRowView({ row, selected, context, language, onSelect }: RowProps) {
  const t = context.text;
  const shift = row.shift;
  return (
    <li
      className={`patrol-row patrol-row--${row.verdict}${selected ? " patrol-row--selected" : ""}`}
      data-testid="patrol-check"
      data-unit-id={row.unitId}
      data-verdict={row.verdict}
      data-reasons={row.reasons.join(" ")}
      aria-current={selected ? "true" : undefined}
      onClick={() => onSelect(row)}
    >
      <div className="patrol-row__head">
        <VerdictBadge verdict={row.verdict} text={t} />
        {/* The row takes the click (this button's bubbles up to it); the button gives the row a place in the tab order. */}
        <button type="button" className="patrol-row__name">
          {row.name}
        </button>
        <span className="patrol-row__meta">
          {row.role ? ROLE_NAMES[language][row.role] : ""}
          {row.gridName ? ` · ${row.gridName}` : ""}
        </span>
      </div>
      {row.reasons.length > 0 && (
        <div className="patrol-reasons">
          {row.reasons.map((reason) => (
            <span key={reason} className="patrol-reason" data-reason={reason}>
              {reasonWord(reason, t)}
            </span>
          ))}
        </div>
      )}
      {shift && shift.evidence.length > 0 && (
        <ul className="patrol-evidence">
          {shift.evidence.slice(0, EVIDENCE_SHOWN).map((evidence, i) => (
            <li key={i}>{describeEvidence(evidence, context)}</li>
          ))}
          {shift.evidence.length > EVIDENCE_SHOWN && <li className="patrol-evidence__more">{fill(t.moreEvidence, { count: shift.evidence.length - EVIDENCE_SHOWN })}</li>}
        </ul>
      )}
      <div className="patrol-row__shift">
        {shift
          ? fill(t.shift, { range: timeRange(shift.from, shift.to, context.now, t), fixes: shift.fixes, distance: distance(shift.distanceM, t) })
          : fill(t.noShift, { days: TRACK_DAYS })}
        {row.suspectShifts > 0 ? ` · ${fill(t.suspectShifts, { count: row.suspectShifts, total: row.shifts, days: TRACK_DAYS })}` : ""}
      </div>
    </li>
  );
}, sameRow);

/** The rows are made again whenever any unit changes (a status, a fix): a row redraws only when what it shows did. */
function sameRow(a: RowProps, b: RowProps): boolean {
  const x = a.row;
  const y = b.row;
  return (
    a.selected === b.selected &&
    a.context === b.context &&
    a.language === b.language &&
    a.onSelect === b.onSelect &&
    x.unitId === y.unitId &&
    x.name === y.name &&
    x.role === y.role &&
    x.gridName === y.gridName &&
    x.verdict === y.verdict &&
    x.reasons === y.reasons &&
    x.shift === y.shift &&
    x.shifts === y.shifts &&
    x.suspectShifts === y.suspectShifts
  );
}

export function VerdictBadge({ verdict, text }: { verdict: PatrolVerdict; text: PatrolText }) {
  return (
    <span className={`patrol-verdict patrol-verdict--${verdict}`} data-verdict={verdict}>
      <span aria-hidden="true">{VERDICT_ICONS[verdict]}</span> {verdictWord(verdict, text)}
    </span>
  );
}
