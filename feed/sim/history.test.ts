import { describe, expect, it } from "vitest";
import { incident as incidentSchema } from "../../shared/protocol/schemas.js";
import type { Delta, Incident } from "../../shared/protocol/types.js";
import { createFeedServer } from "../server.js";
import { fixtureLayer } from "../region-synthetic.js";
import { regionFromCollection } from "../region.js";
import { loadReference } from "../resources.js";
import { createRng } from "../rng.js";
import { FeedStore } from "../store.js";
import { SimClock } from "./clock.js";
import { historyStart } from "./history.js";
import { periodMetrics } from "../../shared/domain/kpi.js";
import type { KpiIncident, Period } from "../../shared/domain/kpi-time.js";
import type { Milestone } from "../../shared/bridge/contract.js";
import { Simulation } from "./simulation.js";

/*
 * The feed's past (history.ts): days of cases before the warm-up, made at
 * once from the seed, closed ones archived after the start so that a console
 * connecting then learns them from the snapshot.
 */

const reference = loadReference();
const START = Date.parse("2026-11-20T10:00:00+08:00");
const HOUR = 3_600_000;

function street(seed: number, historyDays: number, options: { warmupHours?: number; casesPerGridDay?: number } = {}) {
  const region = regionFromCollection(fixtureLayer({ communities: 4, side: 3 }));
  const clock = new SimClock(START, 1);
  clock.pause();
  // Paused at START exactly: a loaded machine's milliseconds between the two lines would move the history's end.
  clock.skip(START - clock.now());
  const holder: { sim?: Simulation } = {};
  const store = new FeedStore(() => holder.sim?.now() ?? START);
  const sim = new Simulation(store, region, reference.categories, reference.departments, clock, createRng(seed), { scale: "street", autopilot: true, seed, warmupHours: 2, historyDays, ...options });
  holder.sim = sim;
  sim.start(false);
  return { store, sim, clock };
}

const day = (date: string, until = "24:00"): Period => {
  const start = Date.parse(`${date}T00:00:00+08:00`);
  const [h, m] = until.split(":").map(Number);
  return { start, end: start + (h! * 60 + m!) * 60_000 };
};

/**
 * Three weekdays of history up to Thursday 2026-11-19 00:00, then that whole day simulated minute by minute with
 * autopilot and nobody at the console (a 34-hour warm-up up to Friday 10:00); made once for the tests that read it.
 */
let live: ReturnType<typeof street> | undefined;
const liveDay = () => (live ??= street(5, 3, { warmupHours: 34, casesPerGridDay: 20 }));

const milestone = (incident: Incident, action: string) => incident.history.find((h) => h.action === action)?.at;

/** The feed's actions as the console reads them into milestones (electron/engine/bridge-objects.ts; the feed cannot import it): the latest of each. */
const MILESTONE_OF: Record<string, Milestone> = { register: "registered", dispatch: "dispatched", respond: "responded", rework: "reworked", close: "closed", reject: "rejected" };
function asKpiCase(incident: Incident): KpiIncident {
  const milestones: Partial<Record<Milestone, string>> = {};
  for (const entry of incident.history) {
    const reached = MILESTONE_OF[entry.action];
    if (reached) milestones[reached] = entry.at;
  }
  return { ...incident, milestones };
}

