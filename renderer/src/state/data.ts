import type { Alert } from "../../../shared/protocol/types.js";
import type { KpiDay } from "../../../shared/domain/kpi-days.js";
import type { Situation } from "../../../shared/domain/situation.js";
import type {
  ArchivedCase,
  AttentionItem,
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
import { PositionTable } from "./positions.js";
import type { WallPush } from "../../../shared/bridge/wall.js";
import type { QueueChanged } from "../../../shared/bridge/queue.js";

/**
 * Everything the engine has told the views, normalised by id. Maps are
 * replaced (not mutated) on change so React can compare by identity; positions
 * are the exception: a typed-array table updated in place, with a version.
 */
export type DataState = {
  ready: boolean;
  settings: ConsoleSettings | null;
  status: ConnectionStatus;
  incidents: ReadonlyMap<string, IncidentView>;
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
  attention: ReadonlyMap<string, AttentionItem>;
  /** Cases the platform archived lately: history for the KPIs only, never shown as cases. */
  archived: ReadonlyMap<string, ArchivedCase>;
  /** What an operator pushed to the wall, if anything (推送上墙, shared/bridge/wall.ts); pages also ask for it when they open. */
  wall: WallPush | null;
  /** Daily KPI aggregates the engine recorded: the last days and the same date last year (同比). */
  kpiDays: readonly KpiDay[];
  /** The map's case counts per grid from the engine (open, overdue), null until it has the region layer. */
  gridCounts: GridCounts | null;
  /** The engine's queue views that moved (renderer/src/queue/useQueue.ts asks again for its window when its own did). */
  queueChanges: QueueChanges;
  /** The KPIs, rankings and hot spots as the engine keeps them (the page works none of it out); null until the first arrives. */
  situation: Situation | null;
};

export const initialDataState = (): DataState => ({
  ready: false,
  settings: null,
  status: { state: "connecting", since: new Date(0).toISOString(), dataAsOf: null, epoch: null, lastSeq: 0 },
  incidents: new Map(),
  units: new Map(),
  unitBySlot: [],
  positions: new PositionTable(),
  positionsVersion: 0,
  alerts: [],
  outbox: [],
  patrolChecks: null,
  attention: new Map(),
  archived: new Map(),
  wall: null,
  kpiDays: [],
  gridCounts: null,
  queueChanges: { count: 0, views: new Map(), allAt: 0 },
  situation: null,
});

export function applyInitial(state: DataState, initial: InitialState): DataState {
  const positions = state.positions;
  positions.clear();
  positions.apply(initial.positions.data);
  const units = new Map(initial.units.map((u) => [u.id, u]));
  return {
    ...state,
    ready: true,
    settings: initial.settings,
    status: initial.status,
    incidents: new Map(initial.incidents.map((i) => [i.id, i])),
    units,
    unitBySlot: slotIndex(units),
    positions,
    positionsVersion: positions.version,
    alerts: initial.alerts,
    outbox: initial.outbox,
    attention: new Map(initial.attention.map((item) => [item.key, item])),
    archived: new Map(initial.archived.map((record) => [record.id, record])),
    kpiDays: initial.kpiDays ?? [],
    gridCounts: initial.gridCounts ?? null,
    situation: initial.situation ?? null,
    wall: initial.wall?.push ?? null,
  };
}

/** Pure updaters, one per pushed event (kepler.gl style): `(state, payload) => state`. */
export const updaters: { [K in keyof BridgeEvents]: (state: DataState, payload: BridgeEvents[K]) => DataState } = {
  status: (state, status) => ({ ...state, status }),
  incidents: (state, changes) => {
    const incidents = changes.reset ? new Map<string, IncidentView>() : new Map(state.incidents);
    for (const id of changes.removed) incidents.delete(id);
    for (const incident of changes.upserts) incidents.set(incident.id, incident);
    return { ...state, incidents };
  },
  units: (state, changes) => {
    const units = changes.reset ? new Map<string, UnitView>() : new Map(state.units);
    for (const id of changes.removed) units.delete(id);
    for (const unit of changes.upserts) units.set(unit.id, unit);
    if (changes.reset) state.positions.clear();
    return { ...state, units, unitBySlot: slotIndex(units) };
  },
  positions: (state, batch) => {
    state.positions.apply(batch.data);
    return { ...state, positionsVersion: state.positions.version };
  },
  alerts: (state, alerts) => ({ ...state, alerts }),
  outbox: (state, outbox) => ({ ...state, outbox }),
  patrolChecks: (state, patrolChecks) => ({ ...state, patrolChecks }),
  wall: (state, wall) => ({ ...state, wall: wall.push }),
  gridCounts: (state, gridCounts) => ({ ...state, gridCounts }),
  situation: (state, situation) => ({ ...state, situation }),
  queueChanged: (state, changed) => ({ ...state, queueChanges: noteQueueChange(state.queueChanges, changed) }),
  attention: (state, changes) => {
    const attention = changes.reset ? new Map<string, AttentionItem>() : new Map(state.attention);
    for (const key of changes.removed) attention.delete(key);
    for (const item of changes.upserts) attention.set(item.key, item);
    return { ...state, attention };
  },
  archived: (state, changes) => {
    const archived = changes.reset ? new Map<string, ArchivedCase>() : new Map(state.archived);
    for (const id of changes.removed) archived.delete(id);
    for (const record of changes.upserts) archived.set(record.id, record);
    return { ...state, archived, ...(changes.days ? { kpiDays: changes.days } : {}) };
  },
};

function slotIndex(units: ReadonlyMap<string, UnitView>): (string | undefined)[] {
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
