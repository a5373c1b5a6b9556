import type { ConsoleSettings, IncidentView, UnitView } from "../../../shared/bridge/contract.js";
import { indexCategories } from "../../../shared/domain/deadlines.js";
import { kpiSummary, type KpiSummary } from "../../../shared/domain/kpi.js";
import { areaRanking, categoryBreakdown, dailyTrend, type AreaCount, type AreaNames, type CategoryShare, type TrendDay } from "../../../shared/domain/kpi-breakdown.js";
import { departmentRanking, overdueLedger, type LedgerRow, type RankingRow } from "../../../shared/domain/kpi-departments.js";
import { hotSpots, type HotSpot } from "../../../shared/domain/hotspots.js";

/** Everything the situation panels and briefing scenes draw, computed in one pass over the store. */
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
};

export function computeSituation(
  incidents: ReadonlyMap<string, IncidentView>,
  units: ReadonlyMap<string, UnitView>,
  settings: ConsoleSettings | null,
  names: AreaNames,
  now: number,
): Situation {
  const list = [...incidents.values()];
  const categories = indexCategories(settings?.categories ?? []);
  const departments = settings?.departments ?? [];
  const areas = areaRanking(list, names, now, { limit: 8 });
  return {
    now,
    summary: kpiSummary({ incidents: list, units: units.values(), now, categories }),
    trend: dailyTrend(list, now),
    categories: categoryBreakdown(list, now),
    ledger: overdueLedger(list, departments, now, categories),
    ranking: departmentRanking(list, departments, now, { categories }),
    hotSpots: hotSpots(list, now),
    communities: areas.communities,
    grids: areas.grids,
  };
}
