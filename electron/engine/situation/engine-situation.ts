import type { ArchivedChanges, ConsoleSettings, RegionLayerResult } from "../../../shared/bridge/contract.js";
import type { KpiDay } from "../../../shared/domain/kpi-days.js";
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

export class EngineSituation {
  readonly keeper: SituationKeeper;
  private latest: Situation | null = null;
  private latestAt = Number.NEGATIVE_INFINITY;
  /** Worked out for a page that opened and not pushed yet: the pages already open get it at the next tick. */
  private unpushed = false;

  constructor(settings: Pick<ConsoleSettings, "categories" | "departments">) {
    this.keeper = new SituationKeeper(settings);
  }

  /** Everything the engine holds, at start (the replica and the archived cases were loaded without a tick). */
  load(incidents: Iterable<Incident>, units: Iterable<Unit>, archived: Iterable<Parameters<SituationKeeper["upsertArchived"]>[0]>, kpiDays: readonly KpiDay[]): void {
    this.keeper.resetLive([...incidents].map(archivedCase));
    this.keeper.resetUnits(units);
    this.keeper.resetArchived(archived);
    this.keeper.setKpiDays(kpiDays);
  }

  /** A tick's changes to the replica (`dirty` from Replica.takeDirty) and to the archived cases. */
  note(dirty: Dirty, incidents: ReadonlyMap<string, Incident>, units: ReadonlyMap<string, Unit>, archived: ArchivedChanges | null): void {
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
    this.keeper.setNames(names);
  }

  /**
   * The situation to push at `now` (the platform's clock, epoch ms), or null
   * when it is not due: nothing changed in the last second and no new minute began.
   */
  due(now: number): Situation | null {
    if (this.unpushed) {
      this.unpushed = false;
      return this.latest;
    }
    const sameMinute = Math.floor(now / MINUTE_MS) === Math.floor(this.latestAt / MINUTE_MS);
    if (this.latest !== null && sameMinute && (!this.keeper.changed || now - this.latestAt < SITUATION_MIN_INTERVAL_MS)) return null;
    return this.compute(now);
  }

  /** The situation as of `now` for a page that opens: the last one pushed while it still holds. */
  current(now: number): Situation {
    if (this.latest !== null && !this.keeper.changed && Math.floor(now / MINUTE_MS) === Math.floor(this.latestAt / MINUTE_MS)) return this.latest;
    this.unpushed = true;
    return this.compute(now);
  }

  private compute(now: number): Situation {
    this.latest = this.keeper.compute(now);
    this.latestAt = now;
    return this.latest;
  }
}
