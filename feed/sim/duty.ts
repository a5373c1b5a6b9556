import { BEIJING_OFFSET_MS } from "../../shared/domain/time.js";

/*
 * Shifts in Beijing time as pure functions of a member's duty plan and the
 * day: every shift lies inside one Beijing calendar day, so (unit, day)
 * names a shift, and a shift's walk can be seeded from it.
 */

export type ShiftKind = "day" | "day_evening" | "office" | "rotating" | "watch24" | "long";

export type DutyPlan = {
  shift: ShiftKind;
  /** Minutes the person starts or leaves early or late. */
  offset: number;
  /** Which watch they keep (police: 0..2 of three eight-hour watches; firefighters: which day of three). */
  slot: number;
  worksWeekends: boolean;
};

export type DutyWindow = { day: number; start: number; end: number };

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The Beijing calendar day of an instant, counted from 1970-01-01. */
export const beijingDay = (at: number): number => Math.floor((at + BEIJING_OFFSET_MS) / DAY_MS);
export const dayStart = (day: number): number => day * DAY_MS - BEIJING_OFFSET_MS;

/** Start and end minute of the day's shift, or null for a day off. */
function minutesOf(plan: DutyPlan, day: number): [number, number] | null {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  switch (plan.shift) {
    case "day":
      return !weekend || plan.worksWeekends ? [510 + plan.offset, 1050 + plan.offset] : null;
    case "day_evening":
      return !weekend || plan.worksWeekends ? [510 + plan.offset, 1290 + plan.offset] : null;
    case "office":
      return weekend ? null : [540 + plan.offset, 1050 + plan.offset];
    case "rotating":
      return [plan.slot * 480, plan.slot * 480 + 480];
    case "watch24":
      return (day + plan.slot) % 3 === 0 ? [0, 1440] : null;
    case "long":
      return [420 + plan.offset, 1140 + plan.offset];
  }
}

export function dutyWindow(plan: DutyPlan, day: number): DutyWindow | null {
  const minutes = minutesOf(plan, day);
  if (!minutes) return null;
  const base = dayStart(day);
  return { day, start: base + minutes[0] * MINUTE_MS, end: base + minutes[1] * MINUTE_MS };
}

export function onDuty(plan: DutyPlan, at: number): boolean {
  const window = dutyWindow(plan, beijingDay(at));
  return window !== null && at >= window.start && at < window.end;
}

/** The first shift that ends after `from` (the one under way, or the next), looking a week ahead. */
export function shiftFrom(plan: DutyPlan, from: number): DutyWindow | null {
  const first = beijingDay(from);
  for (let day = first; day <= first + 7; day++) {
    const window = dutyWindow(plan, day);
    if (window && window.end > from) return window;
  }
  return null;
}

/** The last shift that started before `before`, looking a week back. */
export function shiftBefore(plan: DutyPlan, before: number): DutyWindow | null {
  const last = beijingDay(before);
  for (let day = last; day >= last - 7; day--) {
    const window = dutyWindow(plan, day);
    if (window && window.start < before) return window;
  }
  return null;
}
