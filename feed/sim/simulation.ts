import type { Category, Department } from "../../shared/bridge/contract.js";
import type { Alert, Delta, FeedEvent, Fix, Incident, Priority, Rating, Unit } from "../../shared/protocol/types.js";
import { toBeijingIso } from "../../shared/domain/time.js";
import { isOpen } from "../../shared/domain/lifecycle.js";
import type { Rng } from "../rng.js";
import type { SimGrid, SimRegion } from "../region.js";
import type { FeedStore } from "../store.js";
import { caseNumber } from "../incidents.js";
import { Agenda } from "./agenda.js";
import { pastCases } from "./history.js";
import type { SimClock } from "./clock.js";
import { buildCase, type NewCase } from "./cases.js";
import { CASES_PER_GRID_DAY, categoryWeight, patternOf, peakTotalWeight, totalShare } from "./patterns.js";
import { Patrol, type Member, type PatrolOutput } from "./patrol.js";
import { RATING_WORDS } from "../commands.js";
import { OTHERS_SHARE, rated, revisit, Workflow } from "./workflow.js";

export type SimulationOptions = {
  scale: "street" | "district" | "city";
  autopilot: boolean;
  casesPerGridDay?: number;
  sosPerUnitDay?: number;
  warmupHours?: number;
  /** Whole Beijing days of closed case history before the warm-up (history.ts); 0: none. */
  historyDays?: number;
  /** Tracks are seeded from it per unit and shift (patrol.ts). */
  seed: number;
  /** Share of staff planted with a fraud (fraud.ts), 0..1. */
  fraudShare?: number;
};

export type InjectSpec = {
  categoryCode: string;
  gridCode?: string;
  priority?: Priority;
  urgent?: boolean;
  source?: NewCase["source"];
  title?: string;
  description?: string;
  lon?: number;
  lat?: number;
  /** Only trainer `advance` moves it after dispatch; autopilot leaves it alone. */
  manual?: boolean;
};

export class SimError extends Error {
  constructor(
    readonly code: "invalid" | "not_found",
    message: string,
  ) {
    super(message);
  }
}

const MINUTE = 60_000;

/**
 * The street in motion: cases arriving (a Poisson process thinned by the
 * category patterns), the departments and autopilot moving them, patrol staff
 * walking. All changes go through the store; fixes wait in `takeFixes`.
 */
export class Simulation {
  readonly agenda = new Agenda();
  readonly patrol: Patrol;
  readonly workflow: Workflow;
  caseCounter = 0;
  private alertCounter = 0;
  private warmingAt: number | null = null;
  private readonly fixes = new Map<string, Fix>();
  private readonly unitBatch: Unit[] = [];
  private readonly alertBatch: Alert[] = [];
  private readonly seen = new Map<string, { status: Incident["status"]; token: number }>();
  /** Ratings of past cases closed before the history's end and due after it (history.ts), by case. */
  private readonly laterRatings = new Map<string, { rating: Rating; at: number }>();
  private loadingHistory = false;
  private readonly revisits: Rng;
  private readonly gridWeights: Float64Array;
  private readonly codes: string[];
  private readonly prefix: string;
  private readonly out: PatrolOutput;

  constructor(
    private readonly store: FeedStore,
    private readonly region: SimRegion,
    private readonly categories: readonly Category[],
    private readonly departments: readonly Department[],
    readonly clock: SimClock,
    private readonly rng: Rng,
    private readonly options: SimulationOptions,
  ) {
    this.patrol = new Patrol(region, rng.fork(1), { scale: options.scale, sosPerUnitDay: options.sosPerUnitDay ?? 0.02, seed: options.seed, fraudShare: options.fraudShare ?? 0 });
    this.patrol.start(clock.now());
    this.workflow = new Workflow(rng.fork(2), categories, departments, { autopilot: options.autopilot, autopilotShare: OTHERS_SHARE });
    this.codes = categories.map((c) => c.code);
    this.prefix = region.districtCode === "110101" ? "DC" : "BJ";
    // Its own stream, so that the residents' verdicts leave every other draw as it was.
    this.revisits = rng.fork(8);
    // Some grids are busier (markets, old hutongs, transport hubs): a long-tailed weight per grid.
    const hot = rng.fork(3);
    let total = 0;
    this.gridWeights = Float64Array.from(region.grids, () => (total += hot.logNormal(1, 0.6)));
    this.out = {
      fix: (fix) => this.fixes.set(fix[0], fix),
      units: (units) => this.unitBatch.push(...units),
      alert: (alert) => this.alertBatch.push({ ...alert, id: this.nextAlertId() }),
    };
    store.onDelta((delta) => this.react(delta));
  }

  now(): number {
    return this.warmingAt ?? this.clock.now();
  }

