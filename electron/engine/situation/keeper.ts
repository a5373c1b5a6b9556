import type { ConsoleSettings, UnitView } from "../../../shared/bridge/contract.js";
import type { CategoryIndex } from "../../../shared/domain/deadlines.js";
import { indexCategories } from "../../../shared/domain/deadlines.js";
import type { KpiIncident } from "../../../shared/domain/kpi-time.js";
import { DAY_MS, sameStretch } from "../../../shared/domain/kpi-time.js";
import { lastYearStretch, type KpiDay } from "../../../shared/domain/kpi-days.js";
import type { AreaNames } from "../../../shared/domain/kpi-breakdown.js";
import { fromRecords, type Situation } from "../../../shared/domain/situation.js";
import { startOfBeijingDay } from "../../../shared/domain/time.js";
import { areaFigures, categoryFigures, hotSpotFigures, ledgerFigures, periodFigures, rankingFigures, trendFigures } from "./figures.js";
import { situationRecord, type SituationRecord } from "./record.js";

/*
 * The situation (shared/domain/situation.ts), kept as cases change.
 *
 * Every figure reads at most eight Beijing days back (last week's stretch and
 * the hot spots' baseline start seven days before today), and a closed or
 * rejected case adds nothing to a figure whose earliest instant is after
 * everything it records (its `last`, record.ts). So the keeper files each case
 * once per change: open cases in one set, finished ones in the bucket of the
 * Beijing day of their `last`. Working the situation out reads the open set
 * and the buckets of the last eight days: at city scale the tens of
 * thousands of cases closed long ago, which the page's own computation
 * scanned on every change, are never looked at. What needs every case is
 * kept by count as cases come and go: the oldest creation (where the history
 * starts, for 环比 and the hot spots' baseline) and the departments any case
 * names (each keeps its row in the ranking).
 *
 * The picture is live cases plus the cases the platform archived lately
 * (archived.ts); a case in both counts once, as its live version.
 */

const FIGURE_DAYS = 8;
const AREA_LIMIT = 8;

type Settings = Pick<ConsoleSettings, "categories" | "departments">;

export class SituationKeeper {
  private readonly categories: CategoryIndex;
  private readonly departments: Settings["departments"];
  private readonly live = new Map<string, SituationRecord>();
  private readonly archived = new Map<string, SituationRecord>();
  /** Open cases, and finished ones whose end is unknown: looked at every time. */
  private readonly open = new Set<SituationRecord>();
  /** Finished cases by the Beijing day (its start, epoch ms) of their `last`. */
  private readonly finished = new Map<number, Set<SituationRecord>>();
  private readonly created = new Map<number, number>();
  private oldest: number | undefined = undefined;
  private oldestStale = false;
  private readonly departmentNames = new Map<string, { name: string; cases: number }>();
  private readonly onDuty = new Map<string, boolean>();
  private onDutyCount = 0;
  private names: AreaNames = new Map();
  private kpiDays: readonly KpiDay[] = [];
  /** Whether anything changed since the last `compute`. */
  changed = true;

  constructor(settings: Settings) {
    this.categories = indexCategories(settings.categories);
    this.departments = settings.departments;
  }

  get size(): number {
    return this.live.size + this.archived.size;
  }

  upsertLive(incident: KpiIncident): void {
    this.replace(incident.id, () => this.live.set(incident.id, situationRecord(incident, true, this.categories)));
  }

  removeLive(id: string): void {
    if (this.live.has(id)) this.replace(id, () => this.live.delete(id));
  }

  /** Every live case anew (a snapshot replaced the picture). */
  resetLive(incidents: Iterable<KpiIncident>): void {
    for (const id of [...this.live.keys()]) this.removeLive(id);
    for (const incident of incidents) this.upsertLive(incident);
  }

  upsertArchived(record: KpiIncident): void {
    this.replace(record.id, () => this.archived.set(record.id, situationRecord(record, false, this.categories)));
  }

  removeArchived(id: string): void {
    if (this.archived.has(id)) this.replace(id, () => this.archived.delete(id));
  }

  resetArchived(records: Iterable<KpiIncident>): void {
    for (const id of [...this.archived.keys()]) this.removeArchived(id);
    for (const record of records) this.upsertArchived(record);
  }

  upsertUnit(unit: Pick<UnitView, "id" | "status">): void {
    const was = this.onDuty.get(unit.id);
    const now = unit.status !== "off_duty";
    if (was === now) return;
    this.onDuty.set(unit.id, now);
    this.onDutyCount += (now ? 1 : 0) - (was ? 1 : 0);
    this.changed = true;
  }

