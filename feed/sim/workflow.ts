import type { Category, Department } from "../../shared/bridge/contract.js";
import { defaultDepartment } from "../../shared/domain/reference.js";
import { DEPARTMENT_MOVES } from "../../shared/domain/lifecycle.js";
import { toBeijingIso } from "../../shared/domain/time.js";
import type { Incident, IncidentStatus, Rating } from "../../shared/protocol/types.js";
import type { Rng } from "../rng.js";
import { changeIncident, hoursLater } from "../incidents.js";
import { PROCESS_NOTES, REJECT_REASONS, responseNote } from "./texts.js";

/*
 * Who moves a case along besides the operator at this console:
 * - the responsible department (always): signs for it (processing) and answers
 *   (responded), with delays drawn from the category's deadlines; some late,
 *   some answered poorly ("已处理") so the operator has something to send back;
 * - with autopilot, the other operators of the sub-center: they register or
 *   reject most new reports in minutes, dispatch to the usual department, and
 *   verify most good answers within two hours. What they leave (the rest of
 *   the reports and answers, and every poor answer: deciding rework is the
 *   job being trained) waits for the operator at this console, and if they
 *   have not acted in hours, the shift's operator on duty does it, as a
 *   sub-center never leaves a report unregistered for a day.
 * Each reaction is planned when a case enters a status and dropped if the case
 * has left that status by the time it is due (so an operator who acts first
 * always wins).
 *
 * The feed's past (history.ts) draws every delay and share from the functions
 * below, so an unattended demo's day runs like the days before it and 环比
 * compares like with like (history.test.ts holds them together).
 */

export type Plan = { afterMs: number; act: (incident: Incident, at: number) => Incident | null };
export type WorkflowOptions = { autopilot: boolean; autopilotShare: number };

const HOUR = 3600_000;
const MINUTE = 60_000;

/** Share of the new reports the sub-center's other operators register or reject within minutes (autopilot). */
export const OTHERS_SHARE = 0.7;
/** Share of reports rejected at intake (not a grid matter, a duplicate...). */
export const REJECT_SHARE = 0.06;
/** Share of department answers that are poor ("已处理") and must be sent back. */
export const POOR_SHARE = 0.12;
/** Share of good answers the other operators verify within two hours. */
export const QUICK_VERIFY_SHARE = 0.65;
/** Share of answers that come after their response deadline. */
export const LATE_SHARE = 0.1;

export const DUTY_ACTOR = "分中心值班员";
/** Who records a reporter's verdict on a closed case (回访). */
export const REVISIT_ACTOR = "回访员";

/** Share of closed cases whose reporter gives a verdict when called back (回访). */
export const RATED_SHARE = 0.6;
/** The verdicts: most satisfied. */
export const RATINGS: readonly { rating: Rating; weight: number }[] = [
  { rating: "satisfied", weight: 0.8 },
  { rating: "basically_satisfied", weight: 0.13 },
  { rating: "unsatisfied", weight: 0.07 },
];

/** Whether a just-closed case's reporter rates it, how, and how long after the close: 2 to 24 hours. */
export function revisit(rng: Rng): { afterMs: number; rating: Rating } | null {
  if (!rng.chance(RATED_SHARE)) return null;
  const rating = rng.weighted(RATINGS, (r) => r.weight).rating;
  return { afterMs: rng.range(2, 24) * HOUR, rating };
}

/** A closed case with its reporter's verdict (the platform's `evaluate`: sets `evaluation`, adds the history line). */
export function rated(incident: Incident, at: number, rating: Rating, note?: string): Incident {
  const entry = note === undefined ? { action: "evaluate", actor: REVISIT_ACTOR } : { action: "evaluate", actor: REVISIT_ACTOR, note };
  return changeIncident(incident, { evaluation: { rating, at: toBeijingIso(at) } }, at, entry);
}

/** Intake of a new report: an urgent one at once, most in minutes, the rest when the operator on duty gets to them. */
export function intake(rng: Rng, priority: Incident["priority"], othersShare: number): { afterMs: number; reject: boolean } {
  const afterMs = priority === "urgent" ? rng.range(0.5, 3) * MINUTE : rng.chance(othersShare) ? rng.range(2, 20) * MINUTE : rng.range(0.5, 6) * HOUR;
  return { afterMs, reject: rng.chance(REJECT_SHARE) };
}

/** From registration to dispatch. */
export const dispatchAfterMs = (rng: Rng): number => rng.range(1, 12) * MINUTE;

/** From dispatch to the department signing for the case: quick, a few departments sit on it. */
export const signAfterMs = (rng: Rng, respondHours: number): number => Math.min(rng.logNormal(Math.min(respondHours * 0.12, 1), 0.8), respondHours * 0.5) * HOUR;

/** From signing to the answer, with `hoursLeft` to the response deadline: most well inside it, about one in ten late. */
export function answerAfterMs(rng: Rng, hoursLeft: number): number {
  if (rng.chance(LATE_SHARE)) return hoursLeft * rng.range(1.05, 1.8) * HOUR;
  return Math.min(rng.logNormal(hoursLeft * 0.4, 0.6), hoursLeft * 0.95) * HOUR;
}

