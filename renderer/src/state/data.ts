import type { Alert } from "../../../shared/protocol/types.js";
import type { Situation } from "../../../shared/domain/situation.js";
import type {
  AttentionTicker,
  BridgeEvents,
  ConnectionStatus,
  ConsoleSettings,
  GridCounts,
  IncidentView,
  InitialState,
  OutboxEntry,
  PatrolChecks,
  UnitView,
} from "../../../shared/bridge/contract.js";
import { applyMarkers, EMPTY_MARKERS, type MarkerTable } from "../../../shared/domain/incident-markers.js";
import { PositionTable } from "./positions.js";
import { ChunkedMap } from "./chunked-map.js";
import type { WallPush } from "../../../shared/bridge/wall.js";
import type { QueueChanged } from "../../../shared/bridge/queue.js";

/**
 * Everything the engine has told the views, normalised by id. Maps are
 * replaced (not mutated) on change so React can compare by identity: they are
 * persistent `ChunkedMap`s (chunked-map.ts), so a one-case delta copies one
 * chunk, not the 100,000 entries of a city; positions are the exception: a
 * typed-array table updated in place, with a version.
 */
export type DataState = {
  ready: boolean;
  settings: ConsoleSettings | null;
  status: ConnectionStatus;
  /**
   * The cases this page holds: only those it shows one by one (the detail, a case pushed to the wall), asked for
   * by id (DataStore.hold) and kept current by the `incidents` event. The queue, the map and the panels show what
   * the engine works out of every case (queue windows, markers, counts, the situation), never the cases.
   */
  incidents: ReadonlyMap<string, IncidentView>;
  /** The ids the page holds (DataStore.hold); an event's other cases are none of its business. */
  held: ReadonlySet<string>;
  /** Held ids the engine said it does not have (gone, archived, never seen): the detail says so. */
  missing: ReadonlySet<string>;
  units: ReadonlyMap<string, UnitView>;
  /** unit id by slot, for picking on the map. */
  unitBySlot: readonly (string | undefined)[];
  positions: PositionTable;
  positionsVersion: number;
  alerts: readonly Alert[];
  outbox: readonly OutboxEntry[];
  /** The newest patrol checks pushed by the engine since start (views also ask for them when they open: see renderer/src/patrol). */
  patrolChecks: PatrolChecks | null;
  /** The engine's attention list by item key (urgent and overdue cases, alerts), acknowledged items included. */
  /** What the bottom ticker shows of the list, as the engine orders and counts it; null until the engine says. */
  attentionTicker: AttentionTicker | null;
  /** What an operator pushed to the wall, if anything (推送上墙, shared/bridge/wall.ts); pages also ask for it when they open. */
  wall: WallPush | null;
  /** The engine's queue views that moved (renderer/src/queue/useQueue.ts asks again for its window when its own did). */
  queueChanges: QueueChanges;
  /** The map's case counts per grid from the engine (open, overdue), null until it has the region layer. */
  gridCounts: GridCounts | null;
  /** The map's markers of open cases, as the engine keeps them (empty until it has the region layer). */
  markers: MarkerTable;
  /** The KPIs, rankings and hot spots as the engine keeps them (the page works none of it out); null until the first arrives. */
  situation: Situation | null;
};

export const initialDataState = (): DataState => ({
  ready: false,
  settings: null,
  status: { state: "connecting", since: new Date(0).toISOString(), dataAsOf: null, epoch: null, lastSeq: 0 },
  incidents: new Map(),
  held: new Set(),
  missing: new Set(),
  units: ChunkedMap.empty(),
  unitBySlot: [],
  positions: new PositionTable(),
  positionsVersion: 0,
  alerts: [],
  outbox: [],
  patrolChecks: null,
  attentionTicker: null,
  wall: null,
  queueChanges: { count: 0, views: new Map(), allAt: 0 },
  gridCounts: null,
  markers: EMPTY_MARKERS,
  situation: null,
});

/** The initial state taken in: everything but the roster and the markers, which follow (bridge/resync.ts `loadRosterAndMarkers`). */
export function applyInitial(state: DataState, initial: InitialState): DataState {
  return {
    ...state,
    ready: true,
    settings: initial.settings,
    status: initial.status,
    alerts: initial.alerts,
    outbox: initial.outbox,
    attentionTicker: initial.attentionTicker,
    gridCounts: initial.gridCounts ?? null,
    situation: initial.situation ?? null,
    wall: initial.wall?.push ?? null,
  };
}

/** Pure updaters, one per pushed event (kepler.gl style): `(state, payload) => state`. */
export const updaters: { [K in keyof BridgeEvents]: (state: DataState, payload: BridgeEvents[K]) => DataState } = {
  status: (state, status) => ({ ...state, status }),
  incidents: (state, changes) => applyHeld(state, changes),
  units: (state, changes) => {
    const units = applyChanges(state.units, changes, (unit) => unit.id);
    if (changes.reset) state.positions.clear();
    return { ...state, units, unitBySlot: changes.reset ? slotIndex(units) : moveSlots(state.unitBySlot, state.units, changes) };
  },
  positions: (state, batch) => {
    state.positions.apply(batch.data);
    return { ...state, positionsVersion: state.positions.version };
  },
  alerts: (state, alerts) => ({ ...state, alerts }),
  outbox: (state, outbox) => ({ ...state, outbox }),
  patrolChecks: (state, patrolChecks) => ({ ...state, patrolChecks }),
  wall: (state, wall) => ({ ...state, wall: wall.push }),
  queueChanged: (state, changed) => ({ ...state, queueChanges: noteQueueChange(state.queueChanges, changed) }),
  gridCounts: (state, gridCounts) => ({ ...state, gridCounts }),
  incidentMarkers: (state, push) => ({ ...state, markers: applyMarkers(state.markers, push) }),
  situation: (state, situation) => ({ ...state, situation }),
  attentionTicker: (state, attentionTicker) => ({ ...state, attentionTicker }),
};

