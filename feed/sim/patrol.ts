import type { Alert, Fix, Unit, UnitRole } from "../../shared/protocol/types.js";
import { beijingParts, toBeijingIso } from "../../shared/domain/time.js";
import type { Rng } from "../rng.js";
import type { SimGrid, SimRegion } from "../region.js";
import { randomPointIn } from "../region.js";
import { personName, phoneNumber, ROLE_NAMES } from "./texts.js";

/*
 * Patrol staff (网格员 and the 7+X forces) walking their own grid at a
 * handheld's cadence: a fix every 10 to 30 s with GPS scatter, breaks, shifts
 * in Beijing time (day rounds, evening rounds, police in three watches,
 * firefighters on 24-hour watches), and now and then an SOS.
 */

type ShiftKind = "day" | "day_evening" | "office" | "rotating" | "watch24" | "long";

export type Member = {
  unit: Unit;
  grid: SimGrid;
  shift: ShiftKind;
  /** Minutes the person starts or leaves early or late, and which watch they keep. */
  offset: number;
  slot: number;
  worksWeekends: boolean;
  lon: number;
  lat: number;
  targetLon: number;
  targetLat: number;
  walkSpeed: number;
  lastMoveAt: number;
  nextFixAt: number;
  pauseUntil: number;
  sosUntil: number;
};

export type PatrolOptions = { sosPerUnitDay: number; scale: "street" | "district" | "city" };
export type PatrolOutput = { fix: (fix: Fix) => void; units: (units: Unit[]) => void; alert: (alert: Omit<Alert, "id">) => void };

const M_PER_DEG_LAT = 111_320;

function onDuty(member: Member, at: number): boolean {
  const p = beijingParts(at);
  const minute = p.hour * 60 + p.minute;
  const weekend = p.weekday === 0 || p.weekday === 6;
  const day = Math.floor((at + 8 * 3600_000) / 86_400_000);
  switch (member.shift) {
    case "day":
      return (!weekend || member.worksWeekends) && minute >= 510 + member.offset && minute < 1050 + member.offset;
    case "day_evening":
      return (!weekend || member.worksWeekends) && minute >= 510 + member.offset && minute < 1290 + member.offset;
    case "office":
      return !weekend && minute >= 540 + member.offset && minute < 1050 + member.offset;
    case "rotating":
      return Math.floor(p.hour / 8) === member.slot;
    case "watch24":
      return (day + member.slot) % 3 === 0;
    case "long":
      return minute >= 420 + member.offset && minute < 1140 + member.offset;
  }
}

export class Patrol {
  readonly members: Member[] = [];
  readonly byId = new Map<string, Member>();
  private readonly byGrid = new Map<string, Member[]>();
  private nextDutyCheck = 0;

