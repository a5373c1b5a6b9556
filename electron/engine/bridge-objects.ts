import { POSITION_STRIDE } from "../../shared/bridge/contract.js";
import type { IncidentView, Milestone, OutboxEntry, PositionsBatch, UnitView } from "../../shared/bridge/contract.js";
import { maskPhone, maskReporter } from "../../shared/domain/masking.js";
import type { Command, Incident, Unit } from "../../shared/protocol/types.js";
import type { StoredCommand, StoredFix } from "./model.js";

/*
 * The objects the bridge sends to pages (the contract's IncidentView, UnitView,
 * OutboxEntry, PositionsBatch): pure functions from the replica's records.
 * Personal data is masked here, once, so no page can forget to.
 */

/**
 * History actions to milestones. The platform's action words are not fixed by
 * the protocol, so both the command names and the Chinese terms are recognised;
 * 不予立案 is tested before 立案, which it contains.
 */
const MILESTONE_WORDS: readonly [Milestone, readonly string[]][] = [
  ["rejected", ["reject", "不予立案"]],
  ["reworked", ["rework", "返工"]],
  ["registered", ["register", "立案"]],
  ["dispatched", ["dispatch", "派遣"]],
  ["responded", ["respond", "反馈"]],
  ["closed", ["close", "结案"]],
];

/** The milestone of each action text seen: the platform uses a handful, and every case's history repeats them. */
const milestoneOfAction = new Map<string, Milestone | null>();
const MAX_REMEMBERED_ACTIONS = 1000;

function milestoneOf(action: string): Milestone | null {
  let milestone = milestoneOfAction.get(action);
  if (milestone === undefined) {
    const lower = action.toLowerCase();
    milestone = MILESTONE_WORDS.find(([, words]) => words.some((word) => lower.includes(word)))?.[0] ?? null;
    // Free-text actions from a platform that writes them could grow the map without end.
    if (milestoneOfAction.size >= MAX_REMEMBERED_ACTIONS) milestoneOfAction.clear();
    milestoneOfAction.set(action, milestone);
  }
  return milestone;
}

export function milestones(incident: Incident): Partial<Record<Milestone, string>> {
  const out: Partial<Record<Milestone, string>> = {};
  for (const entry of incident.history) {
    const found = milestoneOf(entry.action);
    // The latest time wins: after a rework, "dispatched" is the new dispatch.
    if (found) out[found] = entry.at;
  }
  return out;
}

/**
 * `record` without the keys in `omit`, same key order. A plain loop: object
 * rest and spread (`{ a, ...rest }`, then `{ ...rest }`) copied every case
 * twice by V8's slow path, 0.35 s of a city's 100,000 views against 0.04 s.
 */
function copyWithout<T extends object>(record: T, omit: ReadonlySet<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in record) if (!omit.has(key)) copy[key] = record[key];
  return copy;
}

const NOT_IN_INCIDENT_VIEW: ReadonlySet<string> = new Set(["history", "reporter"]);
const NOT_IN_UNIT_VIEW: ReadonlySet<string> = new Set(["lastFix", "phone"]);

export function incidentView(incident: Incident, pending: readonly StoredCommand[]): IncidentView {
  const view = copyWithout(incident, NOT_IN_INCIDENT_VIEW) as IncidentView;
  view.milestones = milestones(incident);
  if (incident.reporter) view.reporter = maskReporter(incident.reporter);
  const waiting = pending.filter((entry) => entry.state === "queued" || entry.state === "sending");
  if (waiting.length > 0) view.pending = waiting.map((entry) => ({ commandId: entry.command.commandId, type: entry.command.type }));
  return view;
}

export function fullIncident(incident: Incident): Incident & { reporter?: IncidentView["reporter"] } {
  const { reporter, ...rest } = incident;
  return reporter ? { ...rest, reporter: maskReporter(reporter) } : rest;
}

export function unitView(unit: Unit, slot: number): UnitView {
  const view = copyWithout(unit, NOT_IN_UNIT_VIEW) as UnitView;
  view.slot = slot;
  if (unit.phone !== undefined) view.phone = maskPhone(unit.phone);
  return view;
}

export function positionsBatch(fixes: readonly StoredFix[], slotOf: (unitId: string) => number): PositionsBatch {
  const data = new Float64Array(fixes.length * POSITION_STRIDE);
  fixes.forEach((fix, index) => {
    const base = index * POSITION_STRIDE;
    data[base] = slotOf(fix.unitId);
    data[base + 1] = fix.lon;
    data[base + 2] = fix.lat;
    data[base + 3] = fix.at;
    data[base + 4] = fix.heading ?? Number.NaN;
    data[base + 5] = fix.speed ?? Number.NaN;
  });
  return { data };
}

const SUMMARY_LABELS: Record<Command["type"], string> = {
  register: "立案",
  reject: "不予立案",
  dispatch: "派遣",
  urge: "督办",
  close: "核查结案",
  rework: "返工",
  annotate: "备注",
  report: "登记",
  evaluate: "评价",
};

export function commandSummary(command: Command): string {
  const label = SUMMARY_LABELS[command.type];
  if (command.type === "report") return `${label} ${command.payload.title}`;
  return `${label} ${command.incidentId}`;
}

export function outboxEntry(entry: StoredCommand): OutboxEntry {
  const { command } = entry;
  const out: OutboxEntry = {
    commandId: command.commandId,
    type: command.type,
    issuedAt: command.issuedAt,
    attempts: entry.attempts,
    state: entry.state,
    summary: commandSummary(command),
  };
  if (command.type !== "report") out.incidentId = command.incidentId;
  if (entry.failure) {
    const failure: NonNullable<OutboxEntry["failure"]> = { code: entry.failure.code, message: entry.failure.message };
    if (entry.failure.incident) failure.incident = incidentView(entry.failure.incident, []);
    out.failure = failure;
  }
  return out;
}
