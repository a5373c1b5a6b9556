import path from "node:path";
import { renameSync } from "node:fs";
import type { Assessment, AssessmentRow, PatrolCheck, PatrolChecks, PatrolShift, PatrolTrack } from "../../../shared/bridge/contract.js";
import { WEEKLY_MINIMUM_VISITS } from "../../../shared/domain/coverage.js";
import { TRACK_DAYS } from "../../../shared/domain/patrol.js";
import { formatDate, toBeijingIso } from "../../../shared/domain/time.js";
import type { Fix, Incident, Unit } from "../../../shared/protocol/types.js";
import { checkAll, type Locate } from "./checks.js";
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
/** The protocol serves at most 8 days back; we keep 7. */
const WINDOW_MS = TRACK_DAYS * DAY_MS;

export type TracksAnswer = { ok: true; fixes: Fix[]; next?: string } | { ok: false; code: string; message: string } | "unknown";

export type PatrolDeps = {
  dataDir: string;
  /** Sends one `tracks` request; "unknown" when not connected or not answered in time. */
  requestTracks(request: { since: string; until: string; cursor?: string }, timeoutMs: number): Promise<TracksAnswer>;
  locate?: Locate;
  assignedGrid(unitId: string): string | undefined;
  log(level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>): void;
};

export class PatrolMonitor {
  store = new TrackStore();
  private covered: Interval[] = [];
  /** Feed time the current live stretch began, and the newest live fix since; null while not live. */
  private liveFrom: number | null = null;
  private liveUntil = 0;
  private backfillGeneration = 0;
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
      } catch {
        // Nothing to keep aside if it cannot even be moved; the next save replaces it.
      }
    }
  }

  /** Live fixes, as the feed sent them (any order, repeats allowed). */
  recordLive(fixes: readonly Fix[]): void {
    for (const fix of fixes) {
      this.store.add(fix[0], fix[3], fix[1], fix[2], fix[6]);
      if (fix[3] > this.liveUntil) this.liveUntil = fix[3];
    }
  }

  /** The feed went live at the platform's `serverNow`: from here live fixes cover time; ask for what is missing before it. */
  onLive(serverNow: number, canAskTracks: boolean): void {
    if (this.liveFrom === null) this.liveFrom = serverNow;
    this.liveUntil = Math.max(this.liveUntil, serverNow);
    if (!canAskTracks) return;
    const generation = ++this.backfillGeneration;
    const missing = missingWithin(this.covered, serverNow - WINDOW_MS, this.liveFrom);
    void this.backfill(piecesNewestFirst(missing, BACKFILL_PIECE_MS), generation);
  }

  /** The live stretch ends (offline, stalled, a new epoch): it counts as covered up to its newest fix. */
  onNotLive(): void {
    this.backfillGeneration++;
    if (this.liveFrom === null) return;
    this.covered = mergeIntervals([...this.covered, [this.liveFrom, Math.max(this.liveFrom, this.liveUntil)]]);
    this.liveFrom = null;
  }

  private async backfill(pieces: Interval[], generation: number): Promise<void> {
    let fixes = 0;
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
          this.deps.log("warn", "the platform did not answer a tracks request; asking again after the next reconnect", { since: request.since, until: request.until });
          return;
        }
        if (!answer.ok) {
          this.deps.log("warn", "the platform refused a tracks request", { code: answer.code, message: answer.message, since: request.since });
          return;
        }
        for (const fix of answer.fixes) this.store.add(fix[0], fix[3], fix[1], fix[2], fix[6], run);
        fixes += answer.fixes.length;
        if (answer.next === undefined) break;
        cursor = answer.next;
      }
      this.covered = mergeIntervals([...this.covered, [from, to]]);
      this.backfilled = true;
      this.judged.clear();
    }
    if (pieces.length > 0) this.deps.log("info", "patrol tracks backfilled from the platform", { windows: pieces.length, fixes });
  }

  /** The oldest time from which the store holds everything up to now, or null. */
  private coveredFrom(): number | null {
    const all = mergeIntervals(this.liveFrom === null ? this.covered : [...this.covered, [this.liveFrom, Math.max(this.liveFrom + 1, this.liveUntil)]]);
    return all.length === 0 ? null : all[all.length - 1]![0];
  }

  /** Runs the checks when due; returns the new picture when a verdict changed (to push), else null. */
  maybeCheck(now: number): PatrolChecks | null {
    if (now - this.lastCheck < CHECK_EVERY_MS || this.store.version === this.checkedVersion) return null;
    return this.check(now);
  }

  check(now: number): PatrolChecks | null {
    this.lastCheck = now;
    this.checkedVersion = this.store.version;
    const feedNow = Math.max(now, this.liveUntil);
    const shifts = new Map<string, PatrolShift[]>();
    const checks = checkAll(this.store, { now: feedNow, ...(this.deps.locate ? { locate: this.deps.locate } : {}), assignedGrid: this.deps.assignedGrid, shifts, judged: this.judged });
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
    const end = to ?? Math.max(Date.now(), this.liveUntil);
    const start = from ?? end - DAY_MS;
    return { unitId, from: start, to: end, data: this.store.slice(unitId, start, end) };
  }

  /**
   * 考核 for the week starting on Monday `week` (Beijing): hours on patrol,
   * own grid meeting the weekly rule (visits by anyone, from the coverage
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
      const patrolMs = shifts.reduce((sum, s) => sum + Math.min(s.to, end) - Math.max(s.from, start), 0);
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

  prune(now: number): void {
    const cutoff = Math.max(now, this.liveUntil) - WINDOW_MS;
    this.store.prune(cutoff + WINDOW_MS);
    this.covered = pruneIntervals(this.covered, cutoff);
  }

  /** Saves the store when due (or `force`, at stop); a failed save is logged and tried again next time. */
  save(now: number, force = false): Promise<void> {
    if (this.saving) return this.saving;
    if (this.store.version === this.savedVersion) return Promise.resolve();
    if (!force && now - this.lastSave < SAVE_EVERY_MS) return Promise.resolve();
    this.lastSave = now;
    const version = this.store.version;
    const covered = this.liveFrom === null ? this.covered : mergeIntervals([...this.covered, [this.liveFrom, Math.max(this.liveFrom, this.liveUntil)]]);
    this.saving = writeTrackFile(this.file, this.store, covered)
      .then(
        () => {
          this.savedVersion = version;
        },
        (error: unknown) => this.deps.log("error", "could not save the patrol tracks; will try again", { error: String(error) }),
      )
      .finally(() => {
        this.saving = null;
      });
    return this.saving;
  }
}
