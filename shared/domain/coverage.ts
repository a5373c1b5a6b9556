import type { CoverageSummary } from "../bridge/contract.js";
import { DAY_MS } from "./kpi-time.js";

/*
 * Patrol coverage from the staff's tracks (CoverageSummary, computed by the
 * engine). The local rule is that every grid is walked at least
 * `weeklyMinimum` times a week; the week is the last seven Beijing days,
 * today included, so the figure moves every day rather than jumping on Mondays.
 */

export const WEEKLY_MINIMUM_VISITS = 3;

/** A grid below the weekly rule: its visits in the week, and the Beijing date of its last visit in it (null: none in the week). */
export type GridShortfall = { gridCode: string; visits: number; lastVisit: string | null };

export type CoverageReport = {
  /** Grids of the layer. */
  grids: number;
  /** Grids visited at least once today. */
  visitedToday: number;
  /** visitedToday ÷ grids; null for an empty layer. */
  todayShare: number | null;
  /** Grids below the weekly rule, fewest visits first (ties by code). */
  belowWeekly: GridShortfall[];
  weeklyMinimum: number;
  /** How many of the seven days the summary holds; fewer than 7 means the weekly figure covers a shorter stretch. */
  daysCovered: number;
};

/** The seven Beijing dates ending at `today` (YYYY-MM-DD), oldest first. */
export function weekDates(today: string): string[] {
  const end = Date.parse(`${today}T00:00:00.000+08:00`);
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(end - (6 - i) * DAY_MS + 8 * 3_600_000);
    return d.toISOString().slice(0, 10);
  });
}

export function coverageReport(summary: CoverageSummary, gridCodes: readonly string[], weeklyMinimum = WEEKLY_MINIMUM_VISITS): CoverageReport {
  const dates = weekDates(summary.today);
  const todayVisits = summary.visitsByDay[summary.today] ?? {};
  let visitedToday = 0;
  const belowWeekly: GridShortfall[] = [];
  for (const gridCode of gridCodes) {
    if ((todayVisits[gridCode] ?? 0) > 0) visitedToday++;
    let visits = 0;
    let lastVisit: string | null = null;
    for (const date of dates) {
      const count = summary.visitsByDay[date]?.[gridCode] ?? 0;
      visits += count;
      if (count > 0) lastVisit = date;
    }
    if (visits < weeklyMinimum) belowWeekly.push({ gridCode, visits, lastVisit });
  }
  belowWeekly.sort((a, b) => a.visits - b.visits || (a.lastVisit ?? "").localeCompare(b.lastVisit ?? "") || a.gridCode.localeCompare(b.gridCode));
  return {
    grids: gridCodes.length,
    visitedToday,
    todayShare: gridCodes.length === 0 ? null : visitedToday / gridCodes.length,
    belowWeekly,
    weeklyMinimum,
    daysCovered: dates.filter((d) => summary.visitsByDay[d] !== undefined).length,
  };
}
