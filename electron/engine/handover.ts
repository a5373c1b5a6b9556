import type { Acknowledgement, AttentionItem } from "../../shared/bridge/attention.js";
import type { ConnectionState, OutboxEntry } from "../../shared/bridge/contract.js";
import { HANDOVER_LIST_LIMIT, type HandoverAttention, type HandoverCase, type HandoverList, type HandoverOutage, type HandoverRecord } from "../../shared/bridge/handover.js";
import { caseDeadlines, type CategoryIndex } from "../../shared/domain/deadlines.js";
import { toBeijingIso, toEpochMs } from "../../shared/domain/time.js";
import type { AlertLevel, Incident, Operator } from "../../shared/protocol/types.js";
import { milestones } from "./bridge-objects.js";

/*
 * 交接班: the shift's record, assembled from what the engine keeps when the
 * outgoing operator writes the note. A pure function of its inputs (cases,
 * outbox, attention list, acknowledgements, connection states), so it is
 * tested without an engine; the engine gathers them (./handover-store.ts).
 */

/** A change of the connection's state, as the engine saw it (epoch ms). */
export type StateChange = { state: ConnectionState; at: number };

/** An acknowledgement made during the shift, whether it still holds or not. */
export type ShiftAcknowledgement = { key: string; level: AlertLevel; operator: Operator; at: string };

export type ShiftInput = {
  id: string;
  /** The shift, epoch ms: from the previous handover (or the console's start) to now. */
  from: number;
  to: number;
  by: Operator;
  note: string;
  /** Every case the console holds, the archived ones of the shift included. */
  incidents: Iterable<Incident>;
  categories: CategoryIndex;
  outbox: readonly OutboxEntry[];
  attention: readonly AttentionItem[];
  acknowledgements: readonly ShiftAcknowledgement[];
  /** Oldest first; the state the shift began in may come before `from`. */
  states: readonly StateChange[];
};

const OUTAGE_STATES: ReadonlySet<ConnectionState> = new Set<ConnectionState>(["offline", "stalled", "unauthorized"]);

function limited<T>(items: T[], compare: (a: T, b: T) => number): HandoverList<T> {
  return { total: items.length, items: items.sort(compare).slice(0, HANDOVER_LIST_LIMIT) };
}

const byTime = (a: { at: string }, b: { at: string }) => toEpochMs(a.at) - toEpochMs(b.at);
const within = (ms: number, input: Pick<ShiftInput, "from" | "to">) => Number.isFinite(ms) && ms >= input.from && ms <= input.to;
/**
 * Opened and closed are dated by the platform, whose clock may run ahead of
 * the console's (a simulated feed runs faster than real time): what the
 * console holds at the handover happened before it, so only the start bounds them.
 */
const since = (ms: number, input: Pick<ShiftInput, "from">) => Number.isFinite(ms) && ms >= input.from;

export function assembleHandover(input: ShiftInput): HandoverRecord {
  const opened: HandoverCase[] = [];
  const closed: HandoverCase[] = [];
  const overdue: HandoverCase[] = [];
  const titles = new Map<string, string>();
  for (const incident of input.incidents) {
    titles.set(incident.id, incident.title);
    const entry = (at: string): HandoverCase => ({ id: incident.id, title: incident.title, status: incident.status, at });
    if (since(toEpochMs(incident.createdAt), input)) opened.push(entry(incident.createdAt));
    const stages = milestones(incident);
    const closedAt = stages.closed ?? (incident.status === "closed" ? incident.updatedAt : undefined);
    if (incident.status === "closed" && closedAt !== undefined && since(toEpochMs(closedAt), input)) closed.push(entry(closedAt));
    const missed = missedDeadline(incident, stages, input.categories, input);
    if (missed !== null) overdue.push(entry(toBeijingIso(missed)));
  }
  return {
    id: input.id,
    from: toBeijingIso(input.from),
    to: toBeijingIso(input.to),
    by: input.by,
    note: input.note,
    opened: limited(opened, byTime),
    closed: limited(closed, byTime),
    overdue: limited(overdue, byTime),
    outbox: limited(
      input.outbox.map((e) => ({ commandId: e.commandId, type: e.type, issuedAt: e.issuedAt, state: e.state, summary: e.summary, ...(e.incidentId !== undefined && { incidentId: e.incidentId }) })),
      (a, b) => toEpochMs(a.issuedAt) - toEpochMs(b.issuedAt),
    ),
    attention: limited(shiftAttention(input, titles), byTime),
    outages: limited(outages(input), (a, b) => toEpochMs(a.from) - toEpochMs(b.from)),
  };
}

