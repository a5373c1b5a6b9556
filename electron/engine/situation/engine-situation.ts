import type { ArchivedCase, ArchivedChanges } from "../../../shared/bridge/archived.js";
import type { ConsoleSettings, RegionLayerResult } from "../../../shared/bridge/contract.js";
import type { KpiDay } from "../../../shared/domain/kpi-days.js";
import { notableCase, type NotableCandidate } from "../../../shared/domain/notable.js";
import type { Situation } from "../../../shared/domain/situation.js";
import type { Incident, Unit } from "../../../shared/protocol/types.js";
import { archivedCase } from "../archived.js";
import type { Dirty } from "../replica.js";
import { SituationKeeper } from "./keeper.js";

/*
 * The engine's side of the situation: the keeper (keeper.ts) fed from each
 * tick's changes, and when to work it out again. After a change at most once
 * a second (a burst of deltas costs one), and on each whole minute whatever
 * happened (deadlines pass and days end with no case changing); never on
 * the page, which only shows what it is sent.
 */

export const SITUATION_MIN_INTERVAL_MS = 1000;
const MINUTE_MS = 60_000;

/** Where the situation's notable cases come from (electron/engine/grid-counts.ts). */
export type NotableSource = { first(now: number): NotableCandidate[] | null; version(): number };
const NO_NOTABLE: NotableSource = { first: () => null, version: () => 0 };

export class EngineSituation {
  readonly keeper: SituationKeeper;
  private latest: Situation | null = null;
  private latestAt = Number.NEGATIVE_INFINITY;
  /** Worked out for a page that opened and not pushed yet: the pages already open get it at the next tick. */
  private unpushed = false;
  private pendingLive = new Map<string, Incident>();
  private pendingArchived = new Map<string, ArchivedCase>();
  private sortingStarted = false;
  private unsortedDays: number[] = [];

  private names: ReadonlyMap<string, string> = new Map();
  private latestNotable = -1;

  /**
   * `notable`: where the notable cases come from (the engine's grid counter keeps what they are chosen from): the
   * first ones at an instant, or null while it cannot tell yet, and a version that changes whenever they may have.
   * They go with each situation, worked out again when they may have changed as when the figures may have.
   */
  constructor(
    settings: Pick<ConsoleSettings, "categories" | "departments">,
    private readonly notable: NotableSource = NO_NOTABLE,
  ) {
    this.keeper = new SituationKeeper(settings);
  }

  /**
   * Everything the engine holds at start (the replica and the archived cases were loaded without a tick), filed
   * by `loadStep` in slices: at city scale filing 100,000 cases takes seconds, which the first frame (the queue
   * and the map) does not wait for; the panels say they are loading until the first situation is pushed.
   */
  load(incidents: Iterable<Incident>, units: Iterable<Unit>, archived: Iterable<ArchivedCase>, kpiDays: readonly KpiDay[]): void {
    this.pendingLive = new Map([...incidents].map((incident) => [incident.id, incident]));
    this.pendingArchived = new Map([...archived].map((record) => [record.id, record]));
    this.keeper.resetUnits(units);
    this.keeper.setKpiDays(kpiDays);
  }

  /** Whether cases loaded at start are still being filed. */
  get loading(): boolean {
    return this.pendingLive.size > 0 || this.pendingArchived.size > 0 || this.unsortedDays.length > 0;
  }

  /** Files loaded cases for about `budgetMs`, then sorts the days' lists one day at a time; false while there is more to do. */
  loadStep(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    const wasLoading = this.loading;
    this.keeper.load(() => {
      for (const pending of [this.pendingLive, this.pendingArchived]) {
        for (const [id, record] of pending) {
          pending.delete(id);
          if (pending === this.pendingLive) this.keeper.upsertLive(archivedCase(record as Incident));
          else this.keeper.upsertArchived(record as ArchivedCase);
          if (pending.size % 256 === 0 && performance.now() > until) return;
        }
      }
    });
    if (this.pendingLive.size > 0 || this.pendingArchived.size > 0) return false;
    if (wasLoading && !this.sortingStarted) {
      this.sortingStarted = true;
      this.unsortedDays = this.keeper.days();
    }
    // At least one day a step, whatever the budget: a step always gets on.
    if (this.unsortedDays.length > 0) this.keeper.sortDay(this.unsortedDays.pop()!);
    while (this.unsortedDays.length > 0 && performance.now() <= until) this.keeper.sortDay(this.unsortedDays.pop()!);
    return this.unsortedDays.length === 0;
  }

