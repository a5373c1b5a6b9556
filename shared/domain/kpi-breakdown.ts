import { formatDate } from "./time.js";
import { createdAt, DAY_MS, lastDays, reachedAt, within, type KpiIncident } from "./kpi-time.js";

/*
 * How the cases spread over days, categories and places: the trend, the
 * category breakdown and the community/grid ranking of the wall's charts.
 */

export type TrendDay = { date: string; reported: number; closed: number };

/** 近N日趋势: cases reported and closed per Beijing day, oldest first, today (so far) last. */
export function dailyTrend(incidents: Iterable<KpiIncident>, now: number, days = 7): TrendDay[] {
  const window = lastDays(now, days);
  const trend: TrendDay[] = Array.from({ length: days }, (_, i) => ({ date: formatDate(window.start + i * DAY_MS), reported: 0, closed: 0 }));
  const slot = (at: number) => trend[Math.floor((at - window.start) / DAY_MS)];
  for (const incident of incidents) {
    const created = createdAt(incident);
    if (within(created, window)) {
      const day = slot(created);
      if (day) day.reported++;
    }
    const closed = reachedAt(incident, "closed");
    if (within(closed, window)) {
      const day = slot(closed);
      if (day) day.closed++;
    }
  }
  return trend;
}

export type CategoryShare = { major: string; count: number; share: number };

/** 类别分布: cases reported in the last `days` Beijing days by major category, most first (ties by name, so the order is stable). */
export function categoryBreakdown(incidents: Iterable<KpiIncident>, now: number, days = 7): CategoryShare[] {
  const window = lastDays(now, days);
  const counts = new Map<string, number>();
  let total = 0;
  for (const incident of incidents) {
    if (!within(createdAt(incident), window)) continue;
    counts.set(incident.category.major, (counts.get(incident.category.major) ?? 0) + 1);
    total++;
  }
  return [...counts]
    .map(([major, count]) => ({ major, count, share: count / total }))
    .sort((a, b) => b.count - a.count || a.major.localeCompare(b.major, "zh-CN"));
}

export type AreaCount = { code: string; name: string; count: number };
/** Names of areas by code, from the region layer. */
export type AreaNames = ReadonlyMap<string, string>;

/** A grid code is its community's 12-digit code followed by three digits. */
export const communityOf = (gridCode: string): string => gridCode.slice(0, 12);

/**
 * 社区/网格排名: cases reported in the last `days` Beijing days per community
 * and per grid, most first, at most `limit` each. An area missing from the
 * region layer is shown by its code: the platform may know grids the console's
 * layer does not, and hiding their cases would understate the load.
 */
export function areaRanking(
  incidents: Iterable<KpiIncident>,
  names: AreaNames,
  now: number,
  options: { days?: number; limit?: number } = {},
): { communities: AreaCount[]; grids: AreaCount[] } {
  const window = lastDays(now, options.days ?? 7);
  const limit = options.limit ?? 10;
  const grids = new Map<string, number>();
  const communities = new Map<string, number>();
  for (const incident of incidents) {
    if (!within(createdAt(incident), window) || incident.gridCode === "") continue;
    grids.set(incident.gridCode, (grids.get(incident.gridCode) ?? 0) + 1);
    const community = communityOf(incident.gridCode);
    communities.set(community, (communities.get(community) ?? 0) + 1);
  }
  const rank = (counts: Map<string, number>): AreaCount[] =>
    [...counts]
      .map(([code, count]) => ({ code, name: names.get(code) ?? code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, limit);
  return { communities: rank(communities), grids: rank(grids) };
}
