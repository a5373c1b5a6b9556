import { memo, useCallback, useEffect, useMemo, useState } from "react";
import type { Assessment } from "../../../shared/bridge/contract.js";
import { WEEKLY_MINIMUM_VISITS } from "../../../shared/domain/coverage.js";
import { MIN_SHIFT_FIXES, MIN_SHIFT_MINUTES, SHIFT_GAP_MINUTES, TRACK_DAYS, VISIT_MINUTES } from "../../../shared/domain/patrol.js";
import { ROLE_NAMES } from "../app/labels.js";
import { useNow } from "../app/ticker.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import {
  ASSESSMENT_COLUMNS,
  assessmentFileName,
  assessmentLines,
  assessmentTable,
  mondayOf,
  nextSort,
  roundHours,
  sortAssessment,
  sundayOf,
  TEXT_COLUMNS,
  weeksBefore,
  type AssessmentColumn,
  type AssessmentLine,
  type AssessmentSort,
} from "./assessment.js";
import { downloadCsv, toCsv } from "./csv.js";
import { dateName } from "./evidence.js";
import { usePlaces, useRoster } from "./hooks.js";
import { patrolMessages, type PatrolText } from "./messages.js";

type WeekChoice = "this" | "last";
type Loaded = { state: "loading" } | { state: "error"; reason: string } | { state: "ready"; assessment: Assessment };

const HEADINGS: Record<AssessmentColumn, keyof PatrolText> = {
  name: "colName",
  role: "colRole",
  grid: "colGrid",
  patrolHours: "colHours",
  ownGrids: "colOwnGrids",
  casesReported: "colCases",
  shifts: "colShifts",
  okShifts: "colOk",
  suspectShifts: "colSuspect",
  insufficientShifts: "colInsufficient",
};

/** 考核: each staff member's week, sortable by any column, with the definitions under it and a CSV for the assessment office. */
export function AssessmentView() {
  const t = useMessages(patrolMessages);
  const { bridge } = useConsole();
  const language = useUiSelector((s) => s.language);
  const units = useRoster();
  // A new verdict changes the week's shift counts: ask again when the engine pushes new checks.
  const checksAt = useDataSelector((s) => s.patrolChecks?.computedAt ?? "");
  const places = usePlaces();
  const thisMonday = mondayOf(useNow());
  const [choice, setChoice] = useState<WeekChoice>("this");
  const week = choice === "this" ? thisMonday : weeksBefore(thisMonday, 1);
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [sort, setSort] = useState<AssessmentSort>({ column: "name", direction: "asc" });

  useEffect(() => {
    let live = true;
    bridge.call("getAssessment", { week }).then(
      (result) => {
        if (live) setLoaded(result.ok ? { state: "ready", assessment: result.value } : { state: "error", reason: `${result.error.code}: ${result.error.message}` });
      },
      (error: unknown) => {
        if (live) setLoaded({ state: "error", reason: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [bridge, week, checksAt]);

  const rows = loaded.state === "ready" && loaded.assessment.week === week ? loaded.assessment.rows : null;
  const lines = useMemo(() => (rows ? sortAssessment(assessmentLines(rows, units, places.names, (role) => ROLE_NAMES[language][role]), sort) : []), [rows, units, places.names, language, sort]);
  // Stable, so the memoised table (a district's 1,800 rows) is not drawn again on every tick of the clock above it.
  const onSort = useCallback((column: AssessmentColumn) => setSort((s) => nextSort(s, column)), []);
  const exportCsv = () => downloadCsv(toCsv(assessmentTable(lines, week, t)), assessmentFileName(week, language));

  return (
    <div className="assessment" data-testid="assessment" data-week={week}>
      <div className="assessment__bar">
        <div className="segmented" role="radiogroup" aria-label={t.assessment}>
          {(["this", "last"] as const).map((option) => (
            <button key={option} type="button" role="radio" aria-checked={choice === option} className={`button${choice === option ? " button--on" : ""}`} data-week-choice={option} onClick={() => setChoice(option)}>
              {option === "this" ? t.thisWeek : t.lastWeek}
            </button>
          ))}
        </div>
        <span className="assessment__week">{fill(t.weekOf, { from: dateName(week, t), to: dateName(sundayOf(week), t) })}</span>
        <button type="button" className="button button--primary" data-testid="assessment-export" disabled={!rows || lines.length === 0} onClick={exportCsv}>
          ⤓ {t.exportCsv}
        </button>
      </div>
      <div className="assessment__scroll">
        {loaded.state === "error" ? (
          <p className="patrol-notice patrol-notice--error">⚠ {fill(t.failed, { reason: loaded.reason })}</p>
        ) : !rows ? (
          <p className="patrol-notice">{t.waiting}</p>
        ) : lines.length === 0 ? (
          <p className="patrol-notice">{t.noRows}</p>
        ) : (
          <AssessmentTable lines={lines} sort={sort} onSort={onSort} text={t} />
        )}
      </div>
      <AssessmentLegend text={t} />
    </div>
  );
}

const AssessmentTable = memo(function AssessmentTable({ lines, sort, onSort, text }: { lines: AssessmentLine[]; sort: AssessmentSort; onSort: (column: AssessmentColumn) => void; text: PatrolText }) {
  return (
    <table className="assessment-table">
      <thead>
        <tr>
          {ASSESSMENT_COLUMNS.map((column) => {
            const sorted = sort.column === column;
            return (
              <th key={column} scope="col" className={TEXT_COLUMNS.has(column) ? "" : "num"} aria-sort={sorted ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}>
                <button type="button" data-column={column} onClick={() => onSort(column)}>
                  {text[HEADINGS[column]]}
                  <span className="assessment-sort" aria-hidden="true">
                    {sorted ? (sort.direction === "asc" ? " ▲" : " ▼") : " ↕"}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.unitId} data-testid="assessment-row" data-unit-id={line.unitId}>
            <td>{line.name}</td>
            <td>{line.roleName}</td>
            <td>{line.gridName}</td>
            <td className="num">{roundHours(line.patrolHours).toFixed(1)}</td>
            <td className={`num${line.ownGrids > 0 && line.ownGridsMet < line.ownGrids ? " assessment-short" : ""}`}>
              {line.ownGridsMet} / {line.ownGrids}
            </td>
            <td className="num">{line.casesReported}</td>
            <td className="num">{line.shifts}</td>
            <td className="num">{line.okShifts}</td>
            <td className={`num${line.suspectShifts > 0 ? " assessment-suspect" : ""}`}>{line.suspectShifts > 0 ? `⚠ ${line.suspectShifts}` : 0}</td>
            <td className="num">{line.insufficientShifts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

/** The definitions, worded from the same constants the engine judges by (shared/domain/patrol.ts, coverage.ts). */
export function AssessmentLegend({ text }: { text: PatrolText }) {
  const figures = { gap: SHIFT_GAP_MINUTES, weekly: WEEKLY_MINIMUM_VISITS, visit: VISIT_MINUTES, fixes: MIN_SHIFT_FIXES, minutes: MIN_SHIFT_MINUTES, days: TRACK_DAYS };
  return (
    <section className="assessment-legend" aria-label={text.definitions} data-testid="assessment-definitions">
      <h3>{text.definitions}</h3>
      <ul>
        {(["defHours", "defOwnGrids", "defCases", "defShifts", "defSuspect"] as const).map((key) => (
          <li key={key}>{fill(text[key], figures)}</li>
        ))}
      </ul>
    </section>
  );
}
