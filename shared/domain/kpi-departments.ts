import type { Department } from "../bridge/contract.js";
import type { CategoryIndex } from "./deadlines.js";
import { lastDays, overdueAt, reachedAt, within, type KpiIncident } from "./kpi-time.js";

/*
 * Department evaluation: the overdue ledger 挂账榜 and the ranking. Every
 * configured department appears, cases or not, because a department with
 * nothing held against it is news on the wall too; departments the platform
 * names but the settings do not are added after them, in id order.
 */

export type LedgerRow = { departmentId: string; name: string; overdue: number };

/** The ledger row of overdue cases no department holds yet (not registered or not dispatched): the sub-center's own backlog. */
export const UNASSIGNED = "";

/**
 * 挂账榜: open cases past their deadline now, per responsible department; most
 * first, ties in settings order. Overdue cases not yet dispatched are held
 * against the sub-center itself, in a row with departmentId UNASSIGNED (only
 * when there are any), so the board adds up to the wall's overdue count.
 */
export function overdueLedger(
  incidents: Iterable<KpiIncident>,
  departments: readonly Pick<Department, "id" | "name">[],
  now: number,
  categories?: CategoryIndex,
): LedgerRow[] {
  const rows = new Map<string, LedgerRow>(departments.map((d) => [d.id, { departmentId: d.id, name: d.name, overdue: 0 }]));
  for (const incident of incidents) {
    if (!overdueAt(incident, now, categories)) continue;
    const id = incident.department?.id ?? UNASSIGNED;
    const row = rows.get(id) ?? { departmentId: id, name: incident.department?.name ?? "", overdue: 0 };
    row.overdue++;
    rows.set(id, row);
  }
  return byOverdue(configuredFirst(rows, departments));
}

/**
 * The configured departments' rows in settings order, then the others in id
 * order: ties keep this order, so the board never depends on the order the
 * cases happen to be held in (the engine keeps it from its own buckets).
 */
export function configuredFirst<T extends { departmentId: string }>(rows: ReadonlyMap<string, T>, departments: readonly Pick<Department, "id">[]): T[] {
  const configured = new Set(departments.map((d) => d.id));
  const others = [...rows.values()].filter((row) => !configured.has(row.departmentId)).sort((a, b) => (a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : 0));
  return [...[...rows.values()].filter((row) => configured.has(row.departmentId)), ...others];
}

/**
 * The ledger split in two: the sub-center's own backlog (overdue cases it has
 * not dispatched yet, the UNASSIGNED row) is not a department's debt and is
 * shown apart from the departments' rows, which keep their order.
 */
export function splitLedger(ledger: readonly LedgerRow[]): { ownBacklog: number; departments: LedgerRow[] } {
  let ownBacklog = 0;
  const departments: LedgerRow[] = [];
  for (const row of ledger) {
    if (row.departmentId === UNASSIGNED) ownBacklog += row.overdue;
    else departments.push(row);
  }
  return { ownBacklog, departments };
}

export type RankingRow = {
  departmentId: string;
  name: string;
  /** Cases dispatched to the department in the window. */
  dispatched: number;
  /** Cases of the department closed in the window. */
  closed: number;
  /** Of those, closed on or before closeBy. */
  closedOnTime: number;
  /** 按期结案率 closedOnTime ÷ closed; null when the department closed nothing. */
  onTimeRate: number | null;
  /** Open and overdue now. */
  overdue: number;
};

/**
 * 部门考评排名 over the last `days` Beijing days: by on-time closure rate
 * (highest first; departments with nothing closed last, since they cannot be
 * rated), then by cases closed (more work done ranks higher at an equal rate),
 * then by fewer overdue cases.
 */
export function departmentRanking(
  incidents: Iterable<KpiIncident>,
  departments: readonly Pick<Department, "id" | "name">[],
  now: number,
  options: { days?: number; categories?: CategoryIndex } = {},
): RankingRow[] {
  const window = lastDays(now, options.days ?? 7);
  const rows = new Map<string, RankingRow>();
  const row = (id: string, name: string): RankingRow => {
    let found = rows.get(id);
    if (!found) {
      found = { departmentId: id, name, dispatched: 0, closed: 0, closedOnTime: 0, onTimeRate: null, overdue: 0 };
      rows.set(id, found);
    }
    return found;
  };
  for (const d of departments) row(d.id, d.name);
  for (const incident of incidents) {
    if (!incident.department) continue;
    const r = row(incident.department.id, incident.department.name);
    if (within(reachedAt(incident, "dispatched"), window)) r.dispatched++;
    const closedAt = reachedAt(incident, "closed");
    if (within(closedAt, window)) {
      r.closed++;
      const closeBy = incident.closeBy === undefined ? Number.NaN : Date.parse(incident.closeBy);
      if (!Number.isFinite(closeBy) || closedAt <= closeBy) r.closedOnTime++;
    }
    if (overdueAt(incident, now, options.categories)) r.overdue++;
  }
  const ranked = configuredFirst(rows, departments).map((r) => ({ ...r, onTimeRate: r.closed === 0 ? null : r.closedOnTime / r.closed }));
  return rankByOnTime(ranked);
}

/** The ledger's order: most overdue first, ties in the order given (configuredFirst's). */
export function byOverdue<T extends { overdue: number }>(rows: T[]): T[] {
  return stableSort(rows, (a, b) => b.overdue - a.overdue);
}

/** The ranking's order: on-time rate (none last), then more closed, then fewer overdue; ties in the order given. */
export function rankByOnTime<T extends { onTimeRate: number | null; closed: number; overdue: number }>(rows: T[]): T[] {
  return stableSort(rows, (a, b) => {
    if (a.onTimeRate !== b.onTimeRate) {
      if (a.onTimeRate === null) return 1;
      if (b.onTimeRate === null) return -1;
      return b.onTimeRate - a.onTimeRate;
    }
    return b.closed - a.closed || a.overdue - b.overdue;
  });
}

function stableSort<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => compare(a.item, b.item) || a.index - b.index).map((x) => x.item);
}
