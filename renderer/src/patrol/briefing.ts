import type { PatrolVerdict } from "../../../shared/bridge/contract.js";
import { maskName } from "../../../shared/domain/masking.js";
import type { UnitRole } from "../../../shared/protocol/types.js";
import { describeEvidence, reasonWord } from "./evidence.js";
import type { PatrolText } from "./messages.js";
import { countVerdicts, type PatrolRow } from "./rows.js";

/*
 * The patrol checks as the briefing may show them to leaders and visitors:
 * counts by verdict and the suspects, every staff name masked (the suspect's
 * and a twin partner's alike, as the briefing masks names elsewhere), with no
 * unit id and no phone. A pure function so the masking is tested without a DOM.
 */

export type BriefingSuspect = { key: string; name: string; role: UnitRole | null; gridName: string; reasons: string[]; evidence: string[] };
export type PatrolBriefing = { counts: Record<PatrolVerdict, number>; staff: number; suspects: BriefingSuspect[] };

export function patrolBriefing(rows: readonly PatrolRow[], text: PatrolText, now: number, placeOf?: (lon: number, lat: number) => string | undefined): PatrolBriefing {
  const names = new Map(rows.map((row) => [row.unitId, row.name]));
  const nameOf = (unitId: string): string => maskName(names.get(unitId) ?? "") || "—";
  const context = { text, now, nameOf, ...(placeOf ? { placeOf } : {}) };
  const suspects = rows
    .filter((row) => row.verdict === "suspect")
    .map((row, index) => ({
      // A list key that names nobody: the row's place in the (already sorted) list.
      key: `suspect-${index}`,
      name: maskName(row.name),
      role: row.role,
      gridName: row.gridName,
      reasons: row.reasons.map((reason) => reasonWord(reason, text)),
      evidence: (row.shift?.evidence ?? []).map((evidence) => describeEvidence(evidence, context)),
    }));
  return { counts: countVerdicts(rows), staff: rows.length, suspects };
}
