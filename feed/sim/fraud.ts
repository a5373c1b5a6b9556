import type { Fix } from "../../shared/protocol/types.js";
import { randomPointIn } from "../region.js";
import { createRng } from "../rng.js";
import type { DutyPlan, DutyWindow } from "./duty.js";
import { Stream } from "./stream.js";
import { cosOf, firstFixTime, M_PER_DEG_LAT, makeFix, nextFixTime, PURPOSE, shiftSeed, type ShiftTrack, Walk, type Walker } from "./walk.js";

/*
 * Planted fraud with ground truth, so the console's authenticity checks can
 * be measured: a share of the staff fake their patrols in one of four ways,
 * chosen from the seed and spread evenly over the kinds. Everyone else walks
 * honestly (walk.ts). The planted list is what the trainer's `planted`
 * request and `plantedFraud()` report.
 */

export const FRAUD_KINDS = ["stationary", "speed", "twin", "replay"] as const;
export type FraudKind = (typeof FRAUD_KINDS)[number];
export type Planted = { unitId: string; kind: FraudKind; twinOf?: string };

/** What planting needs of a member; `fraud` is set on the planted ones. */
export type Plantable = { walker: Walker; plan: DutyPlan; role: string; fraud?: Fraud };
export type Fraud = { kind: FraudKind; partner?: Plantable };

/** Replayed walks are all the walk of this day, moved to each day's shift. */
const REPLAY_DAY = 0;
const MINUTE_MS = 60_000;

/**
 * Plants `share` (0..1) of the members, at least one when share > 0. Kinds go
 * round in turn; a twin plants two members (a grid manager carrying the grid
 * assistant's phone), both listed, each `twinOf` the other: a check sees two
 * devices moving together and cannot tell whose legs they were on.
 */
export function plantFraud(members: readonly Plantable[], seed: number, share: number): Planted[] {
  if (!(share > 0)) return [];
  const target = Math.max(1, Math.round(Math.min(1, share) * members.length));
  const rng = createRng(seed ^ 0x7a1d);
  const order = members.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const managers = new Map<string, Plantable>();
  for (const member of members) if (member.role === "grid_manager") managers.set(member.walker.grid.code, member);
  const planted: Planted[] = [];
  const fits: Record<FraudKind, (member: Plantable) => boolean> = {
    stationary: () => true,
    speed: () => true,
    twin: (member) => member.role === "grid_assistant" && managers.get(member.walker.grid.code)?.fraud === undefined,
    // A replay needs the same shift on consecutive days: every-day shifts only.
    replay: (member) => member.plan.shift === "long" || member.plan.shift === "rotating" || member.plan.shift === "day" || member.plan.shift === "day_evening",
  };
  let turn = 0;
  let misses = 0;
  while (planted.length < target && misses < FRAUD_KINDS.length) {
    const kind = FRAUD_KINDS[turn++ % FRAUD_KINDS.length]!;
    const index = order.find((i) => members[i]!.fraud === undefined && fits[kind](members[i]!));
    if (index === undefined) {
      misses++;
      continue;
    }
    misses = 0;
    const member = members[index]!;
    if (kind === "twin") {
      const leader = managers.get(member.walker.grid.code)!;
      member.fraud = { kind, partner: leader };
      leader.fraud = { kind, partner: member };
      // The follower's phone is on duty whenever the manager is: it is in the manager's pocket.
      Object.assign(member.plan, leader.plan);
      planted.push({ unitId: member.walker.id, kind, twinOf: leader.walker.id }, { unitId: leader.walker.id, kind, twinOf: member.walker.id });
      continue;
    }
    member.fraud = { kind };
    if (kind === "replay") member.plan.worksWeekends = true;
    planted.push({ unitId: member.walker.id, kind });
  }
  return planted;
}

/** The device lies on a desk: the same spot all shift, with ordinary GPS scatter. */
class StationaryTrack implements ShiftTrack {
  private readonly stream: Stream;
  private readonly lon: number;
  private readonly lat: number;
  private readonly cos: number;
  private at: number;

