import type { Category, Department } from "../../shared/bridge/contract.js";
import { defaultDepartment } from "../../shared/domain/reference.js";
import { DEPARTMENT_MOVES } from "../../shared/domain/lifecycle.js";
import type { Incident, IncidentStatus } from "../../shared/protocol/types.js";
import type { Rng } from "../rng.js";
import { changeIncident, hoursLater } from "../incidents.js";
import { PROCESS_NOTES, REJECT_REASONS, responseNote } from "./texts.js";

/*
 * Who moves a case along besides the operator at this console:
 * - the responsible department (always): signs for it (processing) and answers
 *   (responded), with delays drawn from the category's deadlines; some late,
 *   some answered poorly ("已处理") so the operator has something to send back;
 * - with autopilot, the other operators of the sub-center: they register or
 *   reject part of the new reports, dispatch to the usual department, and
 *   verify part of the good answers. Poor answers are always left to the
 *   operator: deciding rework is the job being trained.
 * Each reaction is planned when a case enters a status and dropped if the case
 * has left that status by the time it is due.
 */

export type Plan = { afterMs: number; act: (incident: Incident, at: number) => Incident | null };
export type WorkflowOptions = { autopilot: boolean; autopilotShare: number };

const HOUR = 3600_000;
const MINUTE = 60_000;

export class Workflow {
  /** Cases a script drives by hand (trainer inject with manual): no automatic moves. */
  readonly manual = new Set<string>();
  private readonly poor = new Set<string>();

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
      const poor = options.poor ?? this.poor.has(incident.id);
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
        if (!auto || !rng.chance(this.options.autopilotShare)) return null;
        const afterMs = (incident.priority === "urgent" ? rng.range(0.5, 3) : rng.range(2, 20)) * MINUTE;
        if (rng.chance(0.08)) return { afterMs, act: (current, at) => changeIncident(current, { status: "rejected" }, at, { action: "reject", actor: "分中心值班员", note: rng.pick(REJECT_REASONS) }) };
        return { afterMs, act: (current, at) => changeIncident(current, { status: "registered" }, at, { action: "register", actor: "分中心值班员" }) };
      }
      case "registered": {
        if (!auto) return null;
        const department = defaultDepartment(this.departments, incident.category.code);
        if (!department) return null;
        return {
          afterMs: rng.range(1, 12) * MINUTE,
          act: (current, at) =>
            changeIncident(
              current,
              { status: "dispatched", department: { id: department.id, name: department.name }, respondBy: hoursLater(at, respondHours), closeBy: hoursLater(at, category?.closeHours ?? 72) },
              at,
              { action: "dispatch", actor: "分中心值班员", note: department.name },
            ),
        };
      }
      case "dispatched": {
        if (urged) return step(rng.range(10, 40) * MINUTE);
        // Signing for a case is quick; a few departments sit on it.
        return step(Math.min(rng.logNormal(Math.min(respondHours * 0.12, 1), 0.8), respondHours * 0.5) * HOUR);
      }
      case "processing": {
        if (urged) return step(rng.range(20, 90) * MINUTE);
        if (rng.chance(0.12)) this.poor.add(incident.id);
        else this.poor.delete(incident.id);
        // respondBy is the deadline for the answer: most come well inside it, about one in ten late.
        const left = Math.max(0.1, (Date.parse(incident.respondBy ?? "") - Date.parse(incident.updatedAt)) / HOUR || respondHours);
        if (rng.chance(0.1)) return step(left * rng.range(1.05, 1.8) * HOUR);
        return step(Math.min(rng.logNormal(left * 0.4, 0.6), left * 0.95) * HOUR);
      }
      case "responded": {
        if (!auto || this.poor.has(incident.id) || !rng.chance(0.65)) return null;
        return {
          afterMs: rng.range(15, 120) * MINUTE,
          act: (current, at) => changeIncident(current, { status: "closed" }, at, { action: "close", actor: "分中心值班员", note: "经核查，处置到位，准予结案" }),
        };
      }
      case "closed":
      case "rejected":
        return null;
    }
  }

  forget(id: string): void {
    this.poor.delete(id);
    this.manual.delete(id);
  }
}
