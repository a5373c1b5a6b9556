import { parseCommand } from "../shared/protocol/validate.js";
import type { Command, CommandResult, FeedEvent, Incident } from "../shared/protocol/types.js";
import { nextStatus } from "../shared/domain/lifecycle.js";
import { toBeijingIso } from "../shared/domain/time.js";
import type { Category, Department } from "../shared/bridge/contract.js";
import type { FeedStore } from "./store.js";
import type { SimRegion } from "./region.js";
import { gridAt } from "./region.js";
import { changeIncident, hoursLater } from "./incidents.js";

/*
 * The lifecycle rules of PROTOCOL.md for console commands, as one pure-ish
 * evaluation: it reads the store and returns the result and the events to
 * commit, and changes nothing itself. At-most-once bookkeeping and the
 * commit are the caller's (command-service.ts), so this stays easy to test.
 */

export type CommandContext = {
  store: FeedStore;
  categories: readonly Category[];
  departments: readonly Department[];
  region: SimRegion;
  now: number;
  newCaseId: () => string;
};

export type CommandOutcome = { result: CommandResult; events: FeedEvent[] };

const fail = (code: "conflict" | "invalid" | "forbidden" | "not_found", message: string, incident?: Incident): CommandOutcome => ({
  result: incident ? { ok: false, code, message, incident } : { ok: false, code, message },
  events: [],
});

const accept = (incident: Incident): CommandOutcome => ({ result: { ok: true, incident }, events: [{ type: "incident.upsert", incident }] });

export const categoryOf = (category: Category): Incident["category"] => ({ code: category.code, major: category.major, minor: category.minor });

function report(ctx: CommandContext, command: Extract<Command, { type: "report" }>): CommandOutcome {
  const p = command.payload;
  const category = ctx.categories.find((c) => c.code === p.categoryCode);
  if (!category) return fail("invalid", `payload.categoryCode: unknown category ${p.categoryCode}`);
  const at = toBeijingIso(ctx.now);
  const incident: Incident = {
    id: ctx.newCaseId(),
    clientRef: p.clientRef,
    version: 1,
    title: p.title,
    category: categoryOf(category),
    priority: p.priority,
    status: "reported",
    source: "console",
    lon: p.lon,
    lat: p.lat,
    gridCode: p.gridCode ?? gridAt(ctx.region, p.lon, p.lat)?.code ?? "",
    reworkCount: 0,
    createdAt: at,
    updatedAt: at,
    history: [{ at, action: "report", actor: command.operator.name, note: "分中心登记" }],
  };
  if (p.description !== undefined) incident.description = p.description;
  if (p.address !== undefined) incident.address = p.address;
  if (p.reporter !== undefined) incident.reporter = { ...p.reporter };
  return accept(incident);
}

function noteOf(command: Exclude<Command, { type: "report" }>): string | undefined {
  const payload = command.payload as { note?: string; reason?: string };
  return payload.reason ?? payload.note;
}

/** The rating words the platform writes in a case's history (回访 result), the console's own terms. */
export const RATING_WORDS = { satisfied: "满意", basically_satisfied: "基本满意", unsatisfied: "不满意" } as const;

/** 评价: once per case, on a closed case (the caller checked the status); a second one is a conflict. */
function evaluate(ctx: CommandContext, command: Extract<Command, { type: "evaluate" }>, current: Incident): CommandOutcome {
  if (current.evaluation) return fail("conflict", `case ${current.id} was already evaluated (${current.evaluation.rating})`, current);
  const { rating, note } = command.payload;
  const at = toBeijingIso(ctx.now);
  const evaluation: NonNullable<Incident["evaluation"]> = note === undefined ? { rating, at } : { rating, at, note };
  const line = [RATING_WORDS[rating], note].filter(Boolean).join("：");
  return accept(changeIncident(current, { evaluation }, ctx.now, { action: "evaluate", actor: command.operator.name, note: line }));
}

export function evaluateCommand(ctx: CommandContext, raw: unknown): CommandOutcome {
  const parsed = parseCommand(raw);
  if (!parsed.ok) return fail("invalid", `${parsed.error.path}: ${parsed.error.reason}`);
  const command = parsed.value;
  if (command.type === "report") return report(ctx, command);

  const current = ctx.store.incidents.get(command.incidentId);
  if (!current) {
    return ctx.store.archived.has(command.incidentId)
      ? fail("forbidden", `case ${command.incidentId} is archived and can no longer be changed`)
      : fail("not_found", `no case ${command.incidentId}`);
  }
  const expected = command.expectedVersion;
  if (expected !== undefined && expected > current.version) {
    return fail("conflict", `version ${expected} was never issued for ${current.id}; the platform is at ${current.version}`, current);
  }
  const to = nextStatus(command.type, current.status);
  if (to === null) {
    // The operator acted on what they saw: if the case moved on since, that is a conflict; if not, the move itself is wrong.
    return expected === current.version
      ? fail("invalid", `${command.type} is not allowed while the case is ${current.status}`)
      : fail("conflict", `the case is now ${current.status} (version ${current.version}); ${command.type} no longer applies`, current);
  }

  if (command.type === "evaluate") return evaluate(ctx, command, current);
  const entry = { action: command.type, actor: command.operator.name, note: noteOf(command) };
  const change: Parameters<typeof changeIncident>[1] = { status: to };
  const category = ctx.categories.find((c) => c.code === current.category.code);
  if (command.type === "dispatch") {
    const department = ctx.departments.find((d) => d.id === command.payload.departmentId);
    if (!department) return fail("invalid", `payload.departmentId: unknown department ${command.payload.departmentId}`);
    change.department = { id: department.id, name: department.name };
    change.respondBy = command.payload.respondBy ?? hoursLater(ctx.now, category?.respondHours ?? 24);
    change.closeBy = command.payload.closeBy ?? hoursLater(ctx.now, category?.closeHours ?? 72);
    entry.note = [department.name, command.payload.note].filter(Boolean).join("：");
  }
  if (command.type === "rework") {
    change.reworkCount = current.reworkCount + 1;
    change.respondBy = hoursLater(ctx.now, category?.respondHours ?? 24);
    change.closeBy = hoursLater(ctx.now, category?.closeHours ?? 72);
  }
  return accept(changeIncident(current, change, ctx.now, entry));
}
