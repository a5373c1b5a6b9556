import type { RegionImportIssue } from "../geo/import.js";
import type { Situation } from "../domain/situation.js";
import type { AttentionTicker } from "./attention.js";
import type { HandoverRecord } from "./handover.js";
import type { QueueChanged, QueueWindow, QueueWindowRequest } from "./queue.js";
import type { WallPush, WallPushKind, WallState } from "./wall.js";
import type { DeploymentAddress } from "../geo/address-list.js";
import type { PastAddress } from "../geo/gazetteer.js";
import type { RegionLayer } from "../geo/region.js";
import type { Alert, CommandType, Incident, IncidentStatus, Operator, Priority, Unit } from "../protocol/types.js";

/*
 * The one contract between the engine and the views. The Electron preload, the
 * main-process handlers and the web host are all typed from it; a call added
 * here and not handled somewhere fails the build (see `BridgeHandlers`).
 */

export const CONNECTION_STATES = ["live", "connecting", "offline", "stalled", "unauthorized"] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * `unknown_outcome`: the engine's thread died while answering the call, so it
 * may or may not have taken effect (a command may already be in the outbox and
 * be sent by the restarted engine); the page must not offer it as "not done".
 */
export const BRIDGE_ERROR_CODES = ["invalid", "not_found", "forbidden", "unavailable", "internal", "unknown_outcome"] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];
export type BridgeError = { code: BridgeErrorCode; message: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export type ConnectionStatus = {
  state: ConnectionState;
  /** ISO time the state was entered. */
  since: string;
  /** ISO time of the newest applied data (a delta's `at`, a snapshot's hello serverTime), or null before any. */
  dataAsOf: string | null;
  epoch: string | null;
  lastSeq: number;
  /** Why the console is in this state, for the screen (each shell words it in its language). */
  reason?: StatusReason;
  /** The same in English, for logs and support (describeStatusReason in status.ts). */
  detail?: string;
  /** Set when the cache was found corrupt at start and moved aside. */
  cacheRecovered?: { movedTo: string; reason: string };
  /** Set while the data directory refuses writes: new data is kept in memory only, and operator actions cannot be saved. */
  storage?: StorageProblem;
  /**
   * How far the clock cases are judged on (the platform's, where it runs ahead of this console's) is ahead of this
   * console's, in whole seconds; absent when it is not. Pages count deadlines down on it, as the engine's queue,
   * map counts, attention list and KPIs do.
   */
  caseClockAheadMs?: number;
};

/** Why the engine dropped a feed message: the message and what was wrong with it. */
export type DropReason =
  | "command_result.invalid"
  | "event.unknown"
  | "hello.invalid"
  | "subscribe_ack.invalid"
  | "snapshot.invalid"
  | "snapshot.unsolicited"
  | "snapshot.incomplete"
  | "delta.invalid"
  | "delta.foreign_epoch"
  | "delta.repeat"
  | "delta.unknown_event"
  | "heartbeat.invalid"
  | "positions.invalid"
  | "positions.fix_invalid"
  | "tracks.invalid"
  | "tracks.fix_invalid"
  /** Deltas held while waiting for a gap to fill passed their byte cap: all dropped, a snapshot asked for. */
  | "delta.buffer_full"
  /** A snapshot's parts passed their byte cap: dropped, asked for again. */
  | "snapshot.too_large"
  /** A WebSocket frame past FEED_MAX_FRAME_BYTES: refused unread, the connection closed and made again. */
  | "frame.too_large";

/**
 * Why the connection is where it is: trying, waiting for the platform's
 * hello, refused (token or protocol; tried again at `retryAt`, ISO), not
 * reached or lost (`error` as the socket gave it; next try in `retryInS`
 * seconds), or silent for `seconds` (stalled).
 */
export type StatusReason =
  | { code: "connecting" }
  | { code: "awaiting_hello" }
  | { code: "token_refused"; retryAt: string }
  | { code: "protocol_refused"; retryAt: string }
  | { code: "unreachable"; error: string; retryInS: number }
  | { code: "connection_lost"; error: string; retryInS: number }
  | { code: "no_heartbeat"; seconds: number }
  /**
   * The engine's thread ended (an uncaught error, an exit): nothing is fetched or saved until the console is restarted.
   * `crashes` (with `windowS`): the supervisor gave up after that many crashes within that many seconds.
   */
  | { code: "engine_stopped"; error: string; crashes?: number; windowS?: number }
  /**
   * From the supervisor, `error` is a cause code, never the failure's text (which can quote input or file paths; the log has it):
   * `out_of_memory`, `exit <code>`, `uncaught_error`, `terminated`, `start_timeout`, `start_failed`. The same goes for `engine_stopped`
   * with `crashes`, and for Diagnostics' `restarts.lastCause`.
   */
  /** The engine's thread ended unexpectedly (`error`) and is started again, on the same cache, in `retryInS` seconds: restart `attempt` (1, 2, …) since it last ran steadily. */
  | { code: "engine_restarting"; error: string; attempt: number; retryInS: number };

/**
 * Writes to the data directory failing: `disk_full` (ENOSPC, or the quota) or
 * another `write_failed`; since when (ISO), and the error as the system gave it.
 */
export type StorageProblem = { problem: "disk_full" | "write_failed"; dataDir: string; since: string; message: string };

/**
 * What views get of a case: everything but the history, with personal data masked.
 * `pending` lists operator commands not yet answered by the platform.
 */
export type IncidentView = Omit<Incident, "history" | "reporter"> & {
  reporter?: { name?: string; phone?: string; unitId?: string; masked: boolean; unavailable?: true };
  pending?: { commandId: string; type: CommandType }[];
  /** When the case reached each stage, taken from its history by the engine (ISO times). */
  milestones?: Partial<Record<Milestone, string>>;
};
export type Milestone = "registered" | "dispatched" | "responded" | "closed" | "rejected" | "reworked";

/** Patrol coverage from the staff's tracks: visits per grid, by Beijing day (YYYY-MM-DD). */
export type CoverageSummary = { today: string; visitsByDay: Record<string, Record<string, number>> };

/*
 * Verified patrol (electron/engine/patrol/): each staff member's shifts judged
 * from their track, with the evidence for each finding in figures the page
 * words in its language. Times are epoch ms; places are in the grid layer's
 * WGS84, after any GCJ-02 conversion.
 */
export const PATROL_REASONS = ["stationary", "speed", "twin", "replay"] as const;
export type PatrolReason = (typeof PATROL_REASONS)[number];
/** `insufficient`: too little track to judge either way; never shown as ok or suspect. */
export type PatrolVerdict = "ok" | "suspect" | "insufficient";

/**
 * Why a shift is suspect. stationary: on patrol, yet every fix from `from` to
 * `to` lay within `radiusM` of one point; speed: from one fix to the next the
 * device covered `distanceM` in `seconds`, `speedMps` after allowing for both
 * fixes' reported accuracy; twin: the device moved with `otherUnitId`'s,
 * `meanGapM` apart on average over `sharedMinutes`; replay: the track repeats the
 * unit's own track of `sourceDay` (Beijing date) shifted by whole days,
 * `medianGapM` apart over `matchedMinutes`.
 */
export type PatrolEvidence =
  | { reason: "stationary"; from: number; to: number; lon: number; lat: number; radiusM: number }
  | { reason: "speed"; from: number; to: number; lon: number; lat: number; toLon: number; toLat: number; distanceM: number; seconds: number; speedMps: number }
  | { reason: "twin"; from: number; to: number; lon: number; lat: number; otherUnitId: string; meanGapM: number; sharedMinutes: number }
  | { reason: "replay"; from: number; to: number; lon: number; lat: number; sourceDay: string; medianGapM: number; matchedMinutes: number };

/** One shift: a run of on-patrol fixes with no gap over 20 minutes. */
export type PatrolShift = {
  from: number;
  to: number;
  verdict: PatrolVerdict;
  reasons: PatrolReason[];
  evidence: PatrolEvidence[];
  fixes: number;
  /** Metres walked, from the downsampled track. */
  distanceM: number;
};

/**
 * A staff member's standing: the verdict of their latest shift with enough
 * data to judge (else `insufficient`), that shift, and the count of suspect
 * shifts in the checked window (7 days).
 */
export type PatrolCheck = { unitId: string; verdict: PatrolVerdict; reasons: PatrolReason[]; shift: PatrolShift | null; shifts: number; suspectShifts: number };

/**
 * Where the tracks came from: the platform's `tracks` (backfilled) or only
 * what the console saw live; `coveredFrom`: the oldest time (epoch ms) the
 * track store holds without a gap up to now.
 */
export type PatrolChecks = { computedAt: string; source: "platform" | "live"; coveredFrom: number | null; checks: PatrolCheck[] };

/** One unit's track as [atEpochMs, lon, lat] triples (stride 3), oldest first. */
export type PatrolTrack = { unitId: string; from: number; to: number; data: Float64Array };

/**
 * 考核: one staff member's week (definitions in shared/domain/patrol.ts): hours
 * on patrol, own grids and how many met the weekly rule, cases they reported,
 * and their shifts by verdict.
 */
export type AssessmentRow = {
  unitId: string;
  patrolHours: number;
  ownGrids: number;
  ownGridsMet: number;
  casesReported: number;
  shifts: number;
  suspectShifts: number;
  insufficientShifts: number;
};
/** `week`: the Monday (Beijing date) the week starts on. */
export type Assessment = { week: string; computedAt: string; rows: AssessmentRow[] };

/** Units without positions: positions travel as `PositionsBatch`. `slot` indexes the typed arrays. */
export type UnitView = Omit<Unit, "lastFix" | "phone"> & { slot: number; phone?: string };

/**
 * Positions as one typed array, stride `POSITION_STRIDE`: [slot, lon, lat, atEpochMs, headingDeg (NaN if unknown), speedMps (NaN)].
 * A 10,000-unit update is one transfer, not 10,000 objects.
 */
export const POSITION_STRIDE = 6;
export type PositionsBatch = { data: Float64Array };

export type OutboxState = "queued" | "sending" | "conflict" | "rejected";
export type OutboxEntry = {
  commandId: string;
  type: CommandType;
  incidentId?: string;
  issuedAt: string;
  attempts: number;
  state: OutboxState;
  /** The platform's answer when it refused: code and message, and its current version of the case. */
  failure?: { code: string; message: string; incident?: IncidentView };
  summary: string;
};

export type Diagnostics = {
  epoch: string | null;
  lastSeq: number;
  headSeq: number;
  /** Feed messages dropped since start, by reason (DropReason). */
  dropped: Partial<Record<DropReason, number>>;
  journalBytes: number;
  cacheBytes: number;
  storage?: StorageProblem;
  outbox: OutboxEntry[];
  incidents: number;
  units: number;
  startedAt: string;
  /** Times the engine's thread was restarted after a crash (electron/engine/worker/supervisor.ts), the last one's time (ISO) and cause; absent when it never was. */
  restarts?: { count: number; lastAt: string; lastCause: string };
};

export type CommandDraft =
  | { type: Exclude<CommandType, "report">; incidentId: string; expectedVersion?: number; payload: Record<string, unknown> }
  | { type: "report"; payload: Record<string, unknown> };

export type Category = { code: string; major: string; minor: string; defaultPriority: Priority; respondHours: number; closeHours: number };
export type Department = { id: string; name: string; handles: string[] };

/**
 * Map options of a deployment. `feedCoordinates`: the platform's lon/lat space
 * (PROTOCOL.md: WGS84 unless configured otherwise), for the engine, which
 * converts GCJ-02 where it enters (electron/engine/feed-space.ts); views never
 * get it, since all they get is in the region layer's WGS84. `tiles`: an internal XYZ tile server
 * (`https://tiles.local/{z}/{x}/{y}.png`, Web Mercator, WGS84); absent = no
 * base map and no tile request at all.
 */
export type MapSettings = {
  feedCoordinates?: "wgs84" | "gcj02";
  /** Configured `mapHomeArea`: the street or community code the map opens on and returns to; absent, the whole district. */
  homeArea?: string;
  tiles?: { url: string; attribution?: string; maxZoom?: number };
  /** An offline base map from a local MBTiles file (configured `mapTilesFile`), served by the console's own origin; see `LocalTiles`. */
  localTiles?: LocalTiles;
};

export type LocalTilesFormat = "png" | "jpg" | "webp" | "pbf";
export type LocalTilesProblem = "unreadable" | "too-large" | "not-sqlite" | "no-tiles-table" | "no-metadata" | "bad-format" | "bad-zoom";

/**
 * A local MBTiles base map. Usable: its tiles are at `tiles/{z}/{x}/{y}` on
 * the page's own origin (the web host puts its per-launch secret before z:
 * `tiles/<secret>/{z}/{x}/{y}`), `?v=<version>` to outlive a replaced file;
 * pbf tiles arrive uncompressed. Unusable: why, for a notice on the map,
 * while the console runs on without a base map. `bounds`: west, south, east,
 * north in WGS84.
 */
export type LocalTiles =
  | { ok: true; format: LocalTilesFormat; minZoom: number; maxZoom: number; version: string; bounds?: [number, number, number, number]; attribution?: string; name?: string }
  | { ok: false; problem: LocalTilesProblem; file: string; detail?: string };

/** The operator wall's layout (configured `wallLayout`): by the window's shape (`auto`), or one named for a wall whose window reports another. */
export type WallLayoutSetting = "auto" | "16:9" | "21:9" | "32:9" | "48:9";

export type ConsoleSettings = {
  /** Optional: absent means WGS84 feed and no base map. */
  map?: MapSettings;
  subCenterName: string;
  districtCode: string;
  language: "zh-CN" | "en";
  operator: Operator;
  /** `wallPushMinutes`: how long a push to the wall stays up (configured; absent: WALL_PUSH_DEFAULT_MINUTES). */
  briefing: { intervalSeconds: number; wallPushMinutes?: number };
  /** Absent: `auto`. */
  wallLayout?: WallLayoutSetting;
  alertSound: boolean;
  /** The data comes from the embedded reference feed (`demo`): simulated, for demos and training; every view says so. */
  demo: boolean;
  categories: Category[];
  departments: Department[];
  /** The deployment's address list (config addressesCsv) for the phone-in search, in WGS84; absent when none is configured or it could not be read. */
  addresses?: DeploymentAddress[];
};

/** The first thing a view asks for: everything it needs to draw the wall. */
/** The roster as a page first gets it (getRoster); `units` and `positions` events keep it current. */
export type Roster = { units: UnitView[]; positions: PositionsBatch };

export type InitialState = {
  settings: ConsoleSettings;
  status: ConnectionStatus;
  alerts: Alert[];
  outbox: OutboxEntry[];
  /**
   * The attention list (urgent and overdue cases, the feed's alerts, acknowledged ones included) as the bottom
   * ticker shows it: its first items in order and the counts (shared/domain/attention-order.ts). The engine keeps
   * the whole list; a page gets this view, not tens of thousands of items.
   */
  attentionTicker: AttentionTicker;
  /** The map's case counts per grid, once the engine has the region layer (absent before, and from an engine without one). */
  gridCounts?: GridCounts;
  /** What an operator pushed to the wall now (推送上墙); absent from an engine that has no wall board. */
  wall?: WallState;
  /** The KPIs, trend, breakdowns, rankings and hot spots as the engine keeps them (shared/domain/situation.ts); absent from an engine that keeps none. */
  situation?: Situation;
};

/**
 * Cases per grid for the map's case metrics, counted by the engine as cases
 * change (electron/engine/grid-counts.ts; the reference is
 * shared/domain/grid-counts.ts): one Uint32Array per metric, indexed by the
 * grid's place in the region layer's `grids`. They travel as binary
 * attachments (shared/bridge/wire.ts). No personal data: a briefing page gets
 * them as they are.
 */
export type GridCounts = {
  /** The layer's grids these are for (`gridLayerKey`): a page draws them only on grids with the same key. */
  layer: string;
  /** When overdue was counted (epoch ms). */
  at: number;
  open: Uint32Array;
  overdue: Uint32Array;
};

/**
 * The map's incident markers as columns (electron/engine/grid-counts.ts keeps
 * them; the rule is shared/domain/incident-markers.ts `caseMarker`): a page
 * draws open cases from these, never holding the cases themselves. Each open
 * case with a place has a slot for as long as it stays open; a push carries
 * either every slot (`all`, `slots` empty) or only the slots that changed
 * (`slots[i]` is the slot of value i). No personal data: ids, places and
 * kinds only.
 */
export type IncidentMarkers = {
  /** The grid layer (`gridLayerKey`) the `grid` indexes are for. */
  layer: string;
  /** The case clock the overdue and pulsing flags were judged at (epoch ms). */
  at: number;
  all: boolean;
  slots: Uint32Array;
  /** The case id per value; "" for a slot that is now empty. */
  ids: string[];
  /** lon, lat per value (the grid layer's WGS84). */
  position: Float64Array;
  /** Priority, status, overdue and pulsing in one number per value (shared/domain/incident-markers.ts `markerKind`; MARKER_NONE: empty). */
  kind: Uint32Array;
  /** Grid index + 1 in `layer` per value; 0: in none of its grids. */
  grid: Uint32Array;
};

/**
 * The region layer as views get it: validated and prepared once by the engine
 * (shared/geo/import.ts), with the faults of the features it could not draw or
 * drew wrong (`errors`, empty for a sound layer), or the faults that kept it
 * from loading at all; each fault has a code for the views to translate.
 */
export type RegionLayerResult = { ok: true; layer: RegionLayer; warnings: RegionImportIssue[]; errors: RegionImportIssue[] } | { ok: false; errors: RegionImportIssue[] };

/**
 * Cases that changed or went. Pages hold only the cases they show one by one (getCases) and ignore the rest.
 * `reset`: every case may have changed (a new feed epoch, a resync); it comes with no upserts, and a page asks
 * again for the cases it holds.
 */
export type IncidentChanges = { upserts: IncidentView[]; removed: string[]; reset: boolean };
export type UnitChanges = { upserts: UnitView[]; removed: string[]; reset: boolean };

/** Calls a view makes. Each returns `Result<Response>`. */
export type BridgeCalls = {
  getInitialState: { request: Record<string, never>; response: InitialState };
  getIncident: { request: { id: string }; response: Incident & { reporter?: IncidentView["reporter"] } };
  /**
   * The cases a page shows one by one (the detail, a case pushed to the wall): their views as the engine keeps them,
   * those it holds (an id it does not hold is left out). A page holds no other case; the `incidents` event keeps these current.
   */
  getCases: { request: { ids: string[] }; response: IncidentView[] };
  /**
   * The staff and their last positions (the map's staff layer, the staff tooltips and cards): a page asks for it
   * right after its initial state, so the queue and the panels do not wait for tens of thousands of staff.
   */
  getRoster: { request: Record<string, never>; response: Roster };
  /** The map's markers of open cases, whole (`all`), or null while the engine is still counting its cases; changes follow as `incidentMarkers`. Asked for right after the initial state, as the roster is. */
  getIncidentMarkers: { request: Record<string, never>; response: IncidentMarkers | null };
  /** Where past cases were, for the phone-in report's address search: one entry per address, its latest case's place and time. */
  getPastAddresses: { request: Record<string, never>; response: PastAddress[] };
  revealReporter: { request: { incidentId: string; reason: string }; response: { name?: string; phone?: string } };
  sendCommand: { request: CommandDraft; response: { commandId: string } };
  dismissOutbox: { request: { commandId: string }; response: { dismissed: boolean } };
  retryOutbox: { request: { commandId: string; expectedVersion?: number }; response: { commandId: string } };
  acknowledgeAlert: { request: { id: string }; response: { acknowledged: boolean } };
  getDiagnostics: { request: Record<string, never>; response: Diagnostics };
  getRegionLayer: { request: Record<string, never>; response: RegionLayerResult };
  getCoverage: { request: { days?: number }; response: CoverageSummary };
  getPatrolChecks: { request: Record<string, never>; response: PatrolChecks };
  getPatrolTrack: { request: { unitId: string; from?: number; to?: number }; response: PatrolTrack };
  getAssessment: { request: { week?: string }; response: Assessment };
  /** Acknowledges an attention item (and the feed alerts folded into it) as this console's operator, for every page. */
  acknowledgeAttention: { request: { key: string }; response: { acknowledged: boolean } };
  /** 交接班: the record waiting for the next operator (null when none), and when the current shift began. */
  getHandover: { request: Record<string, never>; response: { pending: HandoverRecord | null; shiftFrom: string } };
  /** Writes the outgoing operator's note with the shift's record; kept in the cache before it is answered. */
  writeHandover: { request: { note: string; name?: string }; response: HandoverRecord };
  /** The next operator takes the shift over: records who (`name`, else this console's operator) and when. */
  acknowledgeHandover: { request: { id: string; name?: string }; response: { acknowledged: boolean } };
  /** The latest handover record, acknowledged or not (`id`: only that one, else not_found), for its printed copy. */
  getHandoverRecord: { request: { id?: string }; response: HandoverRecord };
  /** What the wall shows pushed now, if anything (shared/bridge/wall.ts). */
  getWall: { request: Record<string, never>; response: WallState };
  /** Puts a case, staff member or grid on the wall as `name` (else this console's operator), for `minutes` (else the configured time). */
  pushToWall: { request: { kind: WallPushKind; id: string; name?: string; minutes?: number }; response: WallPush };
  /** Takes the push back (`pushId`: only that one; absent: whatever is up); the wall returns to its rotation. */
  clearWall: { request: { pushId?: string }; response: { cleared: boolean } };
  /** The operator's queue from `offset` for `filter` (shared/bridge/queue.ts): the page asks for the rows it scrolls over; its session holds the filter's view. */
  queueWindow: { request: QueueWindowRequest; response: QueueWindow };
};
export type BridgeCallName = keyof BridgeCalls;
export const BRIDGE_CALLS = [
  "getInitialState",
  "getIncident",
  "getCases",
  "getRoster",
  "getIncidentMarkers",
  "getPastAddresses",
  "revealReporter",
  "sendCommand",
  "dismissOutbox",
  "retryOutbox",
  "acknowledgeAlert",
  "getDiagnostics",
  "getRegionLayer",
  "getCoverage",
  "getPatrolChecks",
  "getPatrolTrack",
  "getAssessment",
  "acknowledgeAttention",
  "getHandover",
  "writeHandover",
  "acknowledgeHandover",
  "getHandoverRecord",
  "getWall",
  "pushToWall",
  "clearWall",
  "queueWindow",
] as const satisfies readonly BridgeCallName[];

/** Events the engine pushes to every open view. */
export type BridgeEvents = {
  status: ConnectionStatus;
  incidents: IncidentChanges;
  units: UnitChanges;
  positions: PositionsBatch;
  alerts: Alert[];
  outbox: OutboxEntry[];
  /** Pushed when a check's verdict changes (at most every few seconds). */
  patrolChecks: PatrolChecks;
  /** The ticker's view of the attention list, when it changed (at most once a tick). */
  attentionTicker: AttentionTicker;
  /** Which queue views moved (ids and a version, no case data): a page showing one of them asks again for its window. */
  queueChanged: QueueChanged;
  /** A push to the wall made, taken back or run out (shared/bridge/wall.ts). */
  wall: WallState;
  /** The map's case counts per grid, when they changed (at most every 250 ms). */
  gridCounts: GridCounts;
  /** The map's incident markers that changed (or all of them), at most every 250 ms. */
  incidentMarkers: IncidentMarkers;
  /** The situation, at most once a second while cases change and on each whole minute (electron/engine/situation/). No personal data. */
  situation: Situation;
};
export type BridgeEventName = keyof BridgeEvents;
export const BRIDGE_EVENTS = ["status", "incidents", "units", "positions", "alerts", "outbox", "patrolChecks", "attentionTicker", "queueChanged", "wall", "gridCounts", "incidentMarkers", "situation"] as const satisfies readonly BridgeEventName[];

/**
 * The page a call came from, as its shell knows it: one per bridge connection
 * (the web host's WebSocket, Electron's webContents), made by the shell when
 * the connection opens and handed to the handler beside the request, never
 * taken from a call the page sends. It tells two pages or windows apart, not
 * two people: the console has one configured operator.
 */
export type CallerSession = {
  /** 128 random bits as 32 hex digits, made by the shell. */
  id: string;
  /** When the connection opened (Beijing ISO time). */
  startedAt: string;
  /** The capability the shell gave the page (electron/host/roles.ts). */
  role: "operator" | "briefing";
  /** What the page was opened as (`?view=`, which the page tells once, when its bridge opens), for the record only: the role, not the view, decides what it may do. */
  view: CallerView;
};
export type CallerView = "console" | "briefing" | "patrols";

/**
 * What a host (Electron main, web host) implements. Missing a call is a type
 * error. `caller` is set by the shell's dispatcher (electron/host/dispatch.ts);
 * a handler called directly (tests, the engine's own use) has none.
 */
export type BridgeHandlers = {
  [K in BridgeCallName]: (request: BridgeCalls[K]["request"], caller?: CallerSession) => Promise<Result<BridgeCalls[K]["response"]>>;
};

/** What a view holds: the calls and a way to listen to events. */
export type Bridge = {
  call<K extends BridgeCallName>(name: K, request: BridgeCalls[K]["request"]): Promise<Result<BridgeCalls[K]["response"]>>;
  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void;
};

/** Compile-time check that a list names every member of a union exactly. */
type Exhaustive<List extends readonly string[], Union extends string> = [Union] extends [List[number]]
  ? [List[number]] extends [Union]
    ? true
    : never
  : never;
export const callsAreExhaustive: Exhaustive<typeof BRIDGE_CALLS, BridgeCallName> = true;
export const eventsAreExhaustive: Exhaustive<typeof BRIDGE_EVENTS, BridgeEventName> = true;

export type { IncidentStatus };
export type { AttentionChanges, AttentionItem, AttentionTicker } from "./attention.js";
export type { HandoverRecord } from "./handover.js";
export type { WallPush, WallPushKind, WallState } from "./wall.js";
