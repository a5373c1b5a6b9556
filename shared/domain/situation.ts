import type { ConsoleSettings, UnitView } from "../bridge/contract.js";
import type { KpiIncident } from "./kpi-time.js";
import { indexCategories } from "./deadlines.js";
import { kpiSummary, type KpiSummary } from "./kpi.js";
import { lastYearStretch, type KpiDay } from "./kpi-days.js";
import { areaRanking, categoryBreakdown, dailyTrend, type AreaCount, type AreaNames, type CategoryShare, type TrendDay } from "./kpi-breakdown.js";
import { departmentRanking, overdueLedger, type LedgerRow, type RankingRow } from "./kpi-departments.js";
import { hotSpots, type HotSpot } from "./hotspots.js";
import type { NotableCase } from "./notable.js";

/**
 * Everything the situation panels and briefing scenes draw. The engine keeps
 * it as cases change (electron/engine/situation/) and pushes it to the pages;
 * `computeSituation` here is the reference it is tested against: the plain
 * computation over every case. No personal data: counts, rates, department,
 * category and area names.
 */
export type Situation = {
  now: number;
  summary: KpiSummary;
  trend: TrendDay[];
  categories: CategoryShare[];
  ledger: LedgerRow[];
  ranking: RankingRow[];
  hotSpots: HotSpot[];
  communities: AreaCount[];
  grids: AreaCount[];
  /** The notable cases (open, overdue or urgent; shared/domain/notable.ts), first NOTABLE_CASES; absent from an engine that keeps none. */
  notable?: NotableCase[];
};

/** How many notable cases go with the situation: the export lists this many, the briefing its first few. */
export const NOTABLE_CASES = 30;

export function computeSituation(
  incidents: ReadonlyMap<string, KpiIncident>,
  units: ReadonlyMap<string, Pick<UnitView, "status">>,
  settings: Pick<ConsoleSettings, "categories" | "departments"> | null,
  names: AreaNames,
  now: number,
  archived: ReadonlyMap<string, KpiIncident> = new Map(),
  kpiDays: readonly KpiDay[] = [],
): Situation {
  const list = [...incidents.values()];
  // The figures count what happened, so a case the platform archived since still counts (a case it tracks again is counted once).
  const history: KpiIncident[] = [...list];
  for (const [id, record] of archived) if (!incidents.has(id)) history.push(record);
  const categories = indexCategories(settings?.categories ?? []);
  const departments = settings?.departments ?? [];
  // Archived cases count in the week's ranking and in the hot spots' baseline too: the platform archives within hours.
  const areas = areaRanking(history, names, now, { limit: 8 });
  return {
    now,
    summary: kpiSummary({ incidents: history, units: units.values(), now, categories, lastYear: lastYearStretch(kpiDays, now) }),
    trend: fromRecords(dailyTrend(history, now), kpiDays),
    categories: categoryBreakdown(history, now),
    ledger: overdueLedger(list, departments, now, categories),
    ranking: departmentRanking(history, departments, now, { categories }),
    hotSpots: hotSpots(history, now),
    communities: areas.communities,
    grids: areas.grids,
  };
}

/** A past day's bars are its recorded figures when the engine has them (kpi-days.ts): what archiving or pruning later does to its cases cannot move them. */
export function fromRecords(trend: TrendDay[], kpiDays: readonly KpiDay[]): TrendDay[] {
  if (kpiDays.length === 0) return trend;
  const byDate = new Map(kpiDays.map((day) => [day.date, day.metrics]));
  return trend.map((day) => {
    const recorded = byDate.get(day.date);
    return recorded ? { date: day.date, reported: recorded.reported, closed: recorded.closed } : day;
  });
}