  /** Loads the roster (unless restored), warms up the case history, and starts arrivals. */
  start(restored: boolean): void {
    if (restored) {
      for (const member of this.patrol.members) {
        const saved = this.store.units.get(member.unit.id);
        if (!saved) continue;
        member.unit = saved;
        if (saved.lastFix) [member.lon, member.lat] = [saved.lastFix.lon, saved.lastFix.lat];
      }
      const missing = this.patrol.units().filter((u) => !this.store.units.has(u.id));
      if (missing.length > 0) this.store.commit(missing.map((unit) => ({ type: "unit.upsert", unit })));
      for (const incident of this.store.incidents.values()) this.planFor(incident, false);
      this.scheduleArrival(this.now());
      return;
    }
    this.store.commit(this.patrol.units().map((unit): FeedEvent => ({ type: "unit.upsert", unit })));
    const end = this.clock.now();
    const warmup = (this.options.warmupHours ?? 0) * 3600_000;
    if ((this.options.historyDays ?? 0) > 0) this.loadHistory(end - warmup, this.options.historyDays ?? 0);
    this.scheduleArrival(end - warmup);
    if (warmup > 0) {
      for (let t = end - warmup; t < end; t += MINUTE) {
        this.warmingAt = t;
        this.agenda.runUntil(t);
        this.patrol.step(t, this.out, { fixes: false });
        this.flush();
      }
      this.warmingAt = null;
    }
    this.tick();
  }

  /**
   * The days before the warm-up, made at once (history.ts). Cases still open
   * where the warm-up begins carry on in it; closed ones are archived, like
   * every case closed before the start, 1 to 3 hours after the start
   * (planFor), so a console that connects in that time learns the past.
   */
  private loadHistory(until: number, days: number): void {
    const staff = new Map<string, { name: string; unitId: string }[]>();
    for (const member of this.patrol.members) {
      const list = staff.get(member.grid.code) ?? [];
      list.push({ name: member.unit.name, unitId: member.unit.id });
      staff.set(member.grid.code, list);
    }
    const rng = this.rng.fork(7);
    this.warmingAt = until;
    this.loadingHistory = true;
    const cases = pastCases(
      {
        rng,
        categories: this.categories,
        departments: this.departments,
        grids: this.region.grids.length,
        casesPerGridDay: this.options.casesPerGridDay ?? CASES_PER_GRID_DAY,
        pickGrid: () => this.pickGrid(),
        reporterIn: (code) => {
          const list = staff.get(code);
          return list && list.length > 0 ? rng.pick(list) : undefined;
        },
        newCaseId: (at) => caseNumber(this.prefix, at, ++this.caseCounter),
        rateLater: (incidentId, rating, at) => this.laterRatings.set(incidentId, { rating, at }),
      },
      until,
      days,
    );
    for (let start = 0; start < cases.length; start += 1000) {
      this.store.commit(cases.slice(start, start + 1000).map((incident): FeedEvent => ({ type: "incident.upsert", incident })));
    }
    this.flush();
    this.loadingHistory = false;
    this.warmingAt = null;
  }

  /** Runs everything due up to now; call every ~200 ms of real time. */
  tick(): void {
    const now = this.now();
    this.agenda.runUntil(now);
    this.patrol.step(now, this.out, { fixes: true });
    this.flush();
  }

  /** The latest fix of every unit that moved since the last call. */
  takeFixes(): Fix[] {
    const fixes = [...this.fixes.values()];
    this.fixes.clear();
    for (const [id, lon, lat, at, heading, speed, accuracy] of fixes) {
      const fix: NonNullable<Unit["lastFix"]> = { lon, lat, at };
      if (heading !== null) fix.heading = heading;
      if (speed !== null) fix.speed = speed;
      if (accuracy !== null) fix.accuracy = accuracy;
      this.store.setLastFix(id, fix);
    }
    return fixes;
  }

  private flush(): void {
    const events: FeedEvent[] = [];
    for (const unit of this.unitBatch.splice(0)) events.push({ type: "unit.upsert", unit });
    for (const alert of this.alertBatch.splice(0)) events.push({ type: "alert", alert });
    if (events.length > 0) this.store.commit(events);
  }

  private nextAlertId(): string {
    return `A${toBeijingIso(this.now()).slice(0, 10).replaceAll("-", "")}${String(++this.alertCounter).padStart(6, "0")}`;
  }

  newCaseId(): string {
    return caseNumber(this.prefix, this.now(), ++this.caseCounter);
  }

