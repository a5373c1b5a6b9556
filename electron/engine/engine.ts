import type { Alert, Incident, Unit } from "../../shared/protocol/types.js";
import type {
  BridgeEventName,
  BridgeEvents,
  BridgeHandlers,
  ConnectionState,
  ConnectionStatus,
  Diagnostics,
  GridCounts,
  Roster,
  IncidentMarkers,
  IncidentView,
  InitialState,
  StatusReason,
  UnitView,
} from "../../shared/bridge/contract.js";
import { describeStatusReason } from "../../shared/bridge/status.js";
import { formatDate } from "../../shared/domain/time.js";
import type { Engine, EngineOptions } from "./api.js";
import { AttentionList } from "./attention.js";
import { ATTENTION_TICKER_ITEMS, type AttentionTicker } from "../../shared/bridge/attention.js";
import { attentionTicker } from "../../shared/domain/attention-order.js";
import { ARCHIVED_KEEP_DAYS, ArchivedCases, archivedCase, splitSnapshot } from "./archived.js";
import { KpiDayBook } from "./kpi-days.js";
import { indexCategories } from "../../shared/domain/deadlines.js";
import { Cache } from "./cache.js";
import { givenKeySource } from "./reporter-seal.js";
import { CoverageCounter, type Stays } from "./coverage.js";
import { createHandlers } from "./handlers.js";
import { QueueIndex } from "./queue-index.js";
import { HandoverBook } from "./handover-book.js";
import type { ParsedDelta } from "./messages.js";
import type { CacheOp, StoredCommand } from "./model.js";
import { DEFAULT_OUTBOX_TIMING, Outbox } from "./outbox.js";
import type { OutboxTiming } from "./outbox.js";
import { feedSpace } from "./feed-space.js";
import { PatrolMonitor } from "./patrol/monitor.js";
import { PreparedRegionLayer } from "./region.js";
import { Replica } from "./replica.js";
import { DEFAULT_TIMING, FeedSync } from "./sync.js";
import type { SyncTarget, SyncTiming } from "./sync.js";
import { incidentView, outboxEntry, positionsBatch, unitView } from "./bridge-objects.js";
import { WallBoard } from "./wall.js";
import { EngineSituation } from "./situation/engine-situation.js";
import { NOTABLE_CASES, type Situation } from "../../shared/domain/situation.js";
import type { PastAddress } from "../../shared/geo/gazetteer.js";
import { GridCounter } from "./grid-counts.js";
import { WALL_PUSH_DEFAULT_MINUTES } from "../../shared/bridge/wall.js";

/*
 * The engine: feed sync → replica → cache, and batched pushes to views. Views
 * are told about a change only after the tick's journal record is on disk.
 */

export type EngineTiming = SyncTiming &
  OutboxTiming & {
    /** Incident, unit, alert and outbox pushes are batched over this interval. */
    pushMs: number;
    /** Positions are pushed every this many ms at most, latest fix per unit. */
    positionsMs: number;
    compactEveryMs: number;
    /** Compact sooner when the journal grows past this. */
    compactJournalBytes: number;
    /**
     * The latest fixes go into cache.sqlite with a compaction at most this often (and at stop, and
     * right after a snapshot), only those that changed: at city scale every unit moves between two
     * compactions, and rewriting 60,000 rows every 10 s was the largest part of the ingest cost.
     */
    savePositionsMs: number;
  };

export const DEFAULT_ENGINE_TIMING: EngineTiming = {
  ...DEFAULT_TIMING,
  ...DEFAULT_OUTBOX_TIMING,
  pushMs: 100,
  positionsMs: 200,
  compactEveryMs: 10_000,
  compactJournalBytes: 16 * 1024 * 1024,
  savePositionsMs: 60_000,
};

const DAY_MS = 86_400_000;
const NO_COMMANDS: readonly StoredCommand[] = [];
/** While the journal refuses writes (a full disk), the push tick tries it again this often, not every tick. */
const JOURNAL_RETRY_MS = 1_000;
const PRUNE_EVERY_MS = 3_600_000;
const ATTENTION_SWEEP_MS = 60_000;
/** The situation's cases loaded at start are filed in slices this long, between which the engine answers (situation/engine-situation.ts). */
const SITUATION_LOAD_SLICE_MS = 20;
/** The map's counts of the cases loaded at start are made in slices this long. */
const GRID_COUNT_SLICE_MS = 20;
type Listener = (payload: never) => void;

