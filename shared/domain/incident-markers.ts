import type { IncidentMarkers, IncidentView } from "../bridge/contract.js";
import { INCIDENT_STATUSES, PRIORITIES } from "../protocol/schemas.js";
import type { IncidentStatus, Priority } from "../protocol/types.js";
import { deadlineState, type CategoryIndex } from "./deadlines.js";
import { gridOfCase, type GridCountCase } from "./grid-counts.js";
import { isOpen } from "./lifecycle.js";

/*
 * The map's incident markers: what the map draws of each open case (where,
 * how urgent, which stage, overdue, newly urgent), and nothing else. The
 * engine keeps them as columns by slot (electron/engine/grid-counts.ts) and a
 * page receives the columns, not the cases (shared/bridge/contract.ts
 * `IncidentMarkers`). `caseMarker` is the rule both follow, and the reference
 * the engine's columns are held to.
 */

/** Urgent, still reported and created within this long: drawn pulsing. */
export const NEW_URGENT_MS = 30 * 60_000;

/** What a marker reads of a case. */
export type MarkerCase = GridCountCase & Pick<IncidentView, "priority" | "createdAt">;

export type CaseMarker = {
  id: string;
  position: [number, number];
  priority: Priority;
  status: IncidentStatus;
  overdue: boolean;
  pulsing: boolean;
  /** The case's grid in the layer (its own code, else where its point lies), or -1. */
  gridIndex: number;
};

/** Whether a case has a marker at all: open, with a place. */
export const hasMarker = (incident: Pick<MarkerCase, "status" | "lon" | "lat">): boolean => isOpen(incident.status) && Number.isFinite(incident.lon) && Number.isFinite(incident.lat);

/** When a newly urgent case stops pulsing, or null if it does not pulse at all. */
export function pulseEnds(incident: Pick<MarkerCase, "priority" | "status" | "createdAt">): number | null {
  if (incident.priority !== "urgent" || incident.status !== "reported") return null;
  const created = Date.parse(incident.createdAt);
  return Number.isFinite(created) ? created + NEW_URGENT_MS : null;
}

export const isPulsing = (incident: Pick<MarkerCase, "priority" | "status" | "createdAt">, now: number): boolean => {
  const ends = pulseEnds(incident);
  return ends !== null && now < ends;
};

/** The marker of a case at `now`, or null when it has none (the reference for the engine's columns). */
export function caseMarker(incident: MarkerCase, categories: CategoryIndex, now: number, gridIndex: ReadonlyMap<string, number>, gridCount: number, locate?: (lon: number, lat: number) => number): CaseMarker | null {
  if (!hasMarker(incident)) return null;
  return {
    id: incident.id,
    position: [incident.lon, incident.lat],
    priority: incident.priority,
    status: incident.status,
    overdue: deadlineState(incident, categories, now).overdue,
    pulsing: isPulsing(incident, now),
    gridIndex: gridOfCase(incident, gridIndex, gridCount, locate),
  };
}

/*
 * A marker's kind in one number, for the `kind` column: priority (bits 0-3,
 * its place in PRIORITIES), status (bits 4-7, in INCIDENT_STATUSES), overdue
 * (bit 8), pulsing (bit 9). MARKER_NONE marks a slot with no case.
 */
export const MARKER_NONE = 0xffffffff;
const OVERDUE_BIT = 1 << 8;
const PULSING_BIT = 1 << 9;
const PRIORITY_INDEX = new Map<Priority, number>(PRIORITIES.map((p, i) => [p, i]));
const STATUS_INDEX = new Map<IncidentStatus, number>(INCIDENT_STATUSES.map((s, i) => [s, i]));

export function markerKind(priority: Priority, status: IncidentStatus, overdue: boolean, pulsing: boolean): number {
  return ((PRIORITY_INDEX.get(priority) ?? 0) | ((STATUS_INDEX.get(status) ?? 0) << 4) | (overdue ? OVERDUE_BIT : 0) | (pulsing ? PULSING_BIT : 0)) >>> 0;
}

type KindParts = Pick<CaseMarker, "priority" | "status" | "overdue" | "pulsing">;
/** Kinds read so far: a few hundred values at most (4 priorities × 7 statuses × 4 flags), read 100,000 times a table. */
const KINDS = new Map<number, KindParts | null>();

/** The parts of a kind, or null for an empty slot (or a kind this build cannot read). */
export function readKind(kind: number): KindParts | null {
  let parts = KINDS.get(kind);
  if (parts === undefined) {
    // Bounded whatever numbers come: only valid kinds repeat.
    if (KINDS.size >= 4096) KINDS.clear();
    KINDS.set(kind, (parts = parseKind(kind)));
  }
  return parts;
}

