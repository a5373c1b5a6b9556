import type { Category, Department } from "../../shared/bridge/contract.js";
import { defaultDepartment } from "../../shared/domain/reference.js";
import { startOfBeijingDay } from "../../shared/domain/time.js";
import type { Incident, Rating } from "../../shared/protocol/types.js";
import { changeIncident, hoursLater } from "../incidents.js";
import type { Rng } from "../rng.js";
import type { SimGrid } from "../region.js";
import { buildCase } from "./cases.js";
import { categoryWeight, patternOf, totalShare } from "./patterns.js";
import { REJECT_REASONS } from "./texts.js";
import { answerAfterMs, dispatchAfterMs, DUTY_ACTOR, intake, OTHERS_SHARE, POOR_SHARE, rated, revisit, sendBack, signAfterMs, verification } from "./workflow.js";

/*
 * The street's past: the cases of the days before the simulation starts,
 * made in one pass per case from the seed rather than simulated minute by
 * minute (a district's 35 days are some 30,000 cases; the minute-by-minute
 * warm-up would take minutes). Each case runs its whole loop at once with
 * the delays and shares the live workflow draws (workflow.ts's intake,
 * signAfterMs, answerAfterMs, verification, sendBack): registered or
 * rejected, dispatched with the category's deadlines, answered (about one in
 * ten late), sent back while the answer is poor, closed, and often evaluated
 * by its reporter. A step that would fall at or after `until` (where the live
 * simulation takes over) is not taken: the case is handed over open.
 *
 * Past cases come lean, as a platform's record of old cases would: no free
 * text (description, notes but a rejection's reason) and no reporter, times
 * to the second. They are there to be counted: a district's 35 days then
 * take some 25 MB of snapshot rather than 45.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Arrivals are drawn per slot with the category weights of the slot's middle. */
const SLOT = 10 * MINUTE;

export type HistorySource = {
  rng: Rng;
  categories: readonly Category[];
  departments: readonly Department[];
  grids: number;
  casesPerGridDay: number;
  pickGrid(): { grid: SimGrid; index: number };
  /** The staff of a grid who may have reported a case there (name and unit id). */
  reporterIn(gridCode: string): { name: string; unitId: string } | undefined;
  newCaseId(at: number): string;
  /** A closed case's rating that falls at or after `until`: the live simulation delivers it then. */
  rateLater?(incidentId: string, rating: Rating, at: number): void;
};

/** The first instant of the history: `days` whole Beijing days before `until`'s day, and one lead-in day before them. */
export function historyStart(until: number, days: number): number {
  return startOfBeijingDay(until) - (days + 1) * DAY;
}

/** Cases created in [historyStart(until, days), until), oldest first, each as far along as it got by `until`. */
export function pastCases(source: HistorySource, until: number, days: number): Incident[] {
  if (!(days > 0)) return [];
  const { rng, categories } = source;
  const codes = categories.map((c) => c.code);
  const perMsAtWeight = (source.grids * source.casesPerGridDay) / totalShare(codes) / DAY;
  const out: Incident[] = [];
  for (let slot = historyStart(until, days); slot < until; slot += SLOT) {
    const length = Math.min(SLOT, until - slot);
    const weights = categories.map((c) => categoryWeight(c.code, slot + length / 2));
    const expected = perMsAtWeight * weights.reduce((a, b) => a + b, 0) * length;
    const arrivals = poisson(rng, expected);
    const times = Array.from({ length: arrivals }, () => slot + Math.floor(rng.next() * length)).sort((a, b) => a - b);
    for (const at of times) {
      const category = rng.weighted(categories.map((c, i) => ({ c, w: weights[i] ?? 0 })), (x) => x.w).c;
      out.push(pastCase(source, category, at, until));
    }
  }
  return out;
}

function poisson(rng: Rng, mean: number): number {
  // Normal approximation above 30 (a district's busy slot holds ~10); Knuth's product below.
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
  const limit = Math.exp(-mean);
  let n = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) n++;
  return n;
}

const gaussian = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

const second = (ms: number): number => Math.round(ms / 1000) * 1000;

function pastCase(source: HistorySource, category: Category, at: number, until: number): Incident {
  const { rng } = source;
  const { grid, index } = source.pickGrid();
  const sources = patternOf(category.code).sources;
  const reporter = source.reporterIn(grid.code);
  const kind = rng.weighted(["patrol", "hotline", "resident_app"] as const, (s) => (s === "patrol" && !reporter ? 0 : (sources[s] ?? 0)));
  const built = buildCase(rng, { id: source.newCaseId(at), category, grid, gridIndex: index, source: kind, at: second(at) });
  const { description: _text, reporter: _resident, ...lean } = built;
  let incident: Incident = lean;
  if (kind === "patrol" && reporter) incident.history = [{ ...incident.history[0]!, actor: `网格员 ${reporter.name}` }];
  let t = at;
  // Each step happens `afterMs` after the last one, unless that is past `until`: then the case stays where it is.
  const step = (afterMs: number, change: (current: Incident, when: number) => Incident): boolean => {
    const when = second(t + Math.max(MINUTE, afterMs));
    if (when >= until) return false;
    t = when;
    incident = change(incident, when);
    return true;
  };
  const { afterMs: intakeAfter, reject } = intake(rng, incident.priority, OTHERS_SHARE);
  if (reject) {
    step(intakeAfter, (c, w) => changeIncident(c, { status: "rejected" }, w, { action: "reject", actor: DUTY_ACTOR, note: rng.pick(REJECT_REASONS) }));
    return incident;
  }
  if (!step(intakeAfter, (c, w) => changeIncident(c, { status: "registered" }, w, { action: "register", actor: DUTY_ACTOR }))) return incident;
  const department = defaultDepartment(source.departments, category.code) ?? source.departments[0];
  if (!department) return incident;
  const dispatched = (c: Incident, w: number) =>
    changeIncident(
      c,
      { status: "dispatched", department: { id: department.id, name: department.name }, respondBy: hoursLater(w, category.respondHours), closeBy: hoursLater(w, category.closeHours) },
      w,
      { action: "dispatch", actor: DUTY_ACTOR },
    );
  if (!step(dispatchAfterMs(rng), dispatched)) return incident;
  // Answered, verified, and sent back while the answer is poor (as live: a rework's answer can be poor again); a few rounds at most.
  for (let round = 0; round < 4; round++) {
    if (!step(signAfterMs(rng, category.respondHours), (c, w) => changeIncident(c, { status: "processing" }, w, { action: "process", actor: department.name }))) return incident;
    const poor = rng.chance(POOR_SHARE);
    const left = Math.max(0.1, (Date.parse(incident.respondBy ?? "") - t) / HOUR || category.respondHours);
    if (!step(answerAfterMs(rng, left), (c, w) => changeIncident(c, { status: "responded" }, w, { action: "respond", actor: department.name }))) return incident;
    const { afterMs, verdict } = verification(rng, poor && round < 3);
    if (verdict === "close") {
      if (!step(afterMs, (c, w) => changeIncident(c, { status: "closed" }, w, { action: "close", actor: DUTY_ACTOR }))) return incident;
      break;
    }
    if (!step(afterMs, (c, w) => sendBack(c, w, category, DUTY_ACTOR))) return incident;
  }
  // The reporter's verdict (回访), drawn as the live simulation draws it (workflow.ts); one due after `until` is handed over.
  const verdict = revisit(rng);
  if (verdict && !step(verdict.afterMs, (c, w) => rated(c, w, verdict.rating))) source.rateLater?.(incident.id, verdict.rating, second(t + Math.max(MINUTE, verdict.afterMs)));
  return incident;
}
