import { randomBytes } from "node:crypto";
import { LIMITS } from "../shared/protocol/limits.js";
import type { Fix, TracksReply } from "../shared/protocol/types.js";
import { parseTracksRequest } from "../shared/protocol/validate.js";
import type { Plantable } from "./sim/fraud.js";
import { MemberFixes, MergedFixes, type Position } from "./sim/track-stream.js";

/*
 * The `tracks` request of PROTOCOL.md: the recorded fixes of a window, in
 * pages of at most 20,000 in time order. Nothing is stored: every shift is
 * recomputed from the seed (sim/walk.ts), so any past moment of the
 * simulation can be asked for. An open request keeps its merge in memory so
 * that the next page continues where the last stopped; the cursor also names
 * that place, so a page whose merge was dropped (too many open requests, a
 * restarted server) is rebuilt from the cursor alone, only slower.
 */

const DAY_MS = 86_400_000;
const OPEN_REQUESTS = 16;
const OPEN_FOR_MS = 10 * 60_000;
/** Fixes computed (sent or skipped to catch a shift up) per page: about 50 ms of an idle core, so heartbeats and live positions keep flowing. */
const PAGE_WORK = 250_000;

export type TrackSource = {
  members: readonly (Plantable & { unit: { id: string } })[];
  seed: number;
  now: () => number;
};

/** What a cursor says: which request, and the (at, index) of its last fix. */
type Cursor = { key: string; since: number; until: number; end: number; units: string; position: Position };

type Open = { merge: MergedFixes; position: Position; usedAt: number };

/** A `tracks` reply as this server makes it: the protocol's, with its fixes typed. */
export type TracksAnswer = Extract<TracksReply, { ok: false }> | { ok: true; fixes: Fix[]; next?: string };

const invalid = (message: string): TracksAnswer => ({ ok: false, code: "invalid", message });

function encode(cursor: Cursor): string {
  const text = [cursor.key, cursor.since, cursor.until, cursor.end, cursor.units, cursor.position.at, cursor.position.index].join(".");
  return Buffer.from(text).toString("base64url");
}

function decode(raw: string): Cursor | null {
  const parts = Buffer.from(raw, "base64url").toString().split(".");
  if (parts.length !== 7) return null;
  const [key, since, until, end, units, at, index] = parts as [string, string, string, string, string, string, string];
  const numbers = [since, until, end, at, index].map(Number);
  if (!numbers.every(Number.isSafeInteger) || !/^[0-9a-f]+$/.test(key) || !/^[0-9a-z]+$/.test(units)) return null;
  const [s, u, e, a, i] = numbers as [number, number, number, number, number];
  return { key, since: s, until: u, end: e, units, position: { at: a, index: i } };
}

/** A short digest of the asked-for units, so a cursor is not taken for another request's. */
function digestOf(indices: readonly number[] | null): string {
  if (!indices) return "all";
  let hash = 0x811c9dc5;
  for (const index of indices) hash = Math.imul(hash ^ index, 0x01000193);
  return `u${(hash >>> 0).toString(36)}`;
}

export class TracksService {
  private readonly open = new Map<string, Open>();
  private readonly indexOf = new Map<string, number>();
  private readonly prefix = randomBytes(4).toString("hex");
  private counter = 0;

  constructor(private readonly source: TrackSource) {
    source.members.forEach((member, index) => this.indexOf.set(member.unit.id, index));
  }

  answer(payload: unknown): TracksAnswer {
    const parsed = parseTracksRequest(payload);
    if (!parsed.ok) return invalid(`${parsed.error.path}: ${parsed.error.reason}`);
    const request = parsed.value;
    const since = Date.parse(request.since);
    const until = Date.parse(request.until);
    const now = this.source.now();
    if (since < now - LIMITS.tracksDaysBack * DAY_MS) return invalid(`since is more than ${LIMITS.tracksDaysBack} days back`);
    const indices = request.unitIds ? [...new Set(request.unitIds.flatMap((id) => this.indexOf.get(id) ?? []))].sort((a, b) => a - b) : null;
    const units = digestOf(indices);
    let cursor: Cursor;
    let merge: MergedFixes;
    let rebuilt = false;
    if (request.cursor !== undefined) {
      const decoded = decode(request.cursor);
      if (!decoded) return invalid("cursor: not a cursor of this server");
      if (decoded.since !== since || decoded.until !== until || decoded.units !== units) return invalid("cursor: belongs to another request (since, until and unitIds must be the same as the first page's)");
      // The cursor is the client's to hold: it may not reach past the request or into fixes not yet recorded.
      cursor = { ...decoded, end: Math.min(decoded.end, until, now + 1) };
      const kept = this.open.get(cursor.key);
      const same = kept && kept.position.at === cursor.position.at && kept.position.index === cursor.position.index;
      rebuilt = !same;
      merge = same ? kept.merge : this.merge(indices, cursor.position.at, cursor.end, cursor.position);
    } else {
      // Fixes still to come are not recorded yet: the request ends at the server's now, fixed for all its pages.
      const end = Math.min(until, now + 1);
      cursor = { key: `${this.prefix}${(++this.counter).toString(16)}`, since, until, end, units, position: { at: since, index: -1 } };
      merge = this.merge(indices, since, end);
    }
    // A page may end early, even empty, when catching shifts up took its time: `next` continues it.
    // A rebuilt merge must get past its cursor, or a request whose merge keeps being dropped would never end.
    const page = merge.take(LIMITS.fixesPerTracksReply, PAGE_WORK, rebuilt);
    this.open.delete(cursor.key);
    if (merge.done) return { ok: true, fixes: page.fixes };
    const position = page.last ?? cursor.position;
    this.keep(cursor.key, { merge, position, usedAt: Date.now() });
    return { ok: true, fixes: page.fixes, next: encode({ ...cursor, position }) };
  }

  private merge(indices: readonly number[] | null, from: number, until: number, after?: Position): MergedFixes {
    const members = this.source.members;
    const chosen = indices ?? members.map((_, index) => index);
    const streams = chosen.map((index) => new MemberFixes(members[index]!, index, from, until, this.source.seed, after));
    return new MergedFixes(streams);
  }

  private keep(key: string, entry: Open): void {
    const now = Date.now();
    for (const [other, open] of this.open) if (now - open.usedAt > OPEN_FOR_MS) this.open.delete(other);
    while (this.open.size >= OPEN_REQUESTS) this.open.delete(this.open.keys().next().value!);
    this.open.set(key, entry);
  }
}
