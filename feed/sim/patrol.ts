import type { Alert, Fix, Unit, UnitRole } from "../../shared/protocol/types.js";
import { toBeijingIso } from "../../shared/domain/time.js";
import type { Rng } from "../rng.js";
import type { SimGrid, SimRegion } from "../region.js";
import { randomPointIn } from "../region.js";
import { type DutyPlan, onDuty, shiftBefore, shiftFrom, type ShiftKind } from "./duty.js";
import { type Plantable, type Planted, plantFraud, shiftTrack } from "./fraud.js";
import { hashText } from "./stream.js";
import type { ShiftTrack } from "./walk.js";
import { personName, phoneNumber, ROLE_NAMES } from "./texts.js";

/*
 * Patrol staff (网格员 and the 7+X forces) on their shifts in Beijing time
 * (day rounds, evening rounds, police in three watches, firefighters on
 * 24-hour watches), now and then an SOS. Where they are is not kept here but
 * computed: each shift's track is a pure function of (seed, unit, day)
 * (walk.ts, fraud.ts), so what goes out live is what `tracks` recomputes
 * later. Statuses (busy, SOS, duty) are the stateful part; the device keeps
 * reporting through them, as a handheld in a pocket does.
 */

export type Member = Plantable & {
  unit: Unit;
  grid: SimGrid;
  /** Where the latest fix put them (cases they report sit there). */
  lon: number;
  lat: number;
  /** The shift being walked live and its next fix. */
  track: ShiftTrack | null;
  pending: Fix | null;
  /** When the next fix is due, or when to look for the next shift. */
  nextFixAt: number;
  shiftEnd: number;
  busyUntil: number;
  sosUntil: number;
};

/**
 * Above this many staff (city scale) an off-duty member's last known position
 * at start is the first fix of their last shift, not its last: walking every
 * finished shift again would add half a minute to a night-time start.
 */
const EXACT_LAST_FIX_LIMIT = 10_000;
/** Further behind than this, the live stream skips to now (`jump`). */
const CATCH_UP_MS = 10 * 60_000;

export type PatrolOptions = { sosPerUnitDay: number; scale: "street" | "district" | "city"; seed: number; fraudShare?: number };
export type PatrolOutput = { fix: (fix: Fix) => void; units: (units: Unit[]) => void; alert: (alert: Omit<Alert, "id">) => void };

export class Patrol {
  readonly members: Member[] = [];
  readonly byId = new Map<string, Member>();
  readonly planted: Planted[];
  private readonly byGrid = new Map<string, Member[]>();
  private nextDutyCheck = 0;

  constructor(
    region: SimRegion,
    private readonly rng: Rng,
    private readonly options: PatrolOptions,
  ) {
    const add = (grid: SimGrid, role: UnitRole, suffix: string, shift: ShiftKind) => {
      // The start point is no longer used (tracks are seeded per shift) but still drawn, so names and shifts stay those of the seed.
      const [lon, lat] = randomPointIn(grid, rng);
      const id = `U${grid.code}${suffix}`;
      const unit: Unit = { id, name: personName(rng), role, gridCode: grid.code, phone: phoneNumber(rng), status: "off_duty" };
      const plan: DutyPlan = { shift: shift === "day" && rng.chance(0.3) ? "day_evening" : shift, offset: rng.int(-20, 20), slot: rng.int(0, 2), worksWeekends: rng.chance(0.5) };
      const walkSpeed = rng.range(0.8, 1.4);
      rng.range(0, 30_000);
      const member: Member = { unit, grid, role, plan, walker: { id, hash: hashText(id), grid, walkSpeed }, lon, lat, track: null, pending: null, nextFixAt: 0, shiftEnd: 0, busyUntil: 0, sosUntil: 0 };
      this.members.push(member);
      this.byId.set(id, member);
      const list = this.byGrid.get(grid.code) ?? [];
      list.push(member);
      this.byGrid.set(grid.code, list);
    };
    const city = options.scale === "city";
    const seenCommunity = new Set<string>();
    const seenStreet = new Set<string>();
    region.grids.forEach((grid, index) => {
      add(grid, "grid_manager", "GM", "day");
      if (!city || index % 2 === 0) add(grid, "grid_assistant", "GA", "day");
      if (!seenCommunity.has(grid.communityCode)) {
        seenCommunity.add(grid.communityCode);
        add(grid, "grid_supervisor", "GS", "office");
        add(grid, "grid_police", "GP", "rotating");
        if (!city) add(grid, "party_secretary", "PS", "office");
      }
      if (!seenStreet.has(grid.streetCode)) {
        seenStreet.add(grid.streetCode);
        add(grid, "grid_judicial", "GJ", "office");
        add(grid, "grid_firefighter", "GF1", "watch24");
        add(grid, "grid_firefighter", "GF2", "watch24");
        for (let i = 1; i <= 3; i++) add(grid, "other", `CG${i}`, "long");
      }
    });
    this.planted = plantFraud(this.members, options.seed, options.fraudShare ?? 0);
  }

  /**
   * Puts everyone where their track has them at `at`: the live stream goes on
   * from the first fix at or after it, and the last known position is the
   * last fix before it (this shift's, or where the previous shift ended).
   */
  start(at: number): void {
    for (const member of this.members) {
      const last = this.seek(member, at) ?? this.lastFixOfShiftBefore(member, at);
      const duty = onDuty(member.plan, at);
      member.unit = { ...member.unit, status: duty ? "on_patrol" : "off_duty" };
      if (last) {
        [member.lon, member.lat] = [last[1], last[2]];
        member.unit.lastFix = { lon: last[1], lat: last[2], at: last[3], ...(last[4] !== null ? { heading: last[4] } : {}), ...(last[5] !== null ? { speed: last[5] } : {}), ...(last[6] !== null ? { accuracy: last[6] } : {}) };
      }
    }
  }