  /** A tick's changes to the replica (`dirty` from Replica.takeDirty) and to the archived cases. */
  note(dirty: Dirty, incidents: ReadonlyMap<string, Incident>, units: ReadonlyMap<string, Unit>, archived: ArchivedChanges | null): void {
    // A case changed since the start is filed as it is now, not as it was loaded.
    if (dirty.incidentsReset) this.pendingLive.clear();
    for (const id of [...dirty.incidents, ...dirty.removedIncidents]) this.pendingLive.delete(id);
    if (archived?.reset) this.pendingArchived.clear();
    for (const id of [...(archived?.removed ?? []), ...(archived?.upserts.map((record) => record.id) ?? [])]) this.pendingArchived.delete(id);
    if (dirty.incidentsReset) this.keeper.resetLive([...incidents.values()].map(archivedCase));
    else {
      for (const id of dirty.removedIncidents) this.keeper.removeLive(id);
      for (const id of dirty.incidents) {
        const incident = incidents.get(id);
        if (incident) this.keeper.upsertLive(archivedCase(incident));
      }
    }
    if (dirty.unitsReset) this.keeper.resetUnits(units.values());
    else {
      for (const id of dirty.removedUnits) this.keeper.removeUnit(id);
      for (const id of dirty.units) {
        const unit = units.get(id);
        if (unit) this.keeper.upsertUnit(unit);
      }
    }
    if (archived) {
      if (archived.reset) this.keeper.resetArchived(archived.upserts);
      else {
        for (const id of archived.removed) this.keeper.removeArchived(id);
        for (const record of archived.upserts) this.keeper.upsertArchived(record);
      }
    }
  }

  setKpiDays(days: readonly KpiDay[]): void {
    this.keeper.setKpiDays(days);
  }

  /** Area names from the region layer: districts, streets, communities and grids that carry one. */
  setRegion(result: RegionLayerResult): void {
    const names = new Map<string, string>();
    if (result.ok) {
      const { district, streets, communities, grids } = result.layer;
      for (const area of [district, ...streets, ...communities, ...grids]) if (area.name !== area.code) names.set(area.code, area.name);
    }
    this.names = names;
    this.keeper.setNames(names);
  }

  /**
   * The situation to push at `now` (the platform's clock, epoch ms), or null
   * when it is not due: nothing changed in the last second and no new minute began.
   */
  due(now: number): Situation | null {
    if (this.loading) return null;
    if (this.unpushed) {
      this.unpushed = false;
      return this.latest;
    }
    const sameMinute = Math.floor(now / MINUTE_MS) === Math.floor(this.latestAt / MINUTE_MS);
    if (this.latest !== null && sameMinute && (!this.changed || now - this.latestAt < SITUATION_MIN_INTERVAL_MS)) return null;
    return this.compute(now);
  }

  /** The situation as of `now` for a page that opens (the last one pushed while it still holds); null while loading. */
  current(now: number): Situation | null {
    if (this.loading) return null;
    if (this.latest !== null && !this.changed && Math.floor(now / MINUTE_MS) === Math.floor(this.latestAt / MINUTE_MS)) return this.latest;
    this.unpushed = true;
    return this.compute(now);
  }

  private get changed(): boolean {
    return this.keeper.changed || this.notable.version() !== this.latestNotable;
  }

  private compute(now: number): Situation {
    const names = this.names;
    const notable = this.notable.first(now);
    // After `first`, which may sweep the cases whose deadline passed (and so move the version).
    this.latestNotable = this.notable.version();
    this.latest = { ...this.keeper.compute(now), ...(notable ? { notable: notable.map((candidate) => notableCase(candidate, names)) } : {}) };
    this.latestAt = now;
    return this.latest;
  }
}
