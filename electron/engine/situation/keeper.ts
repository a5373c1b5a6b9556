import type { ConsoleSettings, UnitView } from "../../../shared/bridge/contract.js";
import type { CategoryIndex } from "../../../shared/domain/deadlines.js";
import { indexCategories } from "../../../shared/domain/deadlines.js";
import type { KpiIncident } from "../../../shared/domain/kpi-time.js";
import { DAY_MS, sameStretch } from "../../../shared/domain/kpi-time.js";
import { lastYearStretch, type KpiDay } from "../../../shared/domain/kpi-days.js";
import { communityOf, type AreaNames } from "../../../shared/domain/kpi-breakdown.js";
import { fromRecords, type Situation } from "../../../shared/domain/situation.js";
import { formatDate, startOfBeijingDay } from "../../../shared/domain/time.js";
import { DayBook, firstAtOrAfter, type Day, type Entry } from "./day-book.js";
import { categoryShares, hotSpotRows, ledgerRows, periodFigures, periodState, rankingRows, topAreas } from "./figures.js";
import { situationRecord, type SituationRecord } from "./record.js";

/*
 * The situation (shared/domain/situation.ts), kept as cases change.
 *
 * Most figures count events in a stretch of days (reported, closed, by
 * category, grid or department): the day book (day-book.ts) files each
 * case's events under their Beijing day as the case changes, so a figure
 * adds up seven days' counts or binary-searches one day's events, whatever
 * the number of cases. The rest is a state at an instant (应结案 and 超期 at
 * the end of today's, yesterday's and last week's stretch; the overdue
 * ledger and the ranking's overdue now), which only a case open at that
 * instant can be in: the open cases, and the finished ones whose life spans
 * the instant's day, filed by the days they began and ended. What needs
 * every case is kept by count: the oldest creation (where the history
 * starts) and the departments any case names.
 *
 * The picture is live cases plus the cases the platform archived lately
 * (archived.ts); a case in both counts once, as its live version.
 */

const WINDOW_DAYS = 7;
const BASELINE_DAYS = 7;
/** hotspots.ts's floor: a grid with fewer cases today is never hot. */
const HOT_SPOT_FLOOR = 3;
const AREA_LIMIT = 8;

type Settings = Pick<ConsoleSettings, "categories" | "departments">;

/**
 * The day from which an open case can be in an instant's state: it is due or overdue at t only once created by t,
 * or, by its current status, once its last update is (kpi-time.ts overdueAt); NaN when neither time is known.
 */
function openSince(record: SituationRecord): number {
  const since = Math.min(Number.isNaN(record.created) ? Infinity : record.created, Number.isNaN(record.updated) ? Infinity : record.updated);
  return since === Infinity ? Number.NaN : startOfBeijingDay(since);
}

