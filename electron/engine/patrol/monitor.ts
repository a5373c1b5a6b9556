import path from "node:path";
import { renameSync } from "node:fs";
import type { Assessment, AssessmentRow, PatrolCheck, PatrolChecks, PatrolShift, PatrolTrack } from "../../../shared/bridge/contract.js";
import { WEEKLY_MINIMUM_VISITS } from "../../../shared/domain/coverage.js";
import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { formatDate, toBeijingIso } from "../../../shared/domain/time.js";
import type { Fix, Incident, TracksAnswer, Unit } from "../../../shared/protocol/types.js";
import { checkAll } from "./checks.js";
import { mergeIntervals, missingWithin, piecesNewestFirst, pruneIntervals, type Interval } from "./coverage-windows.js";
import { readTrackFile, writeTrackFile } from "./track-file.js";
import { newRun, TrackStore } from "./track-store.js";

/*
 * Verified patrol in the engine: the track store, filled from the live feed
 * and, where the platform answers `tracks`, backfilled for exactly the
 * stretches the console lacks (first start, an outage, a night switched
 * off); the checks run over it at most every CHECK_EVERY_MS when something
 * changed, and the views are told when a verdict changes.
 */

const DAY_MS = 86_400_000;
const CHECK_EVERY_MS = 15_000;
const SAVE_EVERY_MS = 5 * 60_000;
/** Backfill asks for at most this much time per request (then pages within it), newest first. */
const BACKFILL_PIECE_MS = 6 * 3_600_000;
const TRACKS_TIMEOUT_MS = 30_000;
/** A backfill cut short (no answer, a refusal) is tried again this long after, while the feed stays live. */
const BACKFILL_RETRY_MS = 5 * 60_000;
/** A fix further ahead of the platform's clock than this (a handheld with a wrong clock) does not move "live until". */
const FUTURE_SLACK_MS = 5 * 60_000;
/** The protocol serves at most 8 days back; we keep 7. */
const WINDOW_MS = TRACK_DAYS * DAY_MS;

export type PatrolDeps = {
  dataDir: string;
  /** The platform's clock (FeedSync.feedNow): what "the last 7 days" and "now" mean for its tracks. */
  feedNow(): number;
  /** Sends one `tracks` request; "unknown" when not connected or not answered in time. */
  requestTracks(request: { since: string; until: string; cursor?: string }, timeoutMs: number): Promise<TracksAnswer>;
  /** A page of backfilled fixes, in time order within its window; `window` is the same object for every page of one window. */
  backfilled?(fixes: readonly Fix[], window: object): void;
  log(level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>): void;
};

export class PatrolMonitor {
  store = new TrackStore();
  private covered: Interval[] = [];
  /** Feed time the current live stretch began, and the newest live fix since; null while not live. */
  private liveFrom: number | null = null;
  private liveUntil = 0;
  private backfillGeneration = 0;
  private backfilling = false;
  private backfillRetryAt: number | null = null;
  private answersTracks = false;
  private backfilled = false;
  private checkedVersion = -1;
  private lastCheck = 0;
  private lastSave = Date.now();
  private savedVersion = -1;
  private verdictKey = "";
  private shifts = new Map<string, PatrolShift[]>();
  private verdicts = new Map<string, PatrolCheck>();
  /** Finished shifts already judged (checks.ts `judged`); emptied when older tracks arrive. */
  private readonly judged = new Map<string, PatrolShift>();
  private current: PatrolChecks = { computedAt: new Date(0).toISOString(), source: "live", coveredFrom: null, checks: [] };
  private saving: Promise<void> | null = null;

  constructor(private readonly deps: PatrolDeps) {}

  private get file(): string {
    return path.join(this.deps.dataDir, "tracks.bin");
  }

  load(): void {
    try {
      const loaded = readTrackFile(this.file);
      if (!loaded) return;
      this.store = loaded.store;
      this.covered = mergeIntervals(loaded.covered);
      this.savedVersion = this.store.version;
    } catch (error) {
      const aside = `${this.file}.unreadable-${Date.now()}`;
      this.deps.log("error", "the track file could not be read; kept aside, tracks will be asked of the platform again", { error: String(error), movedTo: aside });
      try {
        renameSync(this.file, aside);
      } catch (renameError) {
        this.deps.log("error", "the unreadable track file could not be moved aside; the next save replaces it", { error: String(renameError) });
      }
    }
  }