export class ConsoleEngine implements Engine {
  readonly handlers: BridgeHandlers;
  readonly replica = new Replica();
  readonly outbox: Outbox;
  readonly sync: FeedSync;
  readonly coverage: CoverageCounter;
  readonly region: PreparedRegionLayer;
  readonly patrol: PatrolMonitor;
  /** Stays of each backfilled window (./coverage.ts `Stays`), forgotten with the window. */
  private readonly backfillStays = new WeakMap<object, Stays>();
  /** The settings views get: the configured ones, less the feed's coordinate space (converted here). */
  private readonly viewSettings: EngineOptions["settings"];
  /** Urgent and overdue cases and the feed's alerts, with their acknowledgements (attention.ts). */
  readonly attention: AttentionList;
  /** The operator's queue in attention order, kept from the cases' changes (queue-index.ts): pages ask for the window they show. */
  readonly queue: QueueIndex;
  private lastAttentionSweep = 0;
  private lastAttentionTicker = "";
  /** The ticker as of the attention list's last change; null when it may have changed since (worked out again when asked). */
  private tickerNow: AttentionTicker | null = null;
  /** Cases archived in the last days, for the situation's KPIs (archived.ts); never sent to a page. */
  readonly archived = new ArchivedCases();
  /** Each past Beijing day's KPI figures, counted once and kept (kpi-days.ts). */
  readonly kpiDays = new KpiDayBook();
  /** The map's case counts per grid, kept as cases change (grid-counts.ts); counting starts with the region layer. */
  readonly gridCounts: GridCounter;
  private lastKpiCheck = 0;
  /** The cases of a snapshot just applied, for where the history begins (kpi-days.ts); null once read. */
  private kpiSnapshot: Incident[] | null = null;
  /** 交接班: the shift's start, its connection states, the record waiting for the next operator (handover-book.ts). */
  readonly handover: HandoverBook;
  /** 推送上墙: what an operator put on the wall, until taken back or run out (wall.ts). */
  readonly wall: WallBoard;
  /** The KPIs, rankings and hot spots, kept as cases change and pushed to the pages (situation/). */
  readonly situation: EngineSituation;
  readonly timing: EngineTiming;
  readonly startedAt = new Date().toISOString();
  private cacheStore: Cache | null = null;
  private listeners = new Map<BridgeEventName, Set<Listener>>();
  private state: { state: ConnectionState; since: string; reason: StatusReason | undefined } = { state: "connecting", since: new Date().toISOString(), reason: undefined };
  private cacheRecovered: ConnectionStatus["cacheRecovered"];
  private lastPushedStatus = "";
  private outboxDirty = false;
  private timers: NodeJS.Timeout[] = [];
  private lastPositionsPush = 0;
  private lastCompaction = Date.now();
  private compacting = false;
  private journalRefusedAt: number | null = null;
  /** Set when cache.sqlite should catch up at once: no file yet, or a snapshot replaced the picture. */
  private compactSoon = false;
  private lastPositionsSave = Date.now();
  private lastPrune = 0;
  private starting: Promise<void> | null = null;
  /**
   * The view of each case with no command waiting, by the case record itself:
   * the replica replaces a record when the case changes, never edits it, so a
   * view found here is current. Views handed out are shared: never edit one.
   */
  private plainViews = new WeakMap<Incident, IncidentView>();
  private unitViews = new WeakMap<Unit, UnitView>();
  private stopping: Promise<void> | null = null;