export class SituationKeeper {
  private readonly categories: CategoryIndex;
  private readonly departments: Settings["departments"];
  private readonly live = new Map<string, SituationRecord>();
  private readonly archived = new Map<string, SituationRecord>();
  /** Open cases, and finished ones whose end is unknown, by the day from which they can count (`openSince`). */
  private readonly open = new Map<number, Set<SituationRecord>>();
  /** Finished cases by the Beijing day they were created, then the day of their `last`: in the state of an instant between. */
  private readonly finished = new Map<number, Map<number, Set<SituationRecord>>>();
  private readonly book = new DayBook((day, record, by) => this.windowCreated(day, record, by));
  /** Cases created from `windowStart` on (today's last seven days, and any later), by grid and community. */
  private windowStart = Number.NaN;
  private readonly windowGrids = new Map<string, number>();
  private readonly windowCommunities = new Map<string, number>();
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
    this.book.load(() => {
      for (const id of [...this.live.keys()]) this.removeLive(id);
      for (const incident of incidents) this.upsertLive(incident);
    });
  }

  upsertArchived(record: KpiIncident): void {
    this.replace(record.id, () => this.archived.set(record.id, situationRecord(record, false, this.categories)));
  }

  removeArchived(id: string): void {
    if (this.archived.has(id)) this.replace(id, () => this.archived.delete(id));
  }

  resetArchived(records: Iterable<KpiIncident>): void {
    this.book.load(() => {
      for (const id of [...this.archived.keys()]) this.removeArchived(id);
      for (const record of records) this.upsertArchived(record);
    });
  }

  /** Files many cases at once (a snapshot, the cases loaded at start): each day's lists are sorted once, not entry by entry. */
  load(work: () => void): void {
    this.book.load(work);
  }

  /** The days that have events (their starts), and each one's lists sorted ahead of the first computation. */
  days(): number[] {
    return [...this.book.days.keys()];
  }

  sortDay(start: number): void {
    const day = this.book.day(start);
    if (day) for (const kind of [...day.unsorted]) this.book.events(day, kind);
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
    const today = startOfBeijingDay(now);
    if (this.windowStart !== today - (WINDOW_DAYS - 1) * DAY_MS) this.moveWindow(today - (WINDOW_DAYS - 1) * DAY_MS);
    const since = this.oldestCreation();
    // Today's stretch ends now: its pass also finds the cases overdue now.
    const overdueNow: SituationRecord[] = [];
    const stretch = (daysBack: number) => {
      const period = sameStretch(now, daysBack);
      const day = this.book.day(period.start);
      return periodFigures(day ? (kind) => this.book.events(day, kind) : null, period, periodState(this.atInstant(period.end), period, daysBack === 0 ? overdueNow : undefined));
    };
    const todayFigures = stretch(0);
    const compare = (daysBack: number) => (since === undefined || since > sameStretch(now, daysBack).start ? null : stretch(daysBack));
    // Cases created, dispatched or closed from now on (a platform clock ahead of ours) are not in today's figures yet.
    const later = this.laterThan(now);
    const window = (pick: (day: Day) => ReadonlyMap<string, number>, kind: "created" | "dispatched" | "closed", keyOf: (record: SituationRecord) => string | undefined, onlyIf: (record: SituationRecord) => boolean = () => true) => {
      const counts = new Map<string, number>();
      for (let day = this.windowStart; day <= today; day += DAY_MS) {
        const found = this.book.day(day);
        if (found) for (const [key, count] of pick(found)) counts.set(key, (counts.get(key) ?? 0) + count);
      }
      for (const { at, record } of later[kind]) {
        const key = keyOf(record);
        if (key !== undefined && startOfBeijingDay(at) === today && onlyIf(record)) counts.set(key, (counts.get(key) ?? 0) - 1);
      }
      return counts;
    };
    const areasLater = { grids: new Map<string, number>(), communities: new Map<string, number>() };
    for (const { record } of later.created) {
      if (record.gridCode === "") continue;
      areasLater.grids.set(record.gridCode, (areasLater.grids.get(record.gridCode) ?? 0) + 1);
      const community = communityOf(record.gridCode);
      areasLater.communities.set(community, (areasLater.communities.get(community) ?? 0) + 1);
    }
    const known = new Map([...this.departmentNames].map(([id, { name }]) => [id, name]));
    return {
      now,
      summary: { today: todayFigures, yesterday: compare(1), lastWeek: compare(7), lastYear: lastYearStretch(this.kpiDays, now), onDuty: this.onDutyCount },
      trend: fromRecords(this.trend(now, today), this.kpiDays),
      categories: categoryShares(window((day) => day.majors, "created", (r) => r.major)),
      ledger: ledgerRows(overdueNow, this.departments),
      ranking: rankingRows(
        {
          dispatched: window((day) => day.dispatched, "dispatched", (r) => r.departmentId),
          closed: window((day) => day.closed, "closed", (r) => r.departmentId),
          closedOnTime: window((day) => day.closedOnTime, "closed", (r) => r.departmentId, (r) => !Number.isFinite(r.platformCloseBy) || r.closed <= r.platformCloseBy),
        },
        overdueNow,
        this.departments,
        known,
      ),
      hotSpots: this.hotSpots(now, today, since),
      communities: topAreas(this.windowCommunities, areasLater.communities, this.names, AREA_LIMIT),
      grids: topAreas(this.windowGrids, areasLater.grids, this.names, AREA_LIMIT),
    };
  }

  /** The cases whose state at instant `t` can count: the open ones that can count from t's day or before, and the finished ones created by then that ended on or after it. */
  atInstant(t: number): SituationRecord[] {
    const records: SituationRecord[] = [];
    const day = startOfBeijingDay(t);
    for (const [created, set] of this.open) if (!(created > day)) for (const record of set) records.push(record);
    for (const [created, byEnd] of this.finished) {
      if (created > day) continue;
      for (const [ended, set] of byEnd) if (ended >= day) for (const record of set) records.push(record);
    }
    return records;
  }

  /** The events at or after `now`, on today and later days, by kind (few: only a platform clock ahead of ours makes any). */
  private laterThan(now: number): Record<"created" | "dispatched" | "closed", Entry[]> {
    const later = { created: [] as Entry[], dispatched: [] as Entry[], closed: [] as Entry[] };
    const today = startOfBeijingDay(now);
    for (const [start, day] of this.book.days) {
      if (start < today) continue;
      for (const kind of ["created", "dispatched", "closed"] as const) {
        const entries = this.book.events(day, kind);
        for (let i = firstAtOrAfter(entries, now); i < entries.length; i++) later[kind].push(entries[i]!);
      }
    }
    return later;
  }

  private trend(now: number, today: number): { date: string; reported: number; closed: number }[] {
    const trend = [];
    for (let i = 0; i < WINDOW_DAYS; i++) {
      const start = today - (WINDOW_DAYS - 1 - i) * DAY_MS;
      const day = this.book.day(start);
      const count = (kind: "created" | "closed") => (day ? (start === today ? firstAtOrAfter(this.book.events(day, kind), now) : day.events[kind].length) : 0);
      trend.push({ date: formatDate(start), reported: count("created"), closed: count("closed") });
    }
    return trend;
  }

  private hotSpots(now: number, today: number, since: number | undefined) {
    const covered = since === undefined ? 0 : Math.floor((today - since) / DAY_MS);
    const days = Math.max(0, Math.min(BASELINE_DAYS, covered));
    if (days === 0) return [];
    // Today's counts less the cases created from now on: only grids with `floor` cases or more can be hot.
    const day = this.book.day(today);
    const todays = new Map<string, number>();
    if (day) {
      for (const [gridCode, count] of day.grids) if (count >= HOT_SPOT_FLOOR) todays.set(gridCode, count);
      const created = this.book.events(day, "created");
      for (let i = firstAtOrAfter(created, now); i < created.length; i++) {
        const gridCode = created[i]!.record.gridCode;
        if (todays.has(gridCode)) todays.set(gridCode, todays.get(gridCode)! - 1);
      }
    }
    const baselineStart = today - days * DAY_MS;
    return hotSpotRows(todays, (gridCode) => Array.from({ length: days }, (_, d) => this.book.day(baselineStart + d * DAY_MS)?.grids.get(gridCode) ?? 0), days);
  }

  /** The window's areas counted again from the days' counts (once a day, when the day changes). */
  private moveWindow(start: number): void {
    this.windowStart = start;
    this.windowGrids.clear();
    this.windowCommunities.clear();
    for (const [day, counts] of this.book.days) {
      if (day < start) continue;
      for (const [code, count] of counts.grids) this.windowGrids.set(code, (this.windowGrids.get(code) ?? 0) + count);
      for (const [code, count] of counts.communities) this.windowCommunities.set(code, (this.windowCommunities.get(code) ?? 0) + count);
    }
  }

  private windowCreated(day: number, record: SituationRecord, by: 1 | -1): void {
    if (!(day >= this.windowStart) || record.gridCode === "") return;
    const bump = (counts: Map<string, number>, code: string) => {
      const next = (counts.get(code) ?? 0) + by;
      if (next === 0) counts.delete(code);
      else counts.set(code, next);
    };
    bump(this.windowGrids, record.gridCode);
    bump(this.windowCommunities, communityOf(record.gridCode));
  }

  /** What counts for `id` is its live version, else its archived one: file the new one in place of the old. */
  private replace(id: string, change: () => void): void {
    const before = this.live.get(id) ?? this.archived.get(id);
    change();
    const after = this.live.get(id) ?? this.archived.get(id);
    if (before === after) return;
    if (before && after) {
      this.book.refile(before, after);
      this.unfileRest(before);
      this.fileRest(after);
    } else {
      if (before) this.unfile(before);
      if (after) this.file(after);
    }
    this.changed = true;
  }

  private file(record: SituationRecord): void {
    this.book.file(record);
    this.fileRest(record);
  }

  private unfile(record: SituationRecord): void {
    this.book.unfile(record);
    this.unfileRest(record);
  }

  /** What `file` keeps besides the day book: the open and finished cases, the creations, the departments. */
  private fileRest(record: SituationRecord): void {
    if (Number.isNaN(record.last)) {
      const created = openSince(record);
      let set = this.open.get(created);
      if (!set) this.open.set(created, (set = new Set()));
      set.add(record);
    }
    else if (!Number.isNaN(record.created)) {
      const created = startOfBeijingDay(record.created);
      let byEnd = this.finished.get(created);
      if (!byEnd) this.finished.set(created, (byEnd = new Map()));
      const ended = startOfBeijingDay(record.last);
      let set = byEnd.get(ended);
      if (!set) byEnd.set(ended, (set = new Set()));
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

  private unfileRest(record: SituationRecord): void {
    if (Number.isNaN(record.last)) {
      const created = openSince(record);
      const set = this.open.get(created);
      set?.delete(record);
      if (set?.size === 0) this.open.delete(created);
    }
    else if (!Number.isNaN(record.created)) {
      const byEnd = this.finished.get(startOfBeijingDay(record.created));
      const ended = startOfBeijingDay(record.last);
      const set = byEnd?.get(ended);
      set?.delete(record);
      if (set?.size === 0) byEnd!.delete(ended);
      if (byEnd?.size === 0) this.finished.delete(startOfBeijingDay(record.created));
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