  constructor(
    private readonly walker: Walker,
    private readonly window: DutyWindow,
    seed: number,
  ) {
    this.stream = new Stream(shiftSeed(seed, walker, window.day, PURPOSE.spot));
    [this.lon, this.lat] = randomPointIn(walker.grid, this.stream);
    this.cos = cosOf(walker.grid);
    this.at = firstFixTime(this.stream, window.start);
  }

  next(): Fix | null {
    const at = this.at;
    if (at >= this.window.end) return null;
    this.at = nextFixTime(this.stream, at);
    return makeFix(this.stream, this.walker.id, at, this.lon, this.lat, this.cos, null, 0);
  }
}

/** A real walk with a mock-location app: every 10 to 20 minutes one fix 500 to 3,000 m away, then back. */
class JumpTrack implements ShiftTrack {
  private readonly walk: Walk;
  private readonly jumps: Stream;
  private nextJump: number;

  constructor(walker: Walker, window: DutyWindow, seed: number) {
    this.walk = new Walk(walker, window, seed);
    this.jumps = new Stream(shiftSeed(seed, walker, window.day, PURPOSE.jumps));
    this.nextJump = window.start + this.jumps.range(10, 20) * MINUTE_MS;
  }

  next(): Fix | null {
    const fix = this.walk.next();
    if (!fix || fix[3] < this.nextJump) return fix;
    this.nextJump = fix[3] + this.jumps.range(10, 20) * MINUTE_MS;
    const angle = this.jumps.range(0, 2 * Math.PI);
    const metres = this.jumps.range(500, 3000);
    const lat = fix[2] + (Math.cos(angle) * metres) / M_PER_DEG_LAT;
    const lon = fix[1] + (Math.sin(angle) * metres) / (M_PER_DEG_LAT * Math.cos((fix[2] * Math.PI) / 180));
    return [fix[0], Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6, fix[3], fix[4], fix[5], fix[6]];
  }
}

/** Scatter of the second phone around the first one's true position: the same pocket. */
const TWIN_SCATTER_M = 3;

/** The follower's phone: its own cadence, at the leader's true position within a few metres. */
class TwinTrack implements ShiftTrack {
  private readonly leader: Walk;
  private readonly stream: Stream;
  private readonly cos: number;
  private at: number;

  constructor(
    private readonly walker: Walker,
    leader: Walker,
    private readonly window: DutyWindow,
    seed: number,
  ) {
    this.leader = new Walk(leader, window, seed);
    this.stream = new Stream(shiftSeed(seed, walker, window.day, PURPOSE.twin));
    this.cos = cosOf(walker.grid);
    this.at = firstFixTime(this.stream, window.start);
  }

  next(): Fix | null {
    const at = this.at;
    if (at >= this.window.end) return null;
    this.at = nextFixTime(this.stream, at);
    while (this.leader.nextAt <= at && this.leader.next()) {
      // Catching the leader up to this fix.
    }
    const [lon, lat] = this.leader.trueAt(at);
    // A second phone idling in a pocket reports no course or speed of its own.
    return makeFix(this.stream, this.walker.id, at, lon, lat, this.cos, null, null, TWIN_SCATTER_M);
  }
}

/** The track of one member's shift, honest or as planted. */
export function shiftTrack(member: Plantable, window: DutyWindow, seed: number): ShiftTrack {
  const fraud = member.fraud;
  const walker = member.walker;
  if (!fraud) return new Walk(walker, window, seed);
  switch (fraud.kind) {
    case "stationary":
      return new StationaryTrack(walker, window, seed);
    case "speed":
      return new JumpTrack(walker, window, seed);
    case "replay":
      return new Walk(walker, window, seed, REPLAY_DAY);
    case "twin":
      // The manager walks for real; the assistant's phone rides along.
      return fraud.partner && member.role === "grid_assistant" ? new TwinTrack(walker, fraud.partner.walker, window, seed) : new Walk(walker, window, seed);
  }
}