  constructor(readonly options: EngineOptions & { timing?: Partial<EngineTiming> }) {
    this.timing = { ...DEFAULT_ENGINE_TIMING, ...options.timing };
    const space = feedSpace(options.settings.map?.feedCoordinates);
    // Everything reaches views already in the grid layer's WGS84 (./feed-space.ts): they convert nothing.
    const map = options.settings.map;
    if (map?.feedCoordinates !== undefined) {
      const { feedCoordinates: _converted, ...rest } = map;
      this.viewSettings = { ...options.settings, map: rest };
    } else this.viewSettings = options.settings;
    const log = options.log ?? (() => undefined);
    this.coverage = new CoverageCounter(options.regionLayer);
    this.attention = new AttentionList(this.replica, indexCategories(options.settings.categories));
    this.gridCounts = new GridCounter(indexCategories(options.settings.categories));
    this.queue = new QueueIndex(indexCategories(options.settings.categories), Date.now());
    this.situation = new EngineSituation(options.settings, {
      first: (now) => {
        this.gridCounts.sweep(now);
        // Titles are masked with the reporter as typed (a view's is masked already, which would find nothing to mask in a title).
        return (
          this.gridCounts.notable(NOTABLE_CASES)?.map((candidate) => {
            const raw = this.replica.incidents.get(candidate.incident.id)?.reporter;
            return { ...candidate, incident: { ...candidate.incident, reporter: raw ? { ...raw, masked: false } : undefined } };
          }) ?? null
        );
      },
      version: () => this.gridCounts.version,
    });
    this.handover = new HandoverBook(Date.parse(this.startedAt), indexCategories(options.settings.categories));
    this.wall = new WallBoard({ minutes: options.settings.briefing.wallPushMinutes ?? WALL_PUSH_DEFAULT_MINUTES, changed: (state) => this.emit("wall", state) });
    this.region = new PreparedRegionLayer(options.regionLayer, options.dataDir, log, options.regionLayerFile);
    this.outbox = new Outbox(
      {
        write: (ops) => this.cache.write(ops),
        send: (command, timeoutMs) => this.sync.sendCommand(space.commandOut(command), timeoutMs).then((result) => (result === "unknown" ? result : space.resultIn(result))),
        canSend: () => this.sync.connected,
        incident: (incident) => {
          const op = this.replica.upsertIncident(incident);
          if (op) this.cache.queue([op]);
        },
        failed: (error) => this.options.log?.("error", "outbox could not record a change; will retry", { error: String(error) }),
        changed: (incidentIds) => {
          this.outboxDirty = true;
          for (const id of incidentIds) if (this.replica.incidents.has(id)) this.replica.dirty.incidents.add(id);
        },
      },
      this.timing,
    );
    const target: SyncTarget = {
      position: () => ({ epoch: this.replica.meta.epoch, lastSeq: this.replica.meta.lastSeq }),
      applySnapshot: (raw) => {
        const snapshot = { ...raw, incidents: raw.incidents.map(space.incident), units: raw.units.map(space.unit) };
        // Cases closed long before the snapshot go straight to history (archived.ts HISTORY_AFTER_MS).
        const { live, history } = splitSnapshot(snapshot.incidents, Date.parse(snapshot.at));
        this.cache.queue(this.replica.applySnapshot({ ...snapshot, incidents: live }));
        if (history.length > 0) {
          this.cache.queue(history.flatMap((incident): CacheOp[] => [{ op: "incident", incident }, { op: "archive", id: incident.id, version: incident.version }]));
          this.archived.add(history, Date.now());
        }
        this.compactSoon = true;
        this.kpiSnapshot = snapshot.incidents;
        log("info", "applied snapshot", { epoch: snapshot.epoch, seq: snapshot.seq, incidents: snapshot.incidents.length, units: snapshot.units.length });
      },
      applyDelta: (delta: ParsedDelta) => this.cache.queue(this.replica.applyDelta({ ...delta, events: space.events(delta.events) })),
      applyFixes: (raw) => {
        const fixes = space.fixes(raw);
        this.replica.applyFixes(fixes);
        this.patrol.recordLive(fixes);
      },
      status: (state, reason) => {
        // Live fixes cover time only while live (a stall recovered by a heartbeat is live again without a new hello).
        if (state === "live") this.patrol.onLive(this.sync.answersTracks);
        else this.patrol.onNotLive();
        this.setState(state, reason);
      },
      ready: () => this.outbox.kick(),
    };
    this.sync = new FeedSync({ feedUrl: options.feedUrl, token: options.token, consoleId: options.consoleId, log }, target, this.timing);
    this.patrol = new PatrolMonitor({
      dataDir: options.dataDir,
      feedNow: () => this.sync.feedNow(),
      // The platform's tracks make visits too, not only what the console saw live: each window is its own run of stays.
      backfilled: (fixes, window) => {
        let stays = this.backfillStays.get(window);
        if (!stays) this.backfillStays.set(window, (stays = new Map()));
        const stored = fixes.map(([unitId, lon, lat, at, heading, speed, accuracy]) => ({ unitId, lon, lat, at, heading, speed, accuracy }));
        this.coverage.record(stored, (id) => this.replica.units.get(id)?.gridCode, (id) => this.patrol.verdictOf(id)?.verdict !== "suspect", stays);
      },
      requestTracks: (request, timeoutMs) => this.sync.requestTracks(request, timeoutMs).then((answer) => (answer !== "unknown" && answer.ok ? { ...answer, fixes: space.fixes(answer.fixes) } : answer)),
      log,
    });
    this.handlers = createHandlers(this);
  }

  get cache(): Cache {
    if (!this.cacheStore) throw new Error("the engine has not started");
    return this.cacheStore;
  }

