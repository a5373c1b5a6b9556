import type { PatrolCheck, PatrolReason, PatrolShift, PatrolVerdict, UnitView } from "../../../shared/bridge/contract.js";
import type { UnitRole } from "../../../shared/protocol/types.js";

/*
 * The patrol check list as rows: one per staff member, the roster joined with
 * the engine's checks. A staff member the engine has not judged (no check
 * yet) has too little data: `insufficient`, never `ok`. Suspects first, then
 * insufficient, then ok; within a group by name (Chinese collation: pinyin).
 */

export type PatrolRow = {
  unitId: string;
  /** The name as the roster has it, or the unit id for a check of a unit no longer on the roster. */
  name: string;
  role: UnitRole | null;
  gridCode: string;
  gridName: string;
  verdict: PatrolVerdict;
  reasons: readonly PatrolReason[];
  shift: PatrolShift | null;
  shifts: number;
  suspectShifts: number;
};

export const VERDICTS: readonly PatrolVerdict[] = ["suspect", "insufficient", "ok"];
/** One empty list for every unjudged row, so a row compares equal to its previous self (PatrolList's memo). */
const NO_REASONS: readonly PatrolReason[] = [];
const VERDICT_RANK: Record<PatrolVerdict, number> = { suspect: 0, insufficient: 1, ok: 2 };

const collator = new Intl.Collator("zh-CN");
export const compareNames = (a: string, b: string): number => collator.compare(a, b);

export function comparePatrolRows(a: PatrolRow, b: PatrolRow): number {
  return VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || compareNames(a.name, b.name) || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0);
}

/** What a row needs of a unit: a status change or a new fix leaves it as it was. */
export type RosterEntry = Pick<UnitView, "id" | "name" | "role" | "gridCode">;

/** Whether two rosters name the same people with the same roles and grids (a linear pass; sorting is what costs). */
export function sameRoster(a: ReadonlyMap<string, RosterEntry>, b: ReadonlyMap<string, RosterEntry>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y || x.name !== y.name || x.role !== y.role || x.gridCode !== y.gridCode) return false;
  }
  return true;
}

/** The roster's ids by name (pinyin), then id: sorted once per roster, so a new set of checks costs a linear pass. */
export function nameOrder(units: ReadonlyMap<string, RosterEntry>): string[] {
  return [...units.values()].sort((a, b) => compareNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((unit) => unit.id);
}

export function patrolRows(checks: readonly PatrolCheck[], units: ReadonlyMap<string, RosterEntry>, gridNames: ReadonlyMap<string, string>, order: readonly string[] = nameOrder(units)): PatrolRow[] {
  const byUnit = new Map(checks.map((check) => [check.unitId, check]));
  const row = (unitId: string, unit: RosterEntry | undefined, check: PatrolCheck | undefined): PatrolRow => {
    const gridCode = unit?.gridCode ?? "";
    return {
      unitId,
      name: unit?.name ?? unitId,
      role: unit?.role ?? null,
      gridCode,
      gridName: gridNames.get(gridCode) ?? gridCode,
      verdict: check?.verdict ?? "insufficient",
      reasons: check?.reasons ?? NO_REASONS,
      shift: check?.shift ?? null,
      shifts: check?.shifts ?? 0,
      suspectShifts: check?.suspectShifts ?? 0,
    };
  };
  const groups: Record<PatrolVerdict, PatrolRow[]> = { suspect: [], insufficient: [], ok: [] };
  for (const unitId of order) {
    const unit = units.get(unitId);
    if (!unit) continue;
    const r = row(unitId, unit, byUnit.get(unitId));
    groups[r.verdict].push(r);
  }
  // Checks of units no longer on the roster (rare): placed by the same rule, which then needs a sort of their groups.
  let orphans = false;
  for (const check of checks) {
    if (units.has(check.unitId)) continue;
    groups[check.verdict].push(row(check.unitId, undefined, check));
    orphans = true;
  }
  if (orphans) for (const verdict of VERDICTS) groups[verdict].sort(comparePatrolRows);
  return [...groups.suspect, ...groups.insufficient, ...groups.ok];
}

export function countVerdicts(rows: readonly { verdict: PatrolVerdict }[]): Record<PatrolVerdict, number> {
  const counts: Record<PatrolVerdict, number> = { suspect: 0, insufficient: 0, ok: 0 };
  for (const row of rows) counts[row.verdict]++;
  return counts;
}