  constructor(
    region: SimRegion,
    private readonly rng: Rng,
    private readonly options: PatrolOptions,
    startAt: number,
  ) {
    const add = (grid: SimGrid, role: UnitRole, suffix: string, shift: ShiftKind) => {
      const [lon, lat] = randomPointIn(grid, rng);
      const member: Member = {
        unit: { id: `U${grid.code}${suffix}`, name: personName(rng), role, gridCode: grid.code, phone: phoneNumber(rng), status: "off_duty" },
        grid,
        shift: shift === "day" && rng.chance(0.3) ? "day_evening" : shift,
        offset: rng.int(-20, 20),
        slot: rng.int(0, 2),
        worksWeekends: rng.chance(0.5),
        lon,
        lat,
        targetLon: lon,
        targetLat: lat,
        walkSpeed: rng.range(0.8, 1.4),
        lastMoveAt: startAt,
        nextFixAt: startAt + rng.range(0, 30_000),
        pauseUntil: 0,
        sosUntil: 0,
      };
      this.members.push(member);
      this.byId.set(member.unit.id, member);
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
    for (const member of this.members) {
      const duty = onDuty(member, startAt);
      // Everyone has a last known position from the start: where they are, or where they went off duty.
      const at = duty ? startAt : startAt - Math.floor(rng.range(1, 10) * 3600_000);
      const lastFix = { lon: Math.round(member.lon * 1e6) / 1e6, lat: Math.round(member.lat * 1e6) / 1e6, at, accuracy: Math.round(rng.range(4, 20)) };
      member.unit = { ...member.unit, status: duty ? "on_patrol" : "off_duty", lastFix };
    }
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

  /** Marks a member busy with a case for a while (they stop to handle it). */
  occupy(member: Member, at: number, minutes: number, out: PatrolOutput): void {
    member.pauseUntil = at + minutes * 60_000;
    const changed: Unit[] = [];
    this.setStatus(member, "busy", changed);
    out.units(changed);
  }

  raiseSos(member: Member, at: number, out: PatrolOutput): void {
    member.sosUntil = at + this.rng.range(8, 20) * 60_000;
    member.pauseUntil = member.sosUntil;
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

  /** Moves everyone due a fix up to `now`; once a simulated minute, shifts, breaks and SOS. */
  step(now: number, out: PatrolOutput, options: { fixes: boolean }): void {
    const changed: Unit[] = [];
    const minuteTick = now >= this.nextDutyCheck;
    if (minuteTick) this.nextDutyCheck = now + 60_000;
    const sosChance = this.options.sosPerUnitDay / 1440;
    for (const member of this.members) {
      const status = member.unit.status;
      if (minuteTick) {
        if (status === "sos" && now >= member.sosUntil) {
          this.setStatus(member, "on_patrol", changed);
          out.alert({ at: toBeijingIso(now), level: "info", title: `${member.unit.name}的SOS求助已解除`, unitId: member.unit.id, lon: member.lon, lat: member.lat });
        } else if (status === "busy" && now >= member.pauseUntil) {
          this.setStatus(member, "on_patrol", changed);
        } else if (status !== "sos") {
          const duty = onDuty(member, now);
          if (!duty && status !== "off_duty") this.setStatus(member, "off_duty", changed);
          if (duty && status === "off_duty") {
            this.setStatus(member, "on_patrol", changed);
            [member.lon, member.lat] = randomPointIn(member.grid, this.rng);
            member.lastMoveAt = now;
            member.nextFixAt = now;
          }
          if (duty && status === "on_patrol" && this.rng.chance(sosChance)) this.raiseSos(member, now, out);
        }
      }
      if (member.unit.status === "off_duty" || now < member.nextFixAt) continue;
      this.move(member, now);
      if (options.fixes) out.fix(this.fix(member, now));
    }
    if (changed.length > 0) out.units(changed);
  }

  private move(member: Member, now: number): void {
    const seconds = Math.max(0, (now - member.lastMoveAt) / 1000);
    member.lastMoveAt = now;
    member.nextFixAt = now + this.rng.range(10_000, 30_000);
    if (now < member.pauseUntil) return;
    if (this.rng.chance(0.004)) {
      member.pauseUntil = now + this.rng.range(5, 25) * 60_000;
      return;
    }
    const cos = Math.cos((member.lat * Math.PI) / 180);
    let budget = member.walkSpeed * seconds;
    while (budget > 0) {
      const dx = (member.targetLon - member.lon) * M_PER_DEG_LAT * cos;
      const dy = (member.targetLat - member.lat) * M_PER_DEG_LAT;
      const distance = Math.hypot(dx, dy);
      if (distance <= budget) {
        member.lon = member.targetLon;
        member.lat = member.targetLat;
        budget -= distance;
        [member.targetLon, member.targetLat] = randomPointIn(member.grid, this.rng);
        if (distance < 1e-6 && budget > 0) break;
      } else {
        member.lon += (dx / distance) * (budget / (M_PER_DEG_LAT * cos));
        member.lat += (dy / distance) * (budget / M_PER_DEG_LAT);
        budget = 0;
      }
    }
  }

  private fix(member: Member, now: number): Fix {
    const accuracy = this.rng.chance(0.08) ? this.rng.range(30, 80) : this.rng.range(4, 20);
    const scatter = () => (this.rng.next() + this.rng.next() - 1) * accuracy * 0.7;
    const cos = Math.cos((member.lat * Math.PI) / 180);
    const lon = member.lon + scatter() / (M_PER_DEG_LAT * cos);
    const lat = member.lat + scatter() / M_PER_DEG_LAT;
    const moving = now >= member.pauseUntil;
    const dx = (member.targetLon - member.lon) * cos;
    const dy = member.targetLat - member.lat;
    const heading = moving && (dx !== 0 || dy !== 0) ? Math.round(((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360) : null;
    const speed = moving ? Math.round(member.walkSpeed * 10) / 10 : 0;
    return [member.unit.id, Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6, now, heading, speed, Math.round(accuracy)];
  }
}