  get isStarted(): boolean {
    return this.cacheStore !== null;
  }

  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  private emit<K extends BridgeEventName>(event: K, payload: BridgeEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (payload: BridgeEvents[K]) => void)(payload);
      } catch (error) {
        this.options.log?.("error", "a bridge listener threw", { event, error: String(error) });
      }
    }
  }

  start(): Promise<void> {
    // A failed open leaves no region worker behind (begun as the open began), whatever step failed.
    this.starting ??= this.open().catch(async (error: unknown) => {
      await this.region.close();
      throw error;
    });
    return this.starting;
  }

  private async open(): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    const keys = this.options.reporterKey === undefined ? undefined : givenKeySource(this.options.reporterKey, log);
    // The region layer is prepared on a thread of its own (region.ts) while the cache opens on this one: the map's first
    // frame waits on it, and begun after the open it came seconds after the first page asked (bench coldstart).
    // A failure is tried again (and logged) when the layer is asked for after the open.
    this.region.get().catch(() => undefined);
    const { cache, loaded, recovered } = await Cache.open(this.options.dataDir, log, keys);
    this.cacheStore = cache;
    this.cacheRecovered = recovered;
    this.replica.load(loaded);
    this.outbox.load(loaded.outbox);
    this.coverage.load(loaded.visits);
    this.patrol.load();
    this.prune();
    this.replica.takeDirty();
    this.queue.reset(this.incidentViews(this.replica.incidents.keys()), this.caseNow());
    this.attention.load(loaded.acknowledgements ?? [], this.caseNow());
    this.archived.add(cache.archivedSince(Date.now() - ARCHIVED_KEEP_DAYS * DAY_MS), Date.now());
    this.archived.takeChanges();
    this.lastAttentionSweep = this.caseNow();
    this.cache.queue(this.attention.takeOps());
    this.attention.takeChanges();
    this.handover.load(cache.latestHandover());
    this.kpiDays.load(cache.kpiDays());
    this.situation.load(this.replica.incidents.values(), this.replica.units.values(), this.archived.list(), this.kpiDays.forViews(this.sync.feedNow()));
    const fileSituation = () => {
      if (!this.stopping && !this.situation.loadStep(SITUATION_LOAD_SLICE_MS)) setImmediate(fileSituation);
    };
    setImmediate(fileSituation);
    // Outside tools read cache.sqlite while the console runs: it exists from the first tick on.
    this.compactSoon = cache.cacheBytes === 0;
    this.state = { state: "connecting", since: new Date().toISOString(), reason: { code: "connecting" } };
    this.timers.push(setInterval(() => this.tick(), this.timing.pushMs));
    this.sync.start();
    // The layer asked for as the open began (read back, or made and kept for the next start): with it the situation names areas and the grids are counted.
    setImmediate(() => {
      if (this.stopping) return;
      this.region
        .get()
        .then((result) => {
          if (!this.stopping) this.situation.setRegion(result);
          if (!this.stopping && this.gridCounts.layerKey === null) {
            // Counted in slices between the engine's other work (pages opening ask for their first answers meanwhile).
            // Without a layer (one that failed to load) there are no grids to count in, but the map still draws its markers.
            this.gridCounts.startLayer(result.ok ? result.layer.grids : [], this.latestViews([...this.replica.incidents.keys()]), this.caseNow());
            const count = () => {
              if (!this.stopping && !this.gridCounts.loadStep(GRID_COUNT_SLICE_MS, this.caseNow())) setImmediate(count);
            };
            count();
          }
        })
        .catch((error: unknown) => {
          if (!this.stopping) this.options.log?.("error", "could not prepare the region layer", { error: String(error) });
        });
    });
  }

  /** Closed and rejected cases past the retention leave the cache and the views; so do old patrol visits. */
  private prune(): void {
    const now = Date.now();
    this.lastPrune = now;
    const retentionDays = this.options.retentionDays ?? 30;
    const cutoff = now - retentionDays * DAY_MS;
    const pruned = this.cache.prune(cutoff);
    this.cache.pruneVisits(formatDate(cutoff));
    this.coverage.prune(retentionDays, now);
    this.archived.prune(now);
    this.cache.pruneKpiDays(this.kpiDays.prune(now));
    this.patrol.prune();
    for (const incident of [...this.replica.incidents.values()]) {
      if ((incident.status === "closed" || incident.status === "rejected") && Date.parse(incident.updatedAt) < cutoff) this.replica.forget(incident.id);
    }
    if (pruned > 0) this.options.log?.("info", "pruned closed cases past retention", { pruned, retentionDays });
  }

  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.outbox.stop();
    this.wall.stop();
    this.sync.stop();
    await this.region.close();
    if (!this.cacheStore) return;
    this.recordCoverage();
    await this.patrol.save(Date.now(), true);
    await this.cacheStore.close(this.replica.takeUnsavedFixes(), this.coverage.takeUnsaved());
  }

  private setState(state: ConnectionState, reason: StatusReason | undefined): void {
    if (state !== this.state.state) this.state = { state, since: new Date().toISOString(), reason };
    else this.state.reason = reason;
    this.handover.recordState(state, Date.parse(this.state.since));
    this.pushStatus();
  }

  status(): ConnectionStatus {
    const { meta } = this.replica;
    const status: ConnectionStatus = { state: this.state.state, since: this.state.since, dataAsOf: meta.dataAsOf, epoch: meta.epoch, lastSeq: meta.lastSeq };
    if (this.state.reason) {
      status.reason = this.state.reason;
      status.detail = describeStatusReason(this.state.reason);
    }
    if (this.cacheRecovered) status.cacheRecovered = this.cacheRecovered;
    const storage = this.cacheStore?.storageProblem;
    if (storage) status.storage = storage;
    const ahead = Math.round((this.caseNow() - Date.now()) / 1000) * 1000;
    if (ahead > 0) status.caseClockAheadMs = ahead;
    return status;
  }

  private pushStatus(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastPushedStatus) return;
    this.lastPushedStatus = key;
    this.emit("status", status);
  }

  incidentView(id: string): IncidentView | undefined {
    const incident = this.replica.incidents.get(id);
    return incident ? incidentView(incident, this.outbox.pendingFor(id)) : undefined;
  }

  /**
   * The current view of each case still held, as each is reached (a case changed meanwhile comes as it is then):
   * the queue index's (every tick gives it the same views as the grid counter, so it is never older than what the
   * counter was given), made only for a case the index does not hold yet; at city scale the counter would
   * otherwise make a second 100,000 views at start, 0.3 s, and hold them beside the queue's.
   */
  private *latestViews(ids: readonly string[]): Generator<IncidentView> {
    for (const id of ids) {
      const view = this.queue.caseView(id) ?? this.incidentView(id);
      if (view) yield view;
    }
  }

  /** Where past cases were (getPastAddresses): each address once, at its latest case's place and time (a district's cases repeat few thousand addresses). */
  pastAddresses(): PastAddress[] {
    const latest = new Map<string, PastAddress>();
    for (const incident of this.replica.incidents.values()) {
      if (!incident.address) continue;
      const at = Date.parse(incident.createdAt);
      const seen = latest.get(incident.address);
      if (!seen || at > seen.at) latest.set(incident.address, { address: incident.address, lon: incident.lon, lat: incident.lat, at });
    }
    return [...latest.values()];
  }

  /** Views of many cases (those still held; getCases too): the outbox is grouped by case once, not searched once per case (100,000 of them at city scale). */
  incidentViews(ids: Iterable<string>): IncidentView[] {
    const pending = new Map<string, StoredCommand[]>();
    for (const entry of this.outbox.list()) {
      if (entry.command.type === "report") continue;
      const list = pending.get(entry.command.incidentId);
      if (list) list.push(entry);
      else pending.set(entry.command.incidentId, [entry]);
    }
    const views: IncidentView[] = [];
    for (const id of ids) {
      const incident = this.replica.incidents.get(id);
      if (!incident) continue;
      const commands = pending.get(id);
      if (commands) {
        views.push(incidentView(incident, commands));
        continue;
      }
      let view = this.plainViews.get(incident);
      if (!view) this.plainViews.set(incident, (view = incidentView(incident, NO_COMMANDS)));
      views.push(view);
    }
    return views;
  }

  private unitView(id: string): UnitView | undefined {
    const unit = this.replica.units.get(id);
    if (!unit) return undefined;
    // Kept by record, like the cases' views: a unit's slot never changes for the life of the cache.
    let view = this.unitViews.get(unit);
    if (!view) this.unitViews.set(unit, (view = unitView(unit, this.replica.slotOf(id))));
    return view;
  }

  alerts(): Alert[] {
    return this.replica.alerts.filter((a) => !a.acknowledged).map((a) => a.alert);
  }

  initialState(): InitialState {
    // What is queued goes to the journal first; a full disk does not keep a page from opening.
    this.flushJournal(true);
    return {
      settings: this.viewSettings,
      status: this.status(),
      alerts: this.alerts(),
      outbox: this.outbox.list().map(outboxEntry),
      attentionTicker: this.attentionTicker(),
      ...this.gridCountsNow(),
      wall: this.wall.state(),
      ...this.situationForPage(),
    };
  }

  /** The staff and their last positions (getRoster). */
  roster(): Roster {
    const fixes = [...this.replica.fixes.values()].filter((f) => this.replica.units.has(f.unitId));
    return {
      units: [...this.replica.units.keys()].map((id) => this.unitView(id)).filter((v): v is UnitView => v !== undefined),
      positions: positionsBatch(fixes, (id) => this.replica.slotOf(id)),
    };
  }

  private gridCountsNow(): { gridCounts?: GridCounts } {
    this.gridCounts.sweep(this.caseNow());
    const counts = this.gridCounts.current();
    return counts ? { gridCounts: counts } : {};
  }

  /** Every marker of an open case (getIncidentMarkers), or null while the cases are still being counted. */
  incidentMarkers(): IncidentMarkers | null {
    this.gridCounts.sweep(this.caseNow());
    return this.gridCounts.currentMarkers();
  }

  /** Cases whose deadline passed counted again; the counts pushed when they changed, at most every GRID_COUNTS_PUSH_MS. */
  private pushGridCounts(): void {
    const now = this.caseNow();
    this.gridCounts.sweep(now);
    const counts = this.gridCounts.take(now);
    if (counts) this.emit("gridCounts", counts);
    const markers = this.gridCounts.takeMarkers(now);
    if (markers) this.emit("incidentMarkers", markers);
  }

  /** What the pages' tickers show of the attention list: its first items in order and the counts (one pass over the list, ~0.1 s at city scale: each page opening reads the one kept). */
  private attentionTicker(): AttentionTicker {
    this.tickerNow ??= attentionTicker(this.attention.values(), ATTENTION_TICKER_ITEMS);
    return this.tickerNow;
  }

  /** Acknowledges an attention item as this console's operator; kept on disk before it is answered. */
  acknowledgeAttention(key: string): boolean {
    this.tickerNow = null;
    return this.attention.acknowledge(
      key,
      this.options.settings.operator,
      // This console's clock: the audit's time, which bounds the handover's shift and an acknowledged alert's linger.
      Date.now(),
      (id) => this.replica.acknowledgeAlert(id),
      (ops) => this.cache.write(ops),
    );
  }

  /** Cases whose deadline the clock passed move in the queue; pages showing a view that moved are told which (they ask again for their window). */
  private updateQueue(): void {
    this.queue.advance(this.caseNow());
    const changed = this.queue.takeChanged();
    if (changed) this.emit("queueChanged", changed);
  }

  /** The cases a tick changed, and once a minute all of them (deadlines pass with no change to the case). */
  private updateAttention(dirty: ReturnType<Replica["takeDirty"]>): void {
    const now = this.caseNow();
    // The case clock can step back (a new feed epoch's data, a smaller offset): a sweep is then due too.
    if (now - this.lastAttentionSweep >= ATTENTION_SWEEP_MS || now < this.lastAttentionSweep) {
      this.lastAttentionSweep = now;
      this.attention.sweep(now);
    } else {
      this.attention.update([...dirty.incidents, ...dirty.removedIncidents], dirty.incidentsReset, dirty.alerts, now);
    }
    this.cache.queue(this.attention.takeOps());
    if (this.attention.takeChanges()) {
      this.tickerNow = null;
      const ticker = this.attentionTicker();
      // Most changes (a case far down the list moving) leave what a ticker shows as it was.
      const key = JSON.stringify(ticker);
      if (key !== this.lastAttentionTicker) {
        this.lastAttentionTicker = key;
        this.emit("attentionTicker", ticker);
      }
    }
  }

  diagnostics(): Diagnostics {
    return {
      epoch: this.replica.meta.epoch,
      lastSeq: this.replica.meta.lastSeq,
      headSeq: this.sync.headSeq,
      dropped: { ...this.sync.dropped },
      journalBytes: this.cache.journalBytes,
      cacheBytes: this.cache.cacheBytes,
      outbox: this.outbox.list().map(outboxEntry),
      incidents: this.replica.incidents.size,
      units: this.replica.units.size,
      startedAt: this.startedAt,
      ...(this.cache.storageProblem ? { storage: this.cache.storageProblem } : {}),
    };
  }

  /**
   * Journals what is queued; false if the disk refused. On a full disk the
   * feed's data stays in memory and on screen (the platform has it too and
   * resends it after a restart), waits in order for the journal, which is
   * tried again every JOURNAL_RETRY_MS, and the status says so; operator
   * actions are refused meanwhile, since they could not be kept.
   */
  private flushJournal(now = false): boolean {
    if (!now && this.journalRefusedAt !== null && Date.now() - this.journalRefusedAt < JOURNAL_RETRY_MS) return false;
    try {
      this.cache.flush();
    } catch (error) {
      if (this.journalRefusedAt === null) this.options.log?.("error", "cannot write the cache journal; keeping new data in memory until it can", { dataDir: this.options.dataDir, error: String(error) });
      this.journalRefusedAt = Date.now();
      return false;
    }
    this.journalRefusedAt = null;
    return true;
  }

  /** One batch: journal on disk first, then tell views (on a full disk, see `flushJournal`). */
  private tick(): void {
    const wasRefusing = this.cache.journalRefusing;
    const journaled = this.flushJournal();
    // A command whose next step could not be journaled waits for the outbox's retry (up to 30 s): not once the disk is back.
    if (wasRefusing && !this.cache.journalRefusing) this.outbox.kick();
    const dirty = this.replica.takeDirty();
    if (dirty.incidentsReset || dirty.incidents.size > 0 || dirty.removedIncidents.size > 0) {
      const ids = dirty.incidentsReset ? [...this.replica.incidents.keys()] : [...dirty.incidents];
      const upserts = this.incidentViews(ids);
      // A page holds only the cases it shows one by one: on a reset it is told that every case may have changed and asks again for its own.
      this.emit("incidents", dirty.incidentsReset ? { upserts: [], removed: [], reset: true } : { upserts, removed: [...dirty.removedIncidents], reset: false });
      this.gridCounts.apply(upserts, dirty.incidentsReset ? [] : [...dirty.removedIncidents], dirty.incidentsReset, this.caseNow());
      if (dirty.incidentsReset) this.queue.reset(upserts, this.caseNow());
      else this.queue.apply(upserts, [...dirty.removedIncidents]);
    }
    this.pushGridCounts();
    this.updateQueue();
    if (dirty.unitsReset || dirty.units.size > 0 || dirty.removedUnits.size > 0) {
      const ids = dirty.unitsReset ? [...this.replica.units.keys()] : [...dirty.units];
      const upserts = ids.map((id) => this.unitView(id)).filter((v): v is UnitView => v !== undefined);
      this.emit("units", { upserts, removed: dirty.unitsReset ? [] : [...dirty.removedUnits], reset: dirty.unitsReset });
    }
    if (dirty.alerts) this.emit("alerts", this.alerts());
    this.updateAttention(dirty);
    if (dirty.archived.length > 0) this.archived.add(dirty.archived, Date.now());
    // Archived cases and the recorded days are the situation's history (its KPIs), never sent to a page.
    const archived = this.archived.takeChanges();
    const days = this.checkKpiDays();
    this.situation.note(dirty, this.replica.incidents, this.replica.units, archived);
    if (days) this.situation.setKpiDays(days);
    const situation = this.situation.due(this.caseNow());
    if (situation) this.emit("situation", situation);
    if (this.outboxDirty) {
      this.outboxDirty = false;
      this.emit("outbox", this.outbox.list().map(outboxEntry));
    }
    // A unit that just joined the roster may have sent fixes before: show where it is.
    for (const id of dirty.units) if (this.replica.fixes.has(id)) dirty.fixes.add(id);
    this.pushPositions(dirty.fixes, dirty.unitsReset);
    this.pushStatus();
    const checks = this.patrol.maybeCheck(Date.now());
    if (checks) this.emit("patrolChecks", checks);
    void this.patrol.save(Date.now());
    // Both write the database, which waits for the journal: not while the journal refuses.
    if (!journaled) return;
    if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) this.prune();
    this.maybeCompact();
  }

  /**
   * While live, after a snapshot and every 30 s: the first snapshot sets where the history begins,
   * and each whole day since without a figure is counted once (kpi-days.ts). The days views read, when they changed.
   */
  private checkKpiDays(): ReturnType<KpiDayBook["forViews"]> | null {
    if (this.state.state !== "live" || (this.kpiSnapshot === null && Date.now() - this.lastKpiCheck < 30_000)) return null;
    this.lastKpiCheck = Date.now();
    // Days end on the platform's clock: its case times are on it (a simulated feed's may run ahead of ours).
    const now = this.sync.feedNow();
    const live = () => [...this.replica.incidents.values()].map(archivedCase);
    if (this.kpiSnapshot !== null) {
      this.cache.queue(this.kpiDays.noteSnapshot(this.kpiSnapshot.map(archivedCase), now));
      this.kpiSnapshot = null;
    }
    const pending = this.kpiDays.pending(now);
    if (pending.length === 0) return null;
    const { ops } = this.kpiDays.record(now, () => {
      const cases = new Map(this.cache.archivedSince(Date.parse(`${pending[0]}T00:00:00+08:00`)).map((incident) => [incident.id, archivedCase(incident)]));
      for (const record of live()) cases.set(record.id, record);
      return cases.values();
    }, indexCategories(this.options.settings.categories));
    this.cache.queue(ops);
    return this.kpiDays.forViews(now);
  }

  /** The situation for a page that opens, with the changes the next tick will push (that page already gets them in its cases). */
  private situationForPage(): { situation?: Situation } {
    this.situation.note(this.replica.dirty, this.replica.incidents, this.replica.units, null);
    const situation = this.situation.current(this.caseNow());
    return situation ? { situation } : {};
  }

  /**
   * The clock cases are judged on, by everything that judges them (queue, map counts, attention, the situation's
   * KPIs, and the pages' countdowns through `status.caseClockAheadMs`), so that no two places on the wall disagree
   * on what is overdue: ours, or the platform's or its newest data when ahead (case times are its times, and a
   * simulated feed's may run ahead of ours), never behind ours: a paused platform clock would leave a case closed
   * at its instant out of today (a stretch ends before its end instant).
   */
  caseNow(): number {
    const dataAsOf = this.replica.meta.dataAsOf === null ? Number.NaN : Date.parse(this.replica.meta.dataAsOf);
    return Math.max(Date.now(), this.sync.feedNow(), Number.isFinite(dataAsOf) ? dataAsOf : 0);
  }

  private pendingFixes = new Set<string>();

  /** `changed`: the tick's own set (from `takeDirty`), adopted when nothing is pending: thousands of ids a second. */
  private pushPositions(changed: Set<string>, everything: boolean): void {
    if (this.pendingFixes.size === 0) this.pendingFixes = changed;
    else for (const id of changed) this.pendingFixes.add(id);
    const now = Date.now();
    if (!everything && (this.pendingFixes.size === 0 || now - this.lastPositionsPush < this.timing.positionsMs)) return;
    this.lastPositionsPush = now;
    const ids = everything ? this.replica.fixes.keys() : this.pendingFixes.values();
    this.pendingFixes = new Set();
    const fixes = [];
    for (const id of ids) {
      const fix = this.replica.fixes.get(id);
      if (fix && this.replica.units.has(id)) fixes.push(fix);
    }
    this.recordCoverage();
    if (fixes.length > 0) this.emit("positions", positionsBatch(fixes, (id) => this.replica.slotOf(id)));
  }

  private recordCoverage(): void {
    // A visit needs a staff member on patrol whose track the checks do not doubt (a device left in a grid visits nothing).
    this.coverage.record(
      this.replica.takeRecentFixes(),
      (id) => this.replica.units.get(id)?.gridCode,
      (id) => {
        const status = this.replica.units.get(id)?.status;
        return (status === "on_patrol" || status === "busy") && this.patrol.verdictOf(id)?.verdict !== "suspect";
      },
    );
  }

  private maybeCompact(): void {
    const cache = this.cache;
    if (this.compacting) return;
    const now = Date.now();
    const unsaved = this.replica.fixesUnsaved;
    const positionsDue = unsaved.everything || (unsaved.any && now - this.lastPositionsSave >= this.timing.savePositionsMs);
    const due = now - this.lastCompaction >= this.timing.compactEveryMs && (cache.journalBytes > 0 || positionsDue);
    if (!this.compactSoon && !due && cache.journalBytes < this.timing.compactJournalBytes) return;
    this.compactSoon = false;
    this.lastCompaction = now;
    const positions = positionsDue ? this.replica.takeUnsavedFixes() : [];
    if (positionsDue) this.lastPositionsSave = now;
    this.recordCoverage();
    const visits = this.coverage.takeUnsaved();
    this.compacting = true;
    cache
      .compact(positions, visits)
      .catch((error: unknown) => {
        this.coverage.restoreUnsaved(visits);
        this.replica.restoreUnsavedFixes(positions);
        this.options.log?.("error", "cache compaction failed; the journal still holds every change", { error: String(error) });
      })
      .finally(() => {
        this.compacting = false;
      });
  }
}
