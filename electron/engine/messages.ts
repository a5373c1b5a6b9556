import { z } from "zod";
import { checkFeedEvent, isIsoTime } from "../../shared/protocol/hand-check.js";
import { LIMITS } from "../../shared/protocol/limits.js";
import { feedEvent, isoTime } from "../../shared/protocol/schemas.js";
import type { Checked } from "../../shared/protocol/validate.js";
import type { FeedEvent } from "../../shared/protocol/types.js";

/*
 * Delta parsing that tells an unknown event type (a newer platform: skip that
 * event, keep the rest) from a broken known one (the delta is dropped whole,
 * because its events apply together or not at all).
 *
 * The hot path (a thousand deltas a second at city scale) is checked by hand
 * (shared/protocol/hand-check.ts, proven against the schemas by property
 * tests); the zod schemas, the specification, are asked only about what the
 * hand checks refuse, for the reason, and have the last word.
 */

const envelope = z.object({
  epoch: z.string().min(1).max(LIMITS.idLength),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  at: isoTime,
  events: z.array(z.unknown()).max(LIMITS.eventsPerDelta),
});

type Envelope = z.infer<typeof envelope>;

const KNOWN_EVENTS: ReadonlySet<string> = new Set(["incident.upsert", "incident.archived", "unit.upsert", "alert"]);

export type ParsedDelta = { epoch: string; seq: number; at: string; events: FeedEvent[]; unknownEvents: number };

/** `envelope` by hand: the same value, or undefined where it refuses. */
function checkEnvelope(input: unknown): Envelope | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const { epoch, seq, at, events } = input as Partial<Record<keyof Envelope, unknown>>;
  if (typeof epoch !== "string" || epoch.length < 1 || epoch.length > LIMITS.idLength) return undefined;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1 || !isIsoTime(at)) return undefined;
  if (!Array.isArray(events) || events.length > LIMITS.eventsPerDelta) return undefined;
  return { epoch, seq, at, events };
}

export function parseDeltaMessage(input: unknown): Checked<ParsedDelta> {
  let head = checkEnvelope(input);
  if (!head) {
    const checked = envelope.safeParse(input);
    if (!checked.success) return { ok: false, error: firstIssue(checked.error) };
    head = checked.data;
  }
  const events: FeedEvent[] = [];
  let unknownEvents = 0;
  const raws = head.events;
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index];
    const type = typeof raw === "object" && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (typeof type === "string" && !KNOWN_EVENTS.has(type)) {
      unknownEvents++;
      continue;
    }
    let event = checkFeedEvent(raw);
    if (!event) {
      const checked = feedEvent.safeParse(raw);
      if (!checked.success) {
        const issue = firstIssue(checked.error);
        return { ok: false, error: { path: `events.${index}.${issue.path}`, reason: issue.reason } };
      }
      event = checked.data;
    }
    events.push(event);
  }
  return { ok: true, value: { epoch: head.epoch, seq: head.seq, at: head.at, events, unknownEvents } };
}

function firstIssue(error: z.ZodError): { path: string; reason: string } {
  const issue = error.issues[0];
  return { path: issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)", reason: issue?.message ?? "invalid" };
}