  /** Live fixes, as the feed sent them (any order, repeats allowed). */
  recordLive(fixes: readonly Fix[]): void {
    const horizon = this.deps.feedNow() + FUTURE_SLACK_MS;
    for (const fix of fixes) {
      this.store.add(fix[0], fix[3], fix[1], fix[2], fix[6]);
      if (fix[3] > this.liveUntil && fix[3] <= horizon) this.liveUntil = fix[3];
    }
  }

  /**
   * The feed is live (again): from the platform's now on, live fixes cover
   * time; what the store lacks before it is asked for, unless a backfill is
   * already under way. Called on every return to live, a stall recovered by a
   * heartbeat included.
   */
  onLive(answersTracks: boolean): void {
    const now = this.deps.feedNow();
    this.answersTracks = answersTracks;
    if (this.liveFrom === null) this.liveFrom = now;
    this.liveUntil = Math.max(this.liveUntil, this.liveFrom);
    if (!answersTracks || this.backfilling) return;
    const missing = missingWithin(this.covered, now - WINDOW_MS, this.liveFrom);
    if (missing.length === 0) return;
    const generation = ++this.backfillGeneration;
    this.backfilling = true;
    this.backfillRetryAt = null;
    void this.backfill(piecesNewestFirst(missing, BACKFILL_PIECE_MS), generation).finally(() => {
      if (generation !== this.backfillGeneration) return;
      this.backfilling = false;
      // Verdicts made before older tracks came may lack what they show (an earlier day to compare with).
      this.judged.clear();
    });
  }

  /** The live stretch ends (offline, stalled, a new epoch): it counts as covered up to its newest fix; a backfill under way stops. */
  onNotLive(): void {
    this.backfillGeneration++;
    this.backfilling = false;
    this.backfillRetryAt = null;
    this.judged.clear();
    if (this.liveFrom === null) return;
    this.covered = mergeIntervals([...this.covered, [this.liveFrom, Math.max(this.liveFrom, this.liveUntil)]]);
    this.liveFrom = null;
  }

  private async backfill(pieces: Interval[], generation: number): Promise<void> {
    let fixes = 0;
    const retryLater = () => {
      this.backfillRetryAt = Date.now() + BACKFILL_RETRY_MS;
    };
    for (const [from, to] of pieces) {
      const run = newRun();
      let cursor: string | undefined;
      for (;;) {
        if (generation !== this.backfillGeneration) return;
        if (this.store.full) {
          this.deps.log("warn", "the track store is full; older tracks are not asked for (more staff than a district's week holds)", { points: this.store.points });
          return;
        }
        const request = { since: toBeijingIso(from), until: toBeijingIso(to), ...(cursor === undefined ? {} : { cursor }) };
        const answer = await this.deps.requestTracks(request, TRACKS_TIMEOUT_MS);
        if (generation !== this.backfillGeneration) return;
        if (answer === "unknown") {
          this.deps.log("warn", "the platform did not answer a tracks request; asking again in 5 minutes", { since: request.since, until: request.until });
          return retryLater();
        }
        if (!answer.ok) {
          this.deps.log("warn", "the platform refused a tracks request; asking again in 5 minutes", { code: answer.code, message: answer.message, since: request.since });
          return retryLater();
        }
        for (const fix of answer.fixes) this.store.add(fix[0], fix[3], fix[1], fix[2], fix[6], run);
        this.deps.backfilled?.(answer.fixes, run);
        fixes += answer.fixes.length;
        if (answer.next === undefined) break;
        cursor = answer.next;
      }
      this.covered = mergeIntervals([...this.covered, [from, to]]);
      this.backfilled = true;
      // An earlier day came: a shift judged before it may be that day's replay (the week's backfill takes a minute or more).
      this.judged.clear();
    }
    if (pieces.length > 0) this.deps.log("info", "patrol tracks backfilled from the platform", { windows: pieces.length, fixes });
  }

  /** The oldest time from which the store holds everything up to now, or null. */
  private coveredFrom(): number | null {
    const all = mergeIntervals(this.liveFrom === null ? this.covered : [...this.covered, [this.liveFrom, Math.max(this.liveFrom + 1, this.liveUntil)]]);
    return all.length === 0 ? null : all[all.length - 1]![0];
  }

  /** Runs the checks when due (and a cut-short backfill when its retry is due); returns the new picture when a verdict changed (to push), else null. */
  maybeCheck(now: number): PatrolChecks | null {
    if (this.backfillRetryAt !== null && now >= this.backfillRetryAt && this.liveFrom !== null) this.onLive(this.answersTracks);
    if (now - this.lastCheck < CHECK_EVERY_MS || this.store.version === this.checkedVersion) return null;
    return this.check(now);
  }

