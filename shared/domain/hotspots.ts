import { createdAt, DAY_MS, historyStart, type KpiIncident } from "./kpi-time.js";
import { startOfBeijingDay } from "./time.js";

/*
 * Hot spots: grids whose case count today stands well above their own recent
 * baseline. A grid is judged against itself, not against the district, because
 * a market street is always busier than a quiet lane: what matters to the
 * leader is the lane that is suddenly busy.
 *
 * Rule: today ≥ max(floor, mean + 2·sd) of the grid's daily counts over the
 * previous `baselineDays` whole Beijing days (population sd; days without
 * cases count as 0). The floor (3) keeps a grid going from 0 to 1 case from
 * being called hot: with a quiet baseline, mean + 2·sd is near 0.
 */

export type HotSpot = {
  gridCode: string;
  today: number;
  /** Mean cases per day over the baseline days. */
  mean: number;
  sd: number;
  threshold: number;
  /** How many whole days the baseline used (fewer than asked when history is short). */
  baselineDays: number;
};

export type HotSpotOptions = { baselineDays?: number; floor?: number; sigmas?: number; historySince?: number };

export function hotSpots(incidents: Iterable<KpiIncident>, now: number, options: HotSpotOptions = {}): HotSpot[] {
  const floor = options.floor ?? 3;
  const sigmas = options.sigmas ?? 2;
  const todayStart = startOfBeijingDay(now);
  const list = [...incidents];
  const since = options.historySince ?? historyStart(list);
  // Only whole days the data fully covers make a fair baseline; a day half outside the history would look quiet.
  const asked = options.baselineDays ?? 7;
  const covered = since === undefined ? 0 : Math.floor((todayStart - since) / DAY_MS);
  const days = Math.max(0, Math.min(asked, covered));
  if (days === 0) return [];
  const baselineStart = todayStart - days * DAY_MS;

  const counts = new Map<string, { today: number; daily: number[] }>();
  for (const incident of list) {
    const at = createdAt(incident);
    if (at === undefined || at < baselineStart || at >= now || incident.gridCode === "") continue;
    let grid = counts.get(incident.gridCode);
    if (!grid) {
      grid = { today: 0, daily: new Array<number>(days).fill(0) };
      counts.set(incident.gridCode, grid);
    }
    if (at >= todayStart) grid.today++;
    else {
      const day = Math.floor((at - baselineStart) / DAY_MS);
      grid.daily[day] = (grid.daily[day] ?? 0) + 1;
    }
  }

  const spots: HotSpot[] = [];
  for (const [gridCode, { today, daily }] of counts) {
    const mean = daily.reduce((a, b) => a + b, 0) / days;
    const sd = Math.sqrt(daily.reduce((a, b) => a + (b - mean) ** 2, 0) / days);
    const threshold = Math.max(floor, mean + sigmas * sd);
    if (today >= threshold) spots.push({ gridCode, today, mean, sd, threshold, baselineDays: days });
  }
  // Most unusual first: how far above its own threshold, then raw count.
  return spots.sort((a, b) => b.today / b.threshold - a.today / a.threshold || b.today - a.today || a.gridCode.localeCompare(b.gridCode));
}