describe("the feed's case history", () => {
  it("is the same for the same seed and start, and differs for another seed", () => {
    const ids = (seed: number) => [...street(seed, 5).store.incidents.values()].map((i) => `${i.id} ${i.status} ${i.updatedAt}`);
    expect(ids(3)).toEqual(ids(3));
    expect(ids(3)).not.toEqual(ids(4));
  });

  it("fills every day before the warm-up with cases that are valid, mostly closed and run through the whole loop", () => {
    const { store } = street(1, 7);
    const cases = [...store.incidents.values()];
    for (const incident of cases) expect(incidentSchema.safeParse(incident).success).toBe(true);
    const first = historyStart(START - 2 * HOUR, 7);
    expect(Math.min(...cases.map((c) => Date.parse(c.createdAt)))).toBeGreaterThanOrEqual(first);
    const perDay = new Map<string, number>();
    for (const incident of cases) perDay.set(incident.createdAt.slice(0, 10), (perDay.get(incident.createdAt.slice(0, 10)) ?? 0) + 1);
    // The lead-in day, 7 whole days and today: cases every day, about 36 grids × 3 a day at this street's rate.
    expect(perDay.size).toBe(9);
    const closed = cases.filter((c) => c.status === "closed");
    expect(closed.length / cases.length).toBeGreaterThan(0.8);
    const sample = closed.find((c) => c.reworkCount === 0 && c.evaluation)!;
    expect(sample.history.map((h) => h.action)).toEqual(["report", "register", "dispatch", "process", "respond", "close", "evaluate"]);
    expect(closed.some((c) => c.reworkCount === 1 && c.history.some((h) => h.action === "rework"))).toBe(true);
    expect(cases.some((c) => c.status === "rejected")).toBe(true);
    // Some answered after their deadline, as the live workflow does; none of the past carries personal data or free text.
    expect(closed.some((c) => Date.parse(milestone(c, "close")!) > Date.parse(c.closeBy!) || Date.parse(milestone(c, "respond")!) > Date.parse(c.respondBy!))).toBe(true);
    expect(cases.filter((c) => Date.parse(c.createdAt) < START - 2 * HOUR).every((c) => c.reporter === undefined && c.description === undefined)).toBe(true);
  });

  it("archives the closed past 1 to 3 hours after the start, never before it", () => {
    const { store, sim, clock } = street(2, 3);
    // A case whose reporter's verdict is still due (up to 24 hours after the close) is archived after it: left out here.
    const settled = (c: Incident) => c.evaluation !== undefined || Date.parse(c.updatedAt) < START - 26 * HOUR;
    const closedBefore = [...store.incidents.values()].filter((c) => c.status === "closed" && Date.parse(c.updatedAt) < START - 3 * HOUR && settled(c)).length;
    expect(closedBefore).toBeGreaterThan(100);
    const archivedAt: number[] = [];
    store.onDelta((delta: Delta) => {
      for (const event of delta.events) if (event.type === "incident.archived") archivedAt.push(sim.now());
    });
    clock.skip(59 * 60_000);
    sim.tick();
    expect(archivedAt).toEqual([]);
    for (let minute = 0; minute < 125; minute++) {
      clock.skip(60_000);
      sim.tick();
    }
    expect(archivedAt.length).toBeGreaterThanOrEqual(closedBefore);
    expect(Math.min(...archivedAt)).toBeGreaterThanOrEqual(START + HOUR);
  });

  it("takes a few seconds at most for 35 days of a whole district", async () => {
    const began = performance.now();
    const feed = await createFeedServer({ token: "t", scale: "district", autopilot: true, warmupHours: 8, historyDays: 35, startAt: START, paused: true });
    const took = performance.now() - began;
    try {
      const days = new Set([...feed.store.incidents.values()].map((i) => i.createdAt.slice(0, 10)));
      expect(days.size).toBeGreaterThanOrEqual(37);
      expect(feed.store.incidents.size).toBeGreaterThan(25_000);
      // Measured 2.4 s with the 8-hour warm-up (1.6 s without history) on a 2-core machine; the bound leaves room for a loaded one.
      expect(took).toBeLessThan(20_000);
    } finally {
      await feed.close();
    }
  }, 30_000);

  it("runs an unattended live day like the days before it, so 环比 reads day-to-day variation, not a collapse", () => {
    // The live day (liveDay). 20 cases per grid a day over 36
    // grids is some 700 reports a day: Poisson noise of about 4% on a count (5-6% on the ratio of two days) and 1-2
    // points on a share. The shares test the workflow; the counts mostly test the arrivals, so they get 20% (3.5 sigma).
    const cases = [...liveDay().store.incidents.values()].map(asKpiCase);
    const live = periodMetrics(cases, day("2026-11-19"));
    const past = ["2026-11-17", "2026-11-18"].map((date) => periodMetrics(cases, day(date)));
    const shares = (m: typeof live) => ({ registered: m.registered / m.reported, dispatched: m.dispatched / m.reported, closed: m.closed / m.reported });
    for (const before of past) {
      // The daily counts within 20%; the shares of reports registered and dispatched within 5 points.
      for (const key of ["reported", "registered", "dispatched", "closed"] as const) expect(Math.abs(live[key] / before[key] - 1), key).toBeLessThan(0.2);
      const [now, then] = [shares(live), shares(before)];
      expect(Math.abs(now.registered - then.registered)).toBeLessThan(0.05);
      expect(Math.abs(now.dispatched - then.dispatched)).toBeLessThan(0.05);
      // Closes gather cases from several days (close deadlines run to days), so they vary more: the past's own days differ by 6 points.
      expect(Math.abs(now.closed - then.closed)).toBeLessThan(0.1);
      expect(Math.abs(live.reworkRate! - before.reworkRate!)).toBeLessThan(0.06);
    }
    // 环比 as the wall reads it at 18:00: the same stretch of the day before, every flow count within 20%, and the share
    // of the stretch's reports registered within 5 points (before the live autopilot took up what it left, 30 points apart).
    const today = periodMetrics(cases, day("2026-11-19", "18:00"));
    const yesterday = periodMetrics(cases, day("2026-11-18", "18:00"));
    for (const key of ["reported", "registered", "dispatched", "closed"] as const) expect(Math.abs(today[key] / yesterday[key] - 1), key).toBeLessThan(0.2);
    expect(Math.abs(today.registered / today.reported - yesterday.registered / yesterday.reported)).toBeLessThan(0.05);
  }, 60_000);

  it("has residents rate the live day's closed cases as they rated the past's: the share rated and the verdicts", () => {
    // 满意率 reads ratings: the live autopilot's residents rate a share of the cases it closes, 2 to 24 hours later, as
    // the past's did (workflow.ts revisit). The past: closes of 11-16 to 11-18 (some 1,900; those rated after the
    // history's end at 11-19 00:00 are handed to the live simulation). Live: closes of 11-19 00:00 to 10:00 (some
    // 250), whose verdicts were all due by the start. A share over 250 cases varies by about 3 points: 10 points is
    // over 3 sigma; the unsatisfied share (7%) by about 2 points among the rated: 6.
    const { store } = liveDay();
    const cases = [...store.incidents.values()];
    const closedAt = (c: Incident) => Date.parse(c.history.filter((h) => h.action === "close").at(-1)?.at ?? "");
    const closedIn = (period: Period) => cases.filter((c) => c.status === "closed" && closedAt(c) >= period.start && closedAt(c) < period.end);
    const verdicts = (closed: Incident[]) => {
      const rated = closed.filter((c) => c.evaluation);
      const share = (rating: string) => rated.filter((c) => c.evaluation!.rating === rating).length / rated.length;
      return { closed: closed.length, rated: rated.length / closed.length, satisfied: share("satisfied"), basically: share("basically_satisfied"), unsatisfied: share("unsatisfied") };
    };
    const pastClosed = ["2026-11-16", "2026-11-17", "2026-11-18"].flatMap((date) => closedIn(day(date)));
    const liveClosed = closedIn(day("2026-11-19", "10:00"));
    const [past, now] = [verdicts(pastClosed), verdicts(liveClosed)];
    expect(past.closed).toBeGreaterThan(1500);
    expect(now.closed).toBeGreaterThan(150);
    expect(Math.abs(now.rated - past.rated), `rated ${now.rated} vs ${past.rated}`).toBeLessThan(0.1);
    expect(Math.abs(now.satisfied - past.satisfied), `satisfied ${now.satisfied} vs ${past.satisfied}`).toBeLessThan(0.1);
    expect(Math.abs(now.basically - past.basically)).toBeLessThan(0.08);
    expect(Math.abs(now.unsatisfied - past.unsatisfied)).toBeLessThan(0.06);
    // The past's verdicts due after its end came live, on time (to the warm-up's minute); every live verdict is the platform's evaluate, 2 to 24 hours after the close.
    const historyEnd = Date.parse("2026-11-19T00:00:00+08:00");
    expect(pastClosed.filter((c) => c.evaluation && Date.parse(c.evaluation.at) >= historyEnd).length).toBeGreaterThan(50);
    for (const c of [...pastClosed, ...liveClosed].filter((x) => x.evaluation)) {
      const after = Date.parse(c.evaluation!.at) - closedAt(c);
      expect(after).toBeGreaterThanOrEqual(2 * HOUR - 1000);
      expect(after).toBeLessThanOrEqual(24 * HOUR + 61_000);
    }
    for (const c of liveClosed.filter((x) => x.evaluation)) {
      expect(incidentSchema.safeParse(c).success).toBe(true);
      expect(c.history.at(-1)).toMatchObject({ action: "evaluate", actor: "回访员", at: c.evaluation!.at });
    }
  });
});