  check(now: number): PatrolChecks | null {
    this.lastCheck = now;
    this.checkedVersion = this.store.version;
    const feedNow = this.deps.feedNow();
    const shifts = new Map<string, PatrolShift[]>();
    const checks = checkAll(this.store, { now: feedNow, shifts, judged: this.judged });
    this.shifts = shifts;
    this.verdicts = new Map(checks.map((c) => [c.unitId, c]));
    this.current = { computedAt: new Date(now).toISOString(), source: this.backfilled ? "platform" : "live", coveredFrom: this.coveredFrom(), checks };
    const key = checks.map((c) => `${c.unitId}:${c.verdict}:${c.reasons.join(",")}`).join("|");
    if (key === this.verdictKey) return null;
    this.verdictKey = key;
    return this.current;
  }

  checks(): PatrolChecks {
    return this.current;
  }

  verdictOf(unitId: string): PatrolCheck | undefined {
    return this.verdicts.get(unitId);
  }

  track(unitId: string, from: number | undefined, to: number | undefined): PatrolTrack {
    const end = to ?? this.deps.feedNow();
    const start = from ?? end - DAY_MS;
    return { unitId, from: start, to: end, data: this.store.slice(unitId, start, end) };
  }

  /**
   * 考核 for the week starting on Monday `week` (Beijing): hours on patrol
   * in shifts that checked out ok (tracks are kept 7 days: an older stretch
   * of the week has none), own grid meeting the weekly rule (visits by anyone, from the coverage
   * count), cases the staff member reported, and their shifts by verdict.
   */
  assessment(week: string, units: Iterable<Unit>, incidents: Iterable<Incident>, visitsByDay: Record<string, Record<string, number>>): Assessment {
    const start = Date.parse(`${week}T00:00:00.000+08:00`);
    const end = start + 7 * DAY_MS;
    const days = Array.from({ length: 7 }, (_, i) => formatDate(start + i * DAY_MS + 12 * 3_600_000));
    const reported = new Map<string, number>();
    for (const incident of incidents) {
      const unitId = incident.reporter?.unitId;
      const created = Date.parse(incident.createdAt);
      if (unitId && created >= start && created < end) reported.set(unitId, (reported.get(unitId) ?? 0) + 1);
    }
    const rows: AssessmentRow[] = [];
    for (const unit of units) {
      const shifts = (this.shifts.get(unit.id) ?? []).filter((s) => s.to >= start && s.from < end);
      // Hours that checked out: a faked or unjudgeable shift earns none.
      const patrolMs = shifts.filter((s) => s.verdict === "ok").reduce((sum, s) => sum + Math.min(s.to, end) - Math.max(s.from, start), 0);
      const visits = days.reduce((sum, day) => sum + (visitsByDay[day]?.[unit.gridCode] ?? 0), 0);
      rows.push({
        unitId: unit.id,
        patrolHours: Math.round((patrolMs / 3_600_000) * 10) / 10,
        ownGrids: 1,
        ownGridsMet: visits >= WEEKLY_MINIMUM_VISITS ? 1 : 0,
        casesReported: reported.get(unit.id) ?? 0,
        shifts: shifts.length,
        suspectShifts: shifts.filter((s) => s.verdict === "suspect").length,
        insufficientShifts: shifts.filter((s) => s.verdict === "insufficient").length,
      });
    }
    return { week, computedAt: new Date().toISOString(), rows };
  }

  /** Forgets tracks, and the windows that held them, older than the week before the platform's now. */
  prune(): void {
    const now = this.deps.feedNow();
    this.store.prune(now);
    this.covered = pruneIntervals(this.covered, now - WINDOW_MS);
  }

  /** Saves the store when due (or `force`, at stop); a failed save is logged and tried again next time. */
  async save(now: number, force = false): Promise<void> {
    // At stop, a periodic save under way may hold older points than the store has now: wait for it, then save again.
    if (this.saving) {
      if (!force) return this.saving;
      await this.saving;
    }
    if (this.store.version === this.savedVersion) return Promise.resolve();
    if (!force && now - this.lastSave < SAVE_EVERY_MS) return Promise.resolve();
    this.lastSave = now;
    const version = this.store.version;
    const covered = this.liveFrom === null ? this.covered : mergeIntervals([...this.covered, [this.liveFrom, Math.max(this.liveFrom, this.liveUntil)]]);
    const saving = writeTrackFile(this.file, this.store, covered)
      .then(
        () => {
          this.savedVersion = version;
        },
        (error: unknown) => this.deps.log("error", "could not save the patrol tracks; will try again", { error: String(error) }),
      )
      .finally(() => {
        this.saving = null;
      });
    this.saving = saving;
    return saving;
  }
}