/** Verification of an answer: a good one closed (most within two hours), a poor one sent back by the operator on duty hours later. */
export function verification(rng: Rng, poor: boolean): { afterMs: number; verdict: "close" | "rework" } {
  if (poor) return { afterMs: rng.range(2, 12) * HOUR, verdict: "rework" };
  return { afterMs: rng.chance(QUICK_VERIFY_SHARE) ? rng.range(15, 120) * MINUTE : rng.range(2, 12) * HOUR, verdict: "close" };
}

/** Sent back to the department (返工) with fresh deadlines from the category's hours, as the platform's rework command does (commands.ts). */
export function sendBack(incident: Incident, at: number, category: Pick<Category, "respondHours" | "closeHours"> | undefined, actor: string): Incident {
  return changeIncident(
    incident,
    { status: "dispatched", reworkCount: incident.reworkCount + 1, respondBy: hoursLater(at, category?.respondHours ?? 24), closeBy: hoursLater(at, category?.closeHours ?? 72) },
    at,
    { action: "rework", actor, note: "反馈与现场不符，请重新处置" },
  );
}

export class Workflow {
  /** Cases a script drives by hand (trainer inject with manual): no automatic moves. */
  readonly manual = new Set<string>();
  /** Whether each case's latest answer is poor, drawn when the department starts on it; a case that came answered (the feed's past, a restart) is drawn when verified. */
  private readonly poor = new Map<string, boolean>();

  constructor(
    private readonly rng: Rng,
    private readonly categories: readonly Category[],
    private readonly departments: readonly Department[],
    private readonly options: WorkflowOptions,
  ) {}

  private category(incident: Incident): Category | undefined {
    return this.categories.find((c) => c.code === incident.category.code);
  }

  /** The department's next step on a dispatched or processing case, or null. */
  departmentStep(incident: Incident, at: number, options: { poor?: boolean } = {}): Incident | null {
    const actor = incident.department?.name ?? "责任部门";
    const to = DEPARTMENT_MOVES[incident.status];
    if (to === "processing") return changeIncident(incident, { status: to }, at, { action: "process", actor, note: this.rng.pick(PROCESS_NOTES) });
    if (to === "responded") {
      const poor = options.poor ?? this.poor.get(incident.id) ?? false;
      this.poor.set(incident.id, poor);
      return changeIncident(incident, { status: to }, at, { action: "respond", actor, note: responseNote(this.rng, incident.category.code, poor) });
    }
    return null;
  }

  /** What should happen next to a case that just entered `status` (or was urged), if anything. */
  plan(incident: Incident, urged: boolean): Plan | null {
    const category = this.category(incident);
    const respondHours = category?.respondHours ?? 24;
    const rng = this.rng;
    const auto = this.options.autopilot && !this.manual.has(incident.id) && incident.source !== "console";
    const step = (afterMs: number): Plan => ({ afterMs, act: (current, at) => this.departmentStep(current, at) });
    if (this.manual.has(incident.id) && (incident.status === "dispatched" || incident.status === "processing")) return null;

    switch (incident.status as IncidentStatus) {
      case "reported": {
        if (!auto) return null;
        const { afterMs, reject } = intake(rng, incident.priority, this.options.autopilotShare);
        if (reject) return { afterMs, act: (current, at) => changeIncident(current, { status: "rejected" }, at, { action: "reject", actor: DUTY_ACTOR, note: rng.pick(REJECT_REASONS) }) };
        return { afterMs, act: (current, at) => changeIncident(current, { status: "registered" }, at, { action: "register", actor: DUTY_ACTOR }) };
      }
      case "registered": {
        if (!auto) return null;
        const department = defaultDepartment(this.departments, incident.category.code);
        if (!department) return null;
        return {
          afterMs: dispatchAfterMs(rng),
          act: (current, at) =>
            changeIncident(
              current,
              { status: "dispatched", department: { id: department.id, name: department.name }, respondBy: hoursLater(at, respondHours), closeBy: hoursLater(at, category?.closeHours ?? 72) },
              at,
              { action: "dispatch", actor: DUTY_ACTOR, note: department.name },
            ),
        };
      }
      case "dispatched": {
        if (urged) return step(rng.range(10, 40) * MINUTE);
        return step(signAfterMs(rng, respondHours));
      }
      case "processing": {
        if (urged) return step(rng.range(20, 90) * MINUTE);
        this.poor.set(incident.id, rng.chance(POOR_SHARE));
        // respondBy is the deadline for the answer.
        const left = Math.max(0.1, (Date.parse(incident.respondBy ?? "") - Date.parse(incident.updatedAt)) / HOUR || respondHours);
        return step(answerAfterMs(rng, left));
      }
      case "responded": {
        if (!auto) return null;
        const { afterMs, verdict } = verification(rng, this.poor.get(incident.id) ?? rng.chance(POOR_SHARE));
        if (verdict === "rework") return { afterMs, act: (current, at) => sendBack(current, at, category, DUTY_ACTOR) };
        return { afterMs, act: (current, at) => changeIncident(current, { status: "closed" }, at, { action: "close", actor: DUTY_ACTOR, note: "经核查，处置到位，准予结案" }) };
      }
      case "closed":
      case "rejected":
        return null;
    }
  }

  /** Whether the autopilot's residents rate this case once closed: not the console's own reports, nor a script's. */
  rates(incident: Incident): boolean {
    return this.options.autopilot && !this.manual.has(incident.id) && incident.source !== "console";
  }

  forget(id: string): void {
    this.poor.delete(id);
    this.manual.delete(id);
  }
}
