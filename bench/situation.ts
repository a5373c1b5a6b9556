import type { Department } from "../shared/bridge/contract.js";
import type { KpiIncident } from "../shared/domain/kpi-time.js";
import { computeSituation } from "../shared/domain/situation.js";
import { toBeijingIso } from "../shared/domain/time.js";
import { SituationKeeper } from "../electron/engine/situation/keeper.js";
import { loadReference } from "../feed/resources.js";
import type { Figure, Suite } from "./lib.js";
import { percentile, profiled, round } from "./lib.js";
import { random, world } from "./fixtures.js";

/*
 * The situation (KPIs, trend, breakdowns, rankings, hot spots) per incident
 * delta at city scale: the engine's keeper (electron/engine/situation/)
 * against what each page did before issue 14, computeSituation over every
 * case, in the same run on the same cases.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * `count` cases as the engine holds them: created over the last eight days
 * (the platform archives finished cases within hours and the engine keeps
 * archived ones eight days), each through its loop as far as its age allows,
 * in the city feed's grids and categories and the reference departments.
 */
function cityCases(count: number, now: number, grids: readonly string[], categories: readonly KpiIncident["category"][], departments: readonly Department[]): KpiIncident[] {
  const next = random(23);
  const cases: KpiIncident[] = [];
  for (let i = 0; i < count; i++) {
    const created = now - Math.floor(next() * 8 * DAY);
    const steps: [string, number][] = [];
    let t = created;
    for (const [milestone, hours] of [["registered", 0.2], ["dispatched", 0.5], ["responded", 2 + next() * 30], ["closed", 0.5 + next() * 6]] as const) {
      t += hours * HOUR * (0.5 + next());
      if (t >= now) break;
      steps.push([milestone, t]);
    }
    const last = steps.at(-1);
    const department = departments[i % departments.length]!;
    const record: KpiIncident = {
      id: `BJ${String(i).padStart(9, "0")}`,
      status: last === undefined ? "reported" : last[0] === "closed" ? "closed" : (last[0] as KpiIncident["status"]),
      createdAt: toBeijingIso(created),
      updatedAt: toBeijingIso(last?.[1] ?? created),
      reworkCount: 0,
      milestones: Object.fromEntries(steps.map(([milestone, at]) => [milestone, toBeijingIso(at)])),
      category: categories[i % categories.length]!,
      gridCode: grids[i % grids.length]!,
      closeBy: toBeijingIso(created + 48 * HOUR),
    };
    if (steps.length >= 2) record.department = { id: department.id, name: department.name };
    cases.push(record);
  }
  return cases;
}

/** The case one step on (its next milestone now), as a platform's delta moves it. */
function stepped(record: KpiIncident, at: number): KpiIncident {
  const order = ["registered", "dispatched", "responded", "closed"] as const;
  const reached = order.find((milestone) => record.milestones?.[milestone] === undefined);
  if (reached === undefined) return { ...record, updatedAt: toBeijingIso(at) };
  return { ...record, status: reached, updatedAt: toBeijingIso(at), milestones: { ...record.milestones, [reached]: toBeijingIso(at) } };
}

export const situationSuite: Suite = {
  name: "situation",
  title: "The situation per incident delta at city scale: the engine's keeper vs recomputing over every case",
  method: [
    "100,000 cases as the engine holds them at city scale (created over the last eight days in the city feed's grids and the reference categories and departments; each through its loop as far as its age allows: about a sixth still open), and a run of single-case deltas (a case one milestone on), applied one at a time.",
    "**Measured**: the engine's work per delta when it is the only delta of its second (the worst case: deltas in the same second share one computation): `SituationKeeper.upsertLive` of the changed case and `compute` of the whole situation (summary with 环比 and 周同比, trend, categories, ledger, ranking, hot spots, communities and grids), p95. The note gives filing alone.",
    "**Reference**: what each page did per recomputation before issue 14, in the same run: `computeSituation` (shared/domain/situation.ts) over all 100,000 cases, median. The ratio is measured / reference; the keeper's result is checked equal to the reference's on the last delta.",
  ].join("\n"),
  async run(context) {
    const w = await world("city");
    const count = context.quick ? 10_000 : 100_000;
    const deltas = context.quick ? 50 : 200;
    const reference = loadReference();
    const settings = { categories: reference.categories, departments: reference.departments };
    const grids = [...new Set(w.incidents.map((incident) => incident.gridCode))];
    const now = Date.parse("2026-11-20T15:00:00+08:00");
    const cases = cityCases(count, now, grids, reference.categories.map((c) => ({ code: c.code, major: c.major, minor: c.minor })), reference.departments);
    const live = new Map(cases.map((record) => [record.id, record]));
    const names = new Map<string, string>();

    const filedAt = performance.now();
    const keeper = new SituationKeeper(settings);
    keeper.resetLive(cases);
    const fileAllMs = performance.now() - filedAt;
    keeper.compute(now);

    const perDelta: number[] = [];
    const filing: number[] = [];
    let at = now;
    await profiled(`situation-${count}`, () => {
      for (let i = 0; i < deltas; i++) {
        at += 1000;
        const changed = stepped(live.get(cases[(i * 7919) % count]!.id)!, at);
        live.set(changed.id, changed);
        const began = performance.now();
        keeper.upsertLive(changed);
        const filed = performance.now();
        keeper.compute(at);
        perDelta.push(performance.now() - began);
        filing.push(filed - began);
      }
      return Promise.resolve();
    });

    const full: number[] = [];
    const runs = context.quick ? 5 : 7;
    let last = null;
    for (let i = 0; i < runs; i++) {
      const began = performance.now();
      last = computeSituation(live, new Map(), settings, names, at);
      full.push(performance.now() - began);
    }
    const kept = keeper.compute(at);
    if (JSON.stringify(kept) !== JSON.stringify(last)) throw new Error("the keeper's situation differs from computeSituation's");
    const open = keeper.atInstant(at).length;

    perDelta.sort((a, b) => a - b);
    filing.sort((a, b) => a - b);
    full.sort((a, b) => a - b);
    const p95 = percentile(perDelta, 95);
    const median = percentile(full, 50);
    const figure: Figure = {
      suite: "situation",
      name: `engine situation work per incident delta, ${count.toLocaleString("en-US")} cases, p95`,
      value: round(p95, 2),
      unit: "ms",
      reference: { name: "computeSituation over every case (median)", value: round(median, 0), unit: "ms" },
      ratio: round(p95 / median, 4),
      ratioMeaning: "keeper p95 (file + compute) / one full recomputation's median",
      target: "—",
      note: `${deltas} deltas; per delta median ${round(percentile(perDelta, 50), 2)} ms, filing alone median ${round(percentile(filing, 50) * 1000, 1)} µs (p95 ${round(percentile(filing, 95) * 1000, 1)} µs); ${open.toLocaleString("en-US")} of ${count.toLocaleString("en-US")} cases are read for the state at now (open, or finished today); filing every case at once (the engine does it in 20 ms slices after it opens) ${round(fileAllMs, 0)} ms; full recomputation p95 ${round(percentile(full, 95), 0)} ms`,
    };
    return [figure];
  },
};