/**
 * Changes to cases, as far as the held ones go: upserts of held cases replace them and removals take them away
 * (marked missing); the rest is ignored. A reset (every case may have changed) keeps the held copies until the
 * DataStore's fresh ones come (`casesFetched`).
 */
function applyHeld(state: DataState, changes: BridgeEvents["incidents"]): DataState {
  if (state.held.size === 0) return state;
  const upserts = changes.upserts.filter((incident) => state.held.has(incident.id));
  const removed = changes.removed.filter((id) => state.held.has(id));
  if (upserts.length === 0 && removed.length === 0) return state;
  const incidents = new Map(state.incidents);
  const missing = new Set(state.missing);
  for (const id of removed) {
    incidents.delete(id);
    missing.add(id);
  }
  for (const incident of upserts) {
    incidents.set(incident.id, incident);
    missing.delete(incident.id);
  }
  return { ...state, incidents, missing };
}

/** Ids now held (`held`, with their counts kept by the DataStore): cases no longer held are let go. */
export function setHeld(state: DataState, held: ReadonlySet<string>): DataState {
  const incidents = new Map([...state.incidents].filter(([id]) => held.has(id)));
  const missing = new Set([...state.missing].filter((id) => held.has(id)));
  return { ...state, held, incidents, missing };
}

/** The engine's answer to getCases for `asked`: the cases it has, and those it does not (missing), for the ids still held. */
export function casesFetched(state: DataState, asked: readonly string[], found: readonly IncidentView[]): DataState {
  const incidents = new Map(state.incidents);
  const missing = new Set(state.missing);
  const foundIds = new Set<string>();
  for (const incident of found) {
    foundIds.add(incident.id);
    if (!state.held.has(incident.id)) continue;
    incidents.set(incident.id, incident);
    missing.delete(incident.id);
  }
  for (const id of asked) {
    if (foundIds.has(id) || !state.held.has(id)) continue;
    incidents.delete(id);
    missing.add(id);
  }
  return { ...state, incidents, missing };
}

/** A change set applied to a new version of `map` (removed first, then upserts), in O(changed chunks), not O(n). */
export function applyChanges<V>(map: ReadonlyMap<string, V>, changes: { upserts: readonly V[]; removed: readonly string[]; reset?: boolean }, keyOf: (value: V) => string): ReadonlyMap<string, V> {
  const pairs = changes.upserts.map((value) => [keyOf(value), value] as const);
  if (changes.reset) return ChunkedMap.from(pairs);
  return (map instanceof ChunkedMap ? (map as ChunkedMap<string, V>) : ChunkedMap.from(map)).with(pairs, changes.removed);
}

/** `slotIndex` of the units after `changes`, from the one before them: a copy of the slot array, not a walk over every unit. */
function moveSlots(bySlot: readonly (string | undefined)[], before: ReadonlyMap<string, UnitView>, changes: { upserts: readonly UnitView[]; removed: readonly string[] }): (string | undefined)[] {
  const next = bySlot.slice();
  for (const id of changes.removed) {
    const slot = before.get(id)?.slot;
    if (slot !== undefined && next[slot] === id) next[slot] = undefined;
  }
  for (const unit of changes.upserts) {
    const slot = before.get(unit.id)?.slot;
    if (slot !== undefined && slot !== unit.slot && next[slot] === unit.id) next[slot] = undefined;
    next[unit.slot] = unit.id;
  }
  return next;
}

export function slotIndex(units: ReadonlyMap<string, UnitView>): (string | undefined)[] {
  const bySlot: (string | undefined)[] = [];
  for (const unit of units.values()) bySlot[unit.slot] = unit.id;
  return bySlot;
}

/**
 * Which queue views moved, on the page's own count of `queueChanged` pushes
 * (the engine's version starts again when it does): a view moved since a page
 * asked for it when its count here is past the count the page asked at. The
 * newest views only: a page asks for one at a time.
 */
export type QueueChanges = { count: number; views: ReadonlyMap<string, number>; allAt: number };

const QUEUE_VIEWS_KEPT = 32;

function noteQueueChange(changes: QueueChanges, changed: QueueChanged): QueueChanges {
  const count = changes.count + 1;
  const views = new Map(changes.views);
  for (const view of changed.views) {
    views.delete(view);
    views.set(view, count);
  }
  for (const view of views.keys()) {
    if (views.size <= QUEUE_VIEWS_KEPT) break;
    views.delete(view);
  }
  return { count, views, allAt: changed.all ? count : changes.allAt };
}

/** Whether the queue view `view`, asked for when the count was `askedAt`, has moved since. */
export function queueMovedSince(changes: QueueChanges, view: string | null, askedAt: number): boolean {
  if (changes.allAt > askedAt) return true;
  return view !== null && (changes.views.get(view) ?? 0) > askedAt;
}
