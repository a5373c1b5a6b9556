import type { Category, CommandDraft } from "../../../shared/bridge/contract.js";
import type { CaseAction } from "../../../shared/domain/lifecycle.js";
import { beijingParts, BEIJING_OFFSET_MS, toBeijingIso } from "../../../shared/domain/time.js";
import { commandPayloads } from "../../../shared/protocol/schemas.js";
import type { Priority } from "../../../shared/protocol/types.js";

/*
 * From what the operator typed to a CommandDraft, checked against the
 * payload rules of PROTOCOL.md before anything is queued, so a command the
 * platform would refuse as invalid never leaves the desk.
 */

export type FieldError = { field: "note" | "department" | "respondBy" | "closeBy" | "title" | "category" | "place" | "rating"; code: "required" | "invalid" | "order" };
export type DraftResult = { ok: true; draft: CommandDraft } | { ok: false; errors: FieldError[] };

/** `rating`: the 评价 rating chosen (a Rating), "" until one is. */
export type CaseForm = { note: string; departmentId: string; respondBy: string; closeBy: string; rating?: string };

/** Which free-text field an action needs and whether it must be filled (the payload's `note` or `reason`). */
export const NOTE_RULES: Record<CaseAction, { key: "note" | "reason"; required: boolean }> = {
  register: { key: "note", required: false },
  reject: { key: "reason", required: true },
  dispatch: { key: "note", required: false },
  urge: { key: "note", required: true },
  close: { key: "note", required: true },
  rework: { key: "reason", required: true },
  annotate: { key: "note", required: true },
  evaluate: { key: "note", required: false },
};

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A `datetime-local` value read as Beijing wall time, whatever the machine's zone. */
export function parseBeijingLocal(value: string): number | null {
  const m = LOCAL_PATTERN.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi) - BEIJING_OFFSET_MS;
  return Number.isFinite(ms) ? ms : null;
}

/** The `datetime-local` value showing `ms` in Beijing time. */
export function formatBeijingLocal(ms: number): string {
  const p = beijingParts(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** Dispatch deadlines the category suggests, counted from now (the dispatch). */
export function defaultDispatchDeadlines(category: Category | undefined, now: number): { respondBy: string; closeBy: string } {
  if (!category) return { respondBy: "", closeBy: "" };
  return { respondBy: formatBeijingLocal(now + category.respondHours * 3_600_000), closeBy: formatBeijingLocal(now + category.closeHours * 3_600_000) };
}

export function buildCaseDraft(action: CaseAction, incident: { id: string; version: number }, form: CaseForm): DraftResult {
  const errors: FieldError[] = [];
  const rule = NOTE_RULES[action];
  const text = form.note.trim();
  const payload: Record<string, unknown> = {};
  if (text !== "") payload[rule.key] = text;
  else if (rule.required) errors.push({ field: "note", code: "required" });

  if (action === "dispatch") {
    if (form.departmentId === "") errors.push({ field: "department", code: "required" });
    else payload.departmentId = form.departmentId;
    const respondBy = form.respondBy === "" ? null : parseBeijingLocal(form.respondBy);
    const closeBy = form.closeBy === "" ? null : parseBeijingLocal(form.closeBy);
    if (form.respondBy !== "" && respondBy === null) errors.push({ field: "respondBy", code: "invalid" });
    if (form.closeBy !== "" && closeBy === null) errors.push({ field: "closeBy", code: "invalid" });
    if (respondBy !== null && closeBy !== null && closeBy < respondBy) errors.push({ field: "closeBy", code: "order" });
    if (respondBy !== null) payload.respondBy = toBeijingIso(respondBy);
    if (closeBy !== null) payload.closeBy = toBeijingIso(closeBy);
  }

  if (action === "evaluate") {
    if (!form.rating) errors.push({ field: "rating", code: "required" });
    else payload.rating = form.rating;
  }

  if (errors.length === 0 && !commandPayloads[action].safeParse(payload).success) errors.push({ field: "note", code: "invalid" });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, draft: { type: action, incidentId: incident.id, expectedVersion: incident.version, payload } };
}

export type ReportForm = {
  title: string;
  categoryCode: string;
  priority: Priority;
  address: string;
  description: string;
  reporterName: string;
  reporterPhone: string;
  lon: string;
  lat: string;
};

/** A phone-in report (登记). `gridCode` is null when the place is in no known grid: the platform then places it. */
export function buildReportDraft(form: ReportForm, clientRef: string, gridCode: string | null): DraftResult {
  const errors: FieldError[] = [];
  const title = form.title.trim();
  if (title === "") errors.push({ field: "title", code: "required" });
  if (form.categoryCode === "") errors.push({ field: "category", code: "required" });
  const lon = Number(form.lon);
  const lat = Number(form.lat);
  if (form.lon.trim() === "" || form.lat.trim() === "") errors.push({ field: "place", code: "required" });
  else if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) errors.push({ field: "place", code: "invalid" });
  if (errors.length > 0) return { ok: false, errors };

  const payload: Record<string, unknown> = { clientRef, title, categoryCode: form.categoryCode, priority: form.priority, lon, lat };
  if (gridCode !== null) payload.gridCode = gridCode;
  const optional = { address: form.address.trim(), description: form.description.trim() };
  for (const [key, value] of Object.entries(optional)) if (value !== "") payload[key] = value;
  const reporter: Record<string, string> = {};
  if (form.reporterName.trim() !== "") reporter.name = form.reporterName.trim();
  if (form.reporterPhone.trim() !== "") reporter.phone = form.reporterPhone.trim();
  if (Object.keys(reporter).length > 0) payload.reporter = reporter;

  if (!commandPayloads.report.safeParse(payload).success) return { ok: false, errors: [{ field: "title", code: "invalid" }] };
  return { ok: true, draft: { type: "report", payload } };
}