function parseKind(kind: number): KindParts | null {
  if (kind === MARKER_NONE) return null;
  const priority = PRIORITIES[kind & 0xf];
  const status = INCIDENT_STATUSES[(kind >>> 4) & 0xf];
  if (priority === undefined || status === undefined) return null;
  return { priority, status, overdue: (kind & OVERDUE_BIT) !== 0, pulsing: (kind & PULSING_BIT) !== 0 };
}

/**
 * The markers a page holds: the engine's columns by slot, with the changes it
 * was sent applied (`applyMarkers`). Replaced, never mutated, on change.
 */
export type MarkerTable = {
  /** The grid layer the `grid` column's indexes are for (shared/domain/grid-counts.ts `gridLayerKey`). */
  layer: string;
  /** Slots in use so far (the columns' length that means anything). */
  size: number;
  ids: readonly string[];
  /** lon, lat per slot. */
  position: Float64Array;
  kind: Uint32Array;
  /** Grid index + 1 per slot; 0: in no grid of the layer. */
  grid: Uint32Array;
};

export const EMPTY_MARKERS: MarkerTable = { layer: "", size: 0, ids: [], position: new Float64Array(0), kind: new Uint32Array(0), grid: new Uint32Array(0) };

/** The table after a push: a whole picture (`all`) replaces it; changes are written into copies of its columns. */
export function applyMarkers(table: MarkerTable, push: IncidentMarkers): MarkerTable {
  if (push.all || push.layer !== table.layer) {
    // A push of changes for another layer than the one held cannot be applied: only a whole picture can follow it.
    if (!push.all) return table;
    return { layer: push.layer, size: push.ids.length, ids: push.ids, position: push.position, kind: push.kind, grid: push.grid };
  }
  let size = table.size;
  for (const slot of push.slots) size = Math.max(size, slot + 1);
  const capacity = Math.max(size, table.kind.length);
  const grow = capacity > table.kind.length ? Math.max(capacity, table.kind.length * 2) : table.kind.length;
  // Copies, grown when a push names a slot past the end: the table is replaced, never changed, for React.
  const { position, kind, grid } = copyColumns(table, grow);
  const ids = table.ids.slice();
  push.slots.forEach((slot, i) => {
    ids[slot] = push.ids[i] ?? "";
    position[slot * 2] = push.position[i * 2] as number;
    position[slot * 2 + 1] = push.position[i * 2 + 1] as number;
    kind[slot] = push.kind[i] as number;
    grid[slot] = push.grid[i] as number;
  });
  return { layer: table.layer, size, ids, position, kind, grid };
}

/** The columns copied into new ones of `capacity` slots (the slots past the old ones empty). */
export function copyColumns(columns: { position: Float64Array; kind: Uint32Array; grid: Uint32Array }, capacity: number): { position: Float64Array; kind: Uint32Array; grid: Uint32Array } {
  const position = new Float64Array(capacity * 2);
  position.set(columns.position.subarray(0, capacity * 2));
  const kind = new Uint32Array(capacity).fill(MARKER_NONE);
  kind.set(columns.kind.subarray(0, capacity));
  const grid = new Uint32Array(capacity);
  grid.set(columns.grid.subarray(0, capacity));
  return { position, kind, grid };
}

/** The markers of a table as the map draws them, in slot order. `gridOf` places a marker whose layer is not the page's. */
export function tableMarkers(table: MarkerTable, sameLayer: boolean, gridOf: (lon: number, lat: number) => number): CaseMarker[] {
  const out: CaseMarker[] = [];
  for (let slot = 0; slot < table.size; slot++) {
    const parts = readKind(table.kind[slot] as number);
    if (!parts) continue;
    const lon = table.position[slot * 2] as number;
    const lat = table.position[slot * 2 + 1] as number;
    out.push({ id: table.ids[slot] ?? "", position: [lon, lat], ...parts, gridIndex: sameLayer ? (table.grid[slot] as number) - 1 : gridOf(lon, lat) });
  }
  return out;
}

/** The markers in one grid of the table's layer (its index there): open cases, and of them urgent and overdue ones. */
export function gridTally(table: MarkerTable, gridIndex: number): { open: number; urgent: number; overdue: number } {
  const tally = { open: 0, urgent: 0, overdue: 0 };
  const wanted = gridIndex + 1;
  for (let slot = 0; slot < table.size; slot++) {
    if (table.grid[slot] !== wanted) continue;
    const parts = readKind(table.kind[slot] as number);
    if (!parts) continue;
    tally.open++;
    if (parts.priority === "urgent") tally.urgent++;
    if (parts.overdue) tally.overdue++;
  }
  return tally;
}

/** Where a case's marker is, or null when it has none in the table (closed, unknown). */
export function markerPlace(table: MarkerTable, id: string): [number, number] | null {
  for (let slot = 0; slot < table.size; slot++) {
    if (table.ids[slot] !== id || table.kind[slot] === MARKER_NONE) continue;
    return [table.position[slot * 2] as number, table.position[slot * 2 + 1] as number];
  }
  return null;
}
