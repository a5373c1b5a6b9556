import type { IncidentView } from "./contract.js";

/*
 * Cases the platform no longer tracks (archived, or left out of a new
 * snapshot), as the KPIs read them: a case closed this morning and archived
 * at noon still counts in 今日结案. No title, address or personal data: they
 * are history for the figures, not cases to show.
 */

export type ArchivedCase = Pick<
  IncidentView,
  "id" | "status" | "priority" | "createdAt" | "updatedAt" | "respondBy" | "closeBy" | "reworkCount" | "milestones" | "department" | "category" | "gridCode" | "evaluation"
>;

export type ArchivedChanges = {
  upserts: ArchivedCase[];
  removed: string[];
  reset: boolean;
};