  private scheduleArrival(from: number): void {
    const grids = this.region.grids.length;
    const peak = peakTotalWeight(this.codes);
    const perMs = (grids * (this.options.casesPerGridDay ?? CASES_PER_GRID_DAY) * (peak / totalShare(this.codes))) / 86_400_000;
    const at = Math.floor(from + this.rng.exponential(1 / perMs));
    this.agenda.at(at, () => {
      const weights = this.categories.map((c) => categoryWeight(c.code, at));
      if (this.rng.chance(weights.reduce((a, b) => a + b, 0) / peak)) this.arrive(at, weights);
      this.scheduleArrival(at);
    });
  }

  private pickGrid(): { grid: SimGrid; index: number } {
    const total = this.gridWeights[this.gridWeights.length - 1] ?? 0;
    const r = this.rng.next() * total;
    let lo = 0;
    let hi = this.gridWeights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.gridWeights[mid] ?? 0) < r) lo = mid + 1;
      else hi = mid;
    }
    return { grid: this.region.grids[lo]!, index: lo };
  }

  private arrive(at: number, weights: number[]): void {
    const category = this.rng.weighted(this.categories.map((c, i) => ({ c, w: weights[i] ?? 0 })), (x) => x.w).c;
    const { grid, index } = this.pickGrid();
    const sources = patternOf(category.code).sources;
    const onDuty = this.patrol.onDutyIn(grid.code);
    const source = this.rng.weighted(["patrol", "hotline", "resident_app"] as const, (s) => (s === "patrol" && onDuty.length === 0 ? 0 : (sources[s] ?? 0)));
    const reporter = source === "patrol" ? this.rng.pick(onDuty) : undefined;
    this.createCase({ id: this.newCaseId(), category, grid, gridIndex: index, source, at, ...(reporter ? { reporter } : {}) });
  }

  private createCase(spec: NewCase): Incident {
    const incident = buildCase(this.rng, spec);
    if (spec.reporter) this.patrol.occupy(spec.reporter, spec.at, this.rng.range(5, 15), this.out);
    const events: FeedEvent[] = [{ type: "incident.upsert", incident }];
    if (incident.priority === "urgent") {
      events.push({ type: "alert", alert: { id: this.nextAlertId(), at: incident.createdAt, level: "warning", title: `紧急案件：${incident.title}`, incidentId: incident.id, lon: incident.lon, lat: incident.lat } });
    }
    this.store.commit(events);
    return incident;
  }

  /** Plans follow-ups for every case whose status changed (or that was urged) in a delta. */
  private react(delta: Delta): void {
    for (const event of delta.events) {
      if (event.type === "incident.archived") {
        this.seen.delete(event.id);
        this.workflow.forget(event.id);
      }
      if (event.type !== "incident.upsert") continue;
      const incident = event.incident;
      const previous = this.seen.get(incident.id);
      const urged = incident.history[incident.history.length - 1]?.action === "urge";
      if (previous?.status === incident.status && !urged) continue;
      this.planFor(incident, urged && previous?.status === incident.status);
    }
  }

  private planFor(incident: Incident, urged: boolean): void {
    const token = (this.seen.get(incident.id)?.token ?? 0) + 1;
    this.seen.set(incident.id, { status: incident.status, token });
    const now = this.now();
    if (!isOpen(incident.status)) {
      const verdict = incident.status === "closed" ? this.revisitOf(incident) : null;
      if (!verdict) {
        this.archiveLater(incident.id, token, now);
        return;
      }
      // The reporter's verdict comes before the platform stops tracking the case; archived 1 to 3 hours after it.
      this.agenda.at(verdict.at, () => {
        const current = this.store.incidents.get(incident.id);
        if (!current || current.status !== "closed" || this.seen.get(incident.id)?.token !== token) return;
        if (!current.evaluation) this.store.commit([{ type: "incident.upsert", incident: rated(current, this.now(), verdict.rating, RATING_WORDS[verdict.rating]) }]);
        this.archiveLater(incident.id, token, this.now());
      });
      return;
    }
    if (incident.status === "dispatched" && !urged) this.watchDeadlines(incident);
    const plan = this.workflow.plan(incident, urged);
    if (!plan) return;
    this.agenda.at(now + plan.afterMs, () => {
      const current = this.store.incidents.get(incident.id);
      if (!current || current.status !== incident.status || this.seen.get(incident.id)?.token !== token) return;
      const next = plan.act(current, this.now());
      if (next) this.store.commit([{ type: "incident.upsert", incident: next }]);
    });
  }

  /** Archives a closed or rejected case 1 to 3 hours after `from`, never during the warm-up or the history: what closed before the start reaches a console that connects then. */
  private archiveLater(id: string, token: number, from: number): void {
    this.agenda.at(Math.max(from, this.clock.now()) + this.rng.range(60, 180) * MINUTE, () => {
      const current = this.store.incidents.get(id);
      if (current && !isOpen(current.status) && this.seen.get(id)?.token === token) {
        this.store.commit([{ type: "incident.archived", id: current.id, version: current.version }]);
      }
    });
  }

  /**
   * When and how a closed case's reporter rates it (回访), as the past does
   * (workflow.ts revisit): a past case's verdict that the history handed over,
   * else, for a case closed live that autopilot's residents rate, drawn now,
   * 2 to 24 hours after the close (a case restored closed whose verdict would
   * have been due while the feed was down gets none).
   */
  private revisitOf(incident: Incident): { rating: Rating; at: number } | null {
    if (incident.evaluation) return null;
    const later = this.laterRatings.get(incident.id);
    if (later) {
      this.laterRatings.delete(incident.id);
      return later;
    }
    if (this.loadingHistory || !this.workflow.rates(incident)) return null;
    const verdict = revisit(this.revisits);
    if (!verdict) return null;
    const at = Date.parse(incident.updatedAt) + verdict.afterMs;
    return at > this.now() ? { rating: verdict.rating, at } : null;
  }

  private watchDeadlines(incident: Incident): void {
    const warn = (deadline: string | undefined, stillLate: (status: Incident["status"]) => boolean, title: string) => {
      if (!deadline) return;
      const at = Date.parse(deadline);
      if (!(at > this.now())) return;
      this.agenda.at(at, () => {
        const current = this.store.incidents.get(incident.id);
        if (!current || !stillLate(current.status) || current.reworkCount !== incident.reworkCount) return;
        this.alertBatch.push({ id: this.nextAlertId(), at: toBeijingIso(at), level: "warning", title: `${title}：${current.title}`, body: current.department?.name ?? "", incidentId: current.id, lon: current.lon, lat: current.lat });
      });
    };
    warn(incident.respondBy, (s) => s === "dispatched" || s === "processing", "案件超时未反馈");
    warn(incident.closeBy, (s) => s !== "closed" && s !== "rejected", "案件超期未结案");
  }

  // Trainer controls (trainer.ts).

  inject(spec: InjectSpec): Incident {
    const category = this.categories.find((c) => c.code === spec.categoryCode);
    if (!category) throw new SimError("invalid", `unknown category ${spec.categoryCode}`);
    const index = spec.gridCode ? this.region.grids.findIndex((g) => g.code === spec.gridCode) : this.rng.int(0, this.region.grids.length - 1);
    const grid = this.region.grids[index];
    if (!grid) throw new SimError("not_found", `no grid ${spec.gridCode ?? ""}`);
    const source = spec.source ?? "patrol";
    const reporter: Member | undefined = source === "patrol" ? (this.patrol.onDutyIn(grid.code)[0] ?? this.patrol.members.find((m) => m.grid.code === grid.code)) : undefined;
    const id = this.newCaseId();
    if (spec.manual) this.workflow.manual.add(id);
    const priority = spec.priority ?? (spec.urgent ? "urgent" : undefined);
    const newCase: NewCase = { id, category, grid, gridIndex: index, source, at: this.now() };
    if (reporter) newCase.reporter = reporter;
    if (priority) newCase.priority = priority;
    if (spec.title) newCase.title = spec.title;
    if (spec.description) newCase.description = spec.description;
    if (spec.lon !== undefined && spec.lat !== undefined) Object.assign(newCase, { lon: spec.lon, lat: spec.lat });
    const incident = this.createCase(newCase);
    this.flush();
    return incident;
  }

  /** The department's next move on a case now: dispatched → processing → responded. */
  advance(incidentId: string, options: { poor?: boolean } = {}): Incident {
    const current = this.store.incidents.get(incidentId);
    if (!current) throw new SimError("not_found", `no case ${incidentId}`);
    const next = this.workflow.departmentStep(current, this.now(), options);
    if (!next) throw new SimError("invalid", `a department cannot move a case that is ${current.status}`);
    this.store.commit([{ type: "incident.upsert", incident: next }]);
    return next;
  }

  /** The platform archives a closed or rejected case now (trainer `archive`); an open one is refused. */
  archive(incidentId: string): Incident {
    const current = this.store.incidents.get(incidentId);
    if (!current) throw new SimError("not_found", `no case ${incidentId}`);
    if (isOpen(current.status)) throw new SimError("invalid", `only a closed or rejected case is archived; ${incidentId} is ${current.status}`);
    this.store.commit([{ type: "incident.archived", id: current.id, version: current.version }]);
    return current;
  }

  sos(unitId?: string): Unit {
    const onPatrol = this.patrol.members.filter((m) => m.unit.status === "on_patrol");
    const member = unitId ? this.patrol.byId.get(unitId) : this.rng.pick(onPatrol.length > 0 ? onPatrol : this.patrol.members);
    if (!member) throw new SimError("not_found", `no unit ${unitId ?? ""}`);
    this.patrol.raiseSos(member, this.now(), this.out);
    this.flush();
    return member.unit;
  }
}