/**
 * The first deadline of the case that passed during the shift before the case
 * met it (responded for respond, closed or rejected for both), epoch ms; null
 * if none did. A case that went overdue and was closed later in the shift counts.
 */
function missedDeadline(incident: Incident, stages: ReturnType<typeof milestones>, categories: CategoryIndex, shift: Pick<ShiftInput, "from" | "to">): number | null {
  const deadlines = caseDeadlines({ ...incident, milestones: stages }, categories);
  const endedAt = earliest(stages.closed, stages.rejected, incident.status === "closed" || incident.status === "rejected" ? incident.updatedAt : undefined);
  const respondedAt = earliest(endedAt, stages.responded, incident.status === "responded" ? incident.updatedAt : undefined);
  let missed: number | null = null;
  for (const [due, metAt] of [
    [deadlines.respondBy, respondedAt],
    [deadlines.closeBy, endedAt],
  ] as const) {
    if (due === null || !within(due, shift) || (metAt !== null && metAt <= due)) continue;
    if (missed === null || due < missed) missed = due;
  }
  return missed;
}

function earliest(...times: (string | number | null | undefined)[]): number | null {
  let best: number | null = null;
  for (const time of times) {
    if (time === null || time === undefined) continue;
    const ms = typeof time === "number" ? time : toEpochMs(time);
    if (Number.isFinite(ms) && (best === null || ms < best)) best = ms;
  }
  return best;
}

/**
 * The list's items that mattered in the shift (came on the list during it,
 * still wait for someone, or were acknowledged in it), and items acknowledged
 * in the shift that have left the list since, each with the shift's acknowledgements.
 */
function shiftAttention(input: ShiftInput, titles: ReadonlyMap<string, string>): HandoverAttention[] {
  const acks = new Map<string, ShiftAcknowledgement[]>();
  for (const ack of input.acknowledgements) {
    if (!within(toEpochMs(ack.at), input)) continue;
    const list = acks.get(ack.key);
    if (list) list.push(ack);
    else acks.set(ack.key, [ack]);
  }
  const toAcknowledgements = (list: readonly ShiftAcknowledgement[] | undefined): Acknowledgement[] =>
    (list ?? []).map((a) => ({ by: a.operator, at: a.at })).sort(byTime);
  const out: HandoverAttention[] = [];
  const seen = new Set<string>();
  for (const item of input.attention) {
    const mine = acks.get(item.key);
    const relevant = item.acknowledged === undefined || within(toEpochMs(item.at), input) || mine !== undefined;
    if (!relevant) continue;
    seen.add(item.key);
    const entry: HandoverAttention = { key: item.key, kind: item.kind, level: item.level, title: item.title, at: item.at, open: true, acknowledgements: toAcknowledgements(mine) };
    if (item.incidentId !== undefined) entry.incidentId = item.incidentId;
    out.push(entry);
  }
  for (const [key, list] of acks) {
    if (seen.has(key)) continue;
    const first = list[0] as ShiftAcknowledgement;
    const incidentId = key.startsWith("case:") ? key.slice(5) : undefined;
    const entry: HandoverAttention = {
      key,
      kind: incidentId === undefined ? "alert" : "urgent-case",
      level: first.level,
      title: (incidentId !== undefined && titles.get(incidentId)) || key,
      at: first.at,
      open: false,
      acknowledgements: toAcknowledgements(list),
    };
    if (incidentId !== undefined) entry.incidentId = incidentId;
    out.push(entry);
  }
  return out;
}

/** Stretches in the shift spent offline, stalled or refused, cut to the shift; one still lasting has no end. */
function outages(input: ShiftInput): HandoverOutage[] {
  const out: HandoverOutage[] = [];
  let open: { state: HandoverOutage["state"]; from: number } | null = null;
  for (const change of input.states) {
    if (change.at > input.to) break;
    if (open !== null && open.state === change.state) continue;
    if (open !== null && change.at > input.from) out.push({ state: open.state, from: toBeijingIso(Math.max(open.from, input.from)), to: toBeijingIso(change.at) });
    open = isOutage(change.state) ? { state: change.state, from: change.at } : null;
  }
  if (open !== null) out.push({ state: open.state, from: toBeijingIso(Math.max(open.from, input.from)) });
  return out;
}

const isOutage = (state: ConnectionState): state is HandoverOutage["state"] => OUTAGE_STATES.has(state);