  removeUnit(id: string): void {
    const was = this.onDuty.get(id);
    if (was === undefined) return;
    this.onDuty.delete(id);
    if (was) this.onDutyCount--;
    this.changed = true;
  }

  resetUnits(units: Iterable<Pick<UnitView, "id" | "status">>): void {
    this.onDuty.clear();
    this.onDutyCount = 0;
    for (const unit of units) this.upsertUnit(unit);
    this.changed = true;
  }

  /** Area names from the region layer (areas without one show by code). */
  setNames(names: AreaNames): void {
    this.names = names;
    this.changed = true;
  }

  setKpiDays(days: readonly KpiDay[]): void {
    this.kpiDays = days;
    this.changed = true;
  }

  /** The situation at `now` (epoch ms: the platform's clock, whose times the cases carry). */
  compute(now: number): Situation {
    this.changed = false;
    const records = this.countable(now);
    const since = this.oldestCreation();
    const compare = (daysBack: number) => {
      const period = sameStretch(now, daysBack);
      return since === undefined || since > period.start ? null : periodFigures(records, period);
    };
    const areas = areaFigures(records, this.names, now, AREA_LIMIT);
    const known = new Map([...this.departmentNames].map(([id, { name }]) => [id, name]));
    return {
      now,
      summary: { today: periodFigures(records, sameStretch(now, 0)), yesterday: compare(1), lastWeek: compare(7), lastYear: lastYearStretch(this.kpiDays, now), onDuty: this.onDutyCount },
      trend: fromRecords(trendFigures(records, now), this.kpiDays),
      categories: categoryFigures(records, now),
      ledger: ledgerFigures(records, this.departments, now),
      ranking: rankingFigures(records, this.departments, known, now),
      hotSpots: hotSpotFigures(records, now, since),
      communities: areas.communities,
      grids: areas.grids,
    };
  }

  /** The cases that can count at `now`: the open ones and those finished in the last FIGURE_DAYS days (or later). */
  countable(now: number): SituationRecord[] {
    const from = startOfBeijingDay(now) - (FIGURE_DAYS - 1) * DAY_MS;
    const records = [...this.open];
    for (const [day, set] of this.finished) if (day >= from) for (const record of set) records.push(record);
    return records;
  }

  /** What counts for `id` is its live version, else its archived one: file the new one in place of the old. */
  private replace(id: string, change: () => void): void {
    const before = this.live.get(id) ?? this.archived.get(id);
    change();
    const after = this.live.get(id) ?? this.archived.get(id);
    if (before === after) return;
    if (before) this.unfile(before);
    if (after) this.file(after);
    this.changed = true;
  }

  private file(record: SituationRecord): void {
    if (Number.isNaN(record.last)) this.open.add(record);
    else {
      const day = startOfBeijingDay(record.last);
      let set = this.finished.get(day);
      if (!set) this.finished.set(day, (set = new Set()));
      set.add(record);
    }
    if (!Number.isNaN(record.created)) {
      this.created.set(record.created, (this.created.get(record.created) ?? 0) + 1);
      if (!this.oldestStale && (this.oldest === undefined || record.created < this.oldest)) this.oldest = record.created;
    }
    if (record.departmentId !== undefined) {
      const known = this.departmentNames.get(record.departmentId);
      if (known) {
        known.cases++;
        known.name = record.departmentName;
      } else this.departmentNames.set(record.departmentId, { name: record.departmentName, cases: 1 });
    }
  }

  private unfile(record: SituationRecord): void {
    if (Number.isNaN(record.last)) this.open.delete(record);
    else {
      const day = startOfBeijingDay(record.last);
      const set = this.finished.get(day);
      set?.delete(record);
      if (set?.size === 0) this.finished.delete(day);
    }
    if (!Number.isNaN(record.created)) {
      const left = (this.created.get(record.created) ?? 0) - 1;
      if (left > 0) this.created.set(record.created, left);
      else {
        this.created.delete(record.created);
        // Found again when next asked: retention removes the oldest cases by the thousand, one scan for them all.
        if (record.created === this.oldest) this.oldestStale = true;
      }
    }
    if (record.departmentId !== undefined) {
      const known = this.departmentNames.get(record.departmentId);
      if (known && --known.cases === 0) this.departmentNames.delete(record.departmentId);
    }
  }

  private oldestCreation(): number | undefined {
    if (this.oldestStale) {
      this.oldestStale = false;
      let oldest: number | undefined;
      for (const at of this.created.keys()) if (oldest === undefined || at < oldest) oldest = at;
      this.oldest = oldest;
    }
    return this.oldest;
  }
}
