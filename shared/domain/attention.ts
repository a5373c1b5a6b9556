import type { IncidentView } from "../bridge/contract.js";
import type { AlertLevel } from "../protocol/types.js";
import { deadlineStateOf, caseDeadlines, type CategoryIndex, type DeadlineInput } from "./deadlines.js";
import { isOpen } from "./lifecycle.js";
import { toBeijingIso } from "./time.js";

/*
 * What puts a case on the attention list, and when an acknowledged item comes
 * back. Pure, so the engine (which keeps the list) and tests share the rules.
 *
 * A case is on the list while it is open and urgent (critical) or overdue
 * (warning; critical when also urgent). An acknowledgement records the
 * condition the operator saw; the item comes back unacknowledged when the
 * condition gets worse: a higher level, or a reason the operator did not see
 * (an urgent case that also goes overdue).
 */

export type AttentionReason = "urgent" | "overdue";
export const ATTENTION_REASONS: readonly AttentionReason[] = ["urgent", "overdue"];

/** The state of an item that an acknowledgement is measured against. */
export type AttentionCondition = { level: AlertLevel; reasons: readonly AttentionReason[] };

export const LEVEL_RANK: Readonly<Record<AlertLevel, number>> = { critical: 3, warning: 2, info: 1 };

/** What the rules read of a case. */
export type AttentionCaseInput = DeadlineInput & Pick<IncidentView, "priority">;

export type CaseAttention = AttentionCondition & {
  /** When the case first needed attention for its worst reason: created (urgent), else the deadline it missed (ISO, Beijing). */
  since: string;
};

/** The case's condition now, or null when it needs no attention (closed, rejected, or neither urgent nor overdue). */
export function caseAttention(incident: AttentionCaseInput, categories: CategoryIndex, now: number): CaseAttention | null {
  if (!isOpen(incident.status)) return null;
  const urgent = incident.priority === "urgent";
  const deadlines = caseDeadlines(incident, categories);
  const overdue = deadlineStateOf(incident, deadlines, now).overdue;
  if (!urgent && !overdue) return null;
  const reasons: AttentionReason[] = [];
  if (urgent) reasons.push("urgent");
  if (overdue) reasons.push("overdue");
  let since = incident.createdAt;
  if (!urgent) {
    // The first deadline missed: respond when it was missed, else close.
    const missed = [deadlines.respondBy, deadlines.closeBy].filter((due): due is NonNullable<typeof due> => due !== null && due < now);
    if (missed.length > 0) since = toBeijingIso(Math.min(...missed));
  }
  return { level: urgent ? "critical" : "warning", reasons, since };
}

/** Whether `now` is worse than what was acknowledged: a higher level, or a reason not seen then. */
export function isWorse(now: AttentionCondition, acknowledged: AttentionCondition): boolean {
  if (LEVEL_RANK[now.level] > LEVEL_RANK[acknowledged.level]) return true;
  return now.reasons.some((reason) => !acknowledged.reasons.includes(reason));
}

export const sameCondition = (a: AttentionCondition, b: AttentionCondition): boolean =>
  a.level === b.level && a.reasons.length === b.reasons.length && a.reasons.every((r) => b.reasons.includes(r));

/** Reasons as stored (space-separated, in a fixed order) and read back; unknown words are dropped. */
export const formatReasons = (reasons: readonly AttentionReason[]): string => ATTENTION_REASONS.filter((r) => reasons.includes(r)).join(" ");
export const parseReasons = (text: string): AttentionReason[] => ATTENTION_REASONS.filter((r) => text.split(" ").includes(r));
