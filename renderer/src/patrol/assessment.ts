import type { AssessmentRow } from "../../../shared/bridge/contract.js";
import { DAY_MS } from "../../../shared/domain/kpi-time.js";
import { beijingParts, formatDate, startOfBeijingDay } from "../../../shared/domain/time.js";
import type { UnitRole } from "../../../shared/protocol/types.js";
import type { CsvValue } from "./csv.js";
import type { PatrolText } from "./messages.js";
import { compareNames, type RosterEntry } from "./rows.js";

/*
 * 考核: the engine's week per staff member (AssessmentRow) with the names the
 * page knows, sorted by any column, and the same rows as CSV. Weeks start on
 * Monday, Beijing time; a week is named by its Monday (YYYY-MM-DD).
 */

export type AssessmentLine = AssessmentRow & { name: string; role: UnitRole | null; roleName: string; gridCode: string; gridName: string; okShifts: number };

export const ASSESSMENT_COLUMNS = ["name", "role", "grid", "patrolHours", "ownGrids", "casesReported", "shifts", "okShifts", "suspectShifts", "insufficientShifts"] as const;
export type AssessmentColumn = (typeof ASSESSMENT_COLUMNS)[number];
export type SortDirection = "asc" | "desc";
export type AssessmentSort = { column: AssessmentColumn; direction: SortDirection };

export const TEXT_COLUMNS: ReadonlySet<AssessmentColumn> = new Set(["name", "role", "grid"]);

/** Monday of the Beijing week containing `ms`, as YYYY-MM-DD. */
export function mondayOf(ms: number): string {
  const day = startOfBeijingDay(ms);
  const sinceMonday = (beijingParts(day).weekday + 6) % 7;
  return formatDate(day - sinceMonday * DAY_MS);
}

/** The Monday `weeks` weeks before the one of `monday` (YYYY-MM-DD). */
export function weeksBefore(monday: string, weeks: number): string {
  return formatDate(Date.parse(`${monday}T12:00:00+08:00`) - weeks * 7 * DAY_MS);
}

/** The Sunday that ends the week starting on `monday`. */
export const sundayOf = (monday: string): string => formatDate(Date.parse(`${monday}T12:00:00+08:00`) + 6 * DAY_MS);

export function assessmentLines(rows: readonly AssessmentRow[], units: ReadonlyMap<string, RosterEntry>, gridNames: ReadonlyMap<string, string>, roleName: (role: UnitRole) => string): AssessmentLine[] {
  return rows.map((row) => {
    const unit = units.get(row.unitId);
    const gridCode = unit?.gridCode ?? "";
    return {
      ...row,
      name: unit?.name ?? row.unitId,
      role: unit?.role ?? null,
      roleName: unit ? roleName(unit.role) : "",
      gridCode,
      gridName: gridNames.get(gridCode) ?? gridCode,
      okShifts: Math.max(0, row.shifts - row.suspectShifts - row.insufficientShifts),
    };
  });
}

/** Own grids meeting the rule, as a share (a person with no own grid sorts below every share), then by count. */
function compareOwnGrids(a: AssessmentLine, b: AssessmentLine): number {
  const share = (line: AssessmentLine) => (line.ownGrids > 0 ? line.ownGridsMet / line.ownGrids : -1);
  return share(a) - share(b) || a.ownGridsMet - b.ownGridsMet;
}

const COMPARE: Record<AssessmentColumn, (a: AssessmentLine, b: AssessmentLine) => number> = {
  name: (a, b) => compareNames(a.name, b.name),
  role: (a, b) => compareNames(a.roleName, b.roleName),
  grid: (a, b) => compareNames(a.gridName, b.gridName),
  patrolHours: (a, b) => a.patrolHours - b.patrolHours,
  ownGrids: compareOwnGrids,
  casesReported: (a, b) => a.casesReported - b.casesReported,
  shifts: (a, b) => a.shifts - b.shifts,
  okShifts: (a, b) => a.okShifts - b.okShifts,
  suspectShifts: (a, b) => a.suspectShifts - b.suspectShifts,
  insufficientShifts: (a, b) => a.insufficientShifts - b.insufficientShifts,
};

/** Sorted by the column; ties by name, then id, always ascending so equal rows keep one order whichever way the column goes. */
export function sortAssessment(lines: readonly AssessmentLine[], sort: AssessmentSort): AssessmentLine[] {
  const sign = sort.direction === "asc" ? 1 : -1;
  const compare = COMPARE[sort.column];
  return [...lines].sort((a, b) => sign * compare(a, b) || compareNames(a.name, b.name) || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
}

/** A click on a column's header: the same column turns round; a new one starts ascending for words, descending for figures. */
export function nextSort(current: AssessmentSort, column: AssessmentColumn): AssessmentSort {
  if (current.column === column) return { column, direction: current.direction === "asc" ? "desc" : "asc" };
  return { column, direction: TEXT_COLUMNS.has(column) ? "asc" : "desc" };
}

/** Hours to one decimal, as a number (for the table and the CSV alike). */
export const roundHours = (hours: number): number => Math.round(hours * 10) / 10;

/** The CSV's rows: a header in the page's language, then one row per line, codes beside the names. */
export function assessmentTable(lines: readonly AssessmentLine[], week: string, text: PatrolText): CsvValue[][] {
  const header = [
    text.csvWeek,
    text.csvUnitId,
    text.colName,
    text.colRole,
    text.csvGridCode,
    text.colGrid,
    text.colHours,
    text.csvOwnGrids,
    text.csvOwnGridsMet,
    text.colCases,
    text.colShifts,
    text.colOk,
    text.colSuspect,
    text.colInsufficient,
  ];
  const body = lines.map((l) => [
    week,
    l.unitId,
    l.name,
    l.roleName,
    l.gridCode,
    l.gridName,
    roundHours(l.patrolHours),
    l.ownGrids,
    l.ownGridsMet,
    l.casesReported,
    l.shifts,
    l.okShifts,
    l.suspectShifts,
    l.insufficientShifts,
  ]);
  return [header, ...body];
}

/** `巡查考核-2026-11-30.csv` / `patrol-assessment-2026-11-30.csv`. */
export const assessmentFileName = (week: string, language: "zh-CN" | "en"): string => (language === "zh-CN" ? `巡查考核-${week}.csv` : `patrol-assessment-${week}.csv`);