  /** Opens the shift under way at `at` (or the next one) with its first fix at or after `at`; returns the fix before, if any. */
  private seek(member: Member, at: number): Fix | null {
    const window = shiftFrom(member.plan, at);
    member.track = null;
    member.pending = null;
    if (!window) {
      member.nextFixAt = at + 86_400_000;
      return null;
    }
    const track = shiftTrack(member, window, this.options.seed);
    member.shiftEnd = window.end;
    let before: Fix | null = null;
    let fix = track.next();
    while (fix && fix[3] < at) {
      before = fix;
      fix = track.next();
    }
    member.track = fix ? track : null;
    member.pending = fix;
    member.nextFixAt = fix ? fix[3] : window.end;
    return before;
  }

  private lastFixOfShiftBefore(member: Member, at: number): Fix | null {
    const window = shiftBefore(member.plan, at);
    if (!window || window.end > at) return null;
    const track = shiftTrack(member, window, this.options.seed);
    if (this.members.length > EXACT_LAST_FIX_LIMIT) return track.next();
    let last: Fix | null = null;
    for (let fix = track.next(); fix; fix = track.next()) last = fix;
    return last;
  }

  units(): Unit[] {
    return this.members.map((m) => m.unit);
  }

  onDutyIn(gridCode: string): Member[] {
    return (this.byGrid.get(gridCode) ?? []).filter((m) => m.unit.status === "on_patrol");
  }

  private setStatus(member: Member, status: Unit["status"], changed: Unit[]): void {
    if (member.unit.status === status) return;
    member.unit = { ...member.unit, status };
    changed.push(member.unit);
  }

  /** Marks a member busy with a case for a while. */
  occupy(member: Member, at: number, minutes: number, out: PatrolOutput): void {
    member.busyUntil = at + minutes * 60_000;
    const changed: Unit[] = [];
    this.setStatus(member, "busy", changed);
    out.units(changed);
  }

  raiseSos(member: Member, at: number, out: PatrolOutput): void {
    member.sosUntil = at + this.rng.range(8, 20) * 60_000;
    const changed: Unit[] = [];
    this.setStatus(member, "sos", changed);
    out.units(changed);
    out.alert({
      at: toBeijingIso(at),
      level: "critical",
      title: `${member.unit.name}（${ROLE_NAMES[member.unit.role]}）发出SOS求助`,
      body: `${member.grid.streetName}${member.grid.name}，请立即联系并调派附近力量`,
      unitId: member.unit.id,
      lon: member.lon,
      lat: member.lat,
    });
  }

  /** Sends every fix due up to `now`; once a simulated minute, shifts, breaks and SOS. */
  step(now: number, out: PatrolOutput, options: { fixes: boolean }): void {
    const changed: Unit[] = [];
    const minuteTick = now >= this.nextDutyCheck;
    if (minuteTick) this.nextDutyCheck = now + 60_000;
    const sosChance = this.options.sosPerUnitDay / 1440;
    for (const member of this.members) {
      if (minuteTick) this.checkStatus(member, now, out, changed, sosChance);
      // Warm-up only plays statuses: the tracks need no stepping to be where they are.
      if (!options.fixes) continue;
      if (now - member.nextFixAt > CATCH_UP_MS) this.jump(member, now, out);
      while (member.nextFixAt <= now) this.advance(member, out);
    }
    if (changed.length > 0) out.units(changed);
  }

  private checkStatus(member: Member, now: number, out: PatrolOutput, changed: Unit[], sosChance: number): void {
    const status = member.unit.status;
    if (status === "sos" && now >= member.sosUntil) {
      this.setStatus(member, "on_patrol", changed);
      out.alert({ at: toBeijingIso(now), level: "info", title: `${member.unit.name}的SOS求助已解除`, unitId: member.unit.id, lon: member.lon, lat: member.lat });
    } else if (status === "busy" && now >= member.busyUntil) {
      this.setStatus(member, "on_patrol", changed);
    } else if (status !== "sos") {
      const duty = onDuty(member.plan, now);
      if (!duty && status !== "off_duty") this.setStatus(member, "off_duty", changed);
      if (duty && status === "off_duty") this.setStatus(member, "on_patrol", changed);
      if (duty && status === "on_patrol" && this.rng.chance(sosChance)) this.raiseSos(member, now, out);
    }
  }

  /**
   * Far behind (a trainer's skip of hours or days): a frame carries only the
   * latest fix per unit anyway, so rather than computing every fix of the
   * gap, open the shift under way now and send its latest fix.
   */
  private jump(member: Member, now: number, out: PatrolOutput): void {
    const latest = this.seek(member, now + 1);
    if (!latest) return;
    out.fix(latest);
    [member.lon, member.lat] = [latest[1], latest[2]];
  }

  /** Sends the pending fix, or opens the next shift when this one is walked. */
  private advance(member: Member, out: PatrolOutput): void {
    const fix = member.pending;
    if (!fix || !member.track) {
      this.seek(member, member.nextFixAt);
      return;
    }
    out.fix(fix);
    [member.lon, member.lat] = [fix[1], fix[2]];
    member.pending = member.track.next();
    if (member.pending) member.nextFixAt = member.pending[3];
    else {
      member.track = null;
      member.nextFixAt = member.shiftEnd;
    }
  }
}
