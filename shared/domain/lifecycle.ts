import type { CommandType, IncidentStatus } from "../protocol/types.js";

/** Operator actions on an existing case (everything but "report", which creates one). */
export type CaseAction = Exclude<CommandType, "report">;

const MOVES: Record<CaseAction, { from: readonly IncidentStatus[] | "any"; to: IncidentStatus | "unchanged" }> = {
  register: { from: ["reported"], to: "registered" },
  reject: { from: ["reported"], to: "rejected" },
  dispatch: { from: ["registered"], to: "dispatched" },
  urge: { from: ["dispatched", "processing"], to: "unchanged" },
  close: { from: ["responded"], to: "closed" },
  rework: { from: ["responded"], to: "dispatched" },
  annotate: { from: "any", to: "unchanged" },
  // 评价 (回访): the reporter's verdict once the case is closed; only one (the platform answers a second with a conflict).
  evaluate: { from: ["closed"], to: "unchanged" },
};

/** The order buttons appear in: the main move first, annotate last. */
export const CASE_ACTIONS: readonly CaseAction[] = ["register", "reject", "dispatch", "urge", "close", "rework", "evaluate", "annotate"];

/** The actions offered on a case; with the case itself, a case already evaluated offers no second evaluate. */
export function allowedActions(status: IncidentStatus, incident?: { evaluation?: unknown }): CaseAction[] {
  return CASE_ACTIONS.filter((action) => isAllowed(action, status) && !(action === "evaluate" && incident?.evaluation !== undefined));
}

export function isAllowed(action: CaseAction, status: IncidentStatus): boolean {
  const from = MOVES[action].from;
  return from === "any" || from.includes(status);
}

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(action: CaseAction, status: IncidentStatus): IncidentStatus | null {
  if (!isAllowed(action, status)) return null;
  const to = MOVES[action].to;
  return to === "unchanged" ? status : to;
}

/** Moves the responsible department makes through the feed, not the console. */
export const DEPARTMENT_MOVES: Readonly<Partial<Record<IncidentStatus, IncidentStatus>>> = {
  dispatched: "processing",
  processing: "responded",
};

export const OPEN_STATUSES: readonly IncidentStatus[] = ["reported", "registered", "dispatched", "processing", "responded"];
export const isOpen = (status: IncidentStatus): boolean => OPEN_STATUSES.includes(status);
