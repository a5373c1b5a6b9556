import { z } from "zod";
import { LIMITS } from "../../shared/protocol/limits.js";
import { feedEvent, isoTime } from "../../shared/protocol/schemas.js";
import type { Checked } from "../../shared/protocol/validate.js";
import type { FeedEvent } from "../../shared/protocol/types.js";

/*
 * Delta parsing that tells an unknown event type (a newer platform: skip that
 * event, keep the rest) from a broken known one (the delta is dropped whole,
 * because its events apply together or not at all).
 */

const envelope = z.object({
  epoch: z.string().min(1).max(LIMITS.idLength),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  at: isoTime,
  events: z.array(z.unknown()).max(LIMITS.eventsPerDelta),
});

const KNOWN_EVENTS: ReadonlySet<string> = new Set(["incident.upsert", "incident.archived", "unit.upsert", "alert"]);

export type ParsedDelta = { epoch: string; seq: number; at: string; events: FeedEvent[]; unknownEvents: number };

export function parseDeltaMessage(input: unknown): Checked<ParsedDelta> {
  const head = envelope.safeParse(input);
  if (!head.success) return { ok: false, error: firstIssue(head.error) };
  const events: FeedEvent[] = [];
  let unknownEvents = 0;
  for (const [index, raw] of head.data.events.entries()) {
    const type = typeof raw === "object" && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (typeof type === "string" && !KNOWN_EVENTS.has(type)) {
      unknownEvents++;
      continue;
    }
    const event = feedEvent.safeParse(raw);
    if (!event.success) {
      const issue = firstIssue(event.error);
      return { ok: false, error: { path: `events.${index}.${issue.path}`, reason: issue.reason } };
    }
    events.push(event.data);
  }
  return { ok: true, value: { epoch: head.data.epoch, seq: head.data.seq, at: head.data.at, events, unknownEvents } };
}

function firstIssue(error: z.ZodError): { path: string; reason: string } {
  const issue = error.issues[0];
  return { path: issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)", reason: issue?.message ?? "invalid" };
}
