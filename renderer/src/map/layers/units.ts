import type { UnitView } from "../../../../shared/bridge/contract.js";
import type { UnitRole, UnitStatus } from "../../../../shared/protocol/types.js";

/*
 * Patrol staff as deck.gl binary attributes, indexed by position slot (the
 * picked index is the slot). Built straight from the PositionTable's typed
 * arrays into buffers this module owns and reuses: a position update writes
 * numbers into arrays and allocates nothing until the slot count outgrows them.
 */

/** No fix for this long and the unit is drawn greyed: its position is a guess. */
export const STALE_AFTER_MS = 2 * 60_000;

export const UNIT_ROLES = ["grid_manager", "grid_assistant", "grid_supervisor", "grid_police", "grid_judicial", "grid_firefighter", "party_secretary", "other"] as const satisfies readonly UnitRole[];
const STATUS_CODES = { absent: 0, on_patrol: 1, busy: 2, off_duty: 3, sos: 4 } as const satisfies Record<UnitStatus | "absent", number>;

export type PositionSource = {
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly at: Float64Array;
  readonly heading: Float32Array;
  readonly length: number;
};

/** The roster by slot, rebuilt when units change (rare), read on every position update (often). */
export type UnitRoster = { status: Uint8Array; role: Uint8Array; length: number };

export function buildUnitRoster(units: Iterable<UnitView>): UnitRoster {
  let length = 0;
  const list = [...units];
  for (const unit of list) if (unit.slot + 1 > length) length = unit.slot + 1;
  const status = new Uint8Array(length);
  const role = new Uint8Array(length);
  for (const unit of list) {
    if (!(unit.slot >= 0)) continue;
    status[unit.slot] = STATUS_CODES[unit.status];
    role[unit.slot] = Math.max(0, UNIT_ROLES.indexOf(unit.role));
  }
  return { status, role, length };
}

export const UNIT_COLORS = {
  onPatrol: [0, 158, 115, 255],
  busy: [240, 228, 66, 255],
  stale: [128, 136, 146, 150],
  sos: [213, 94, 0, 255],
  outline: [12, 18, 26, 230],
  busyOutline: [255, 255, 255, 255],
} as const satisfies Record<string, readonly [number, number, number, number]>;

export class UnitAttributes {
  /** Slots covered (the deck.gl `length`). */
  length = 0;
  /** Units drawn: with a fix and not off duty. */
  shown = 0;
  stale = 0;
  /** Slots in SOS with a position, whatever their age. */
  readonly sos: number[] = [];
  /** Bumps when `length` or the buffers change size: deck.gl data must be replaced then. */
  layout = 0;
  /** Bumps on every build: the update trigger for the attributes below. */
  version = 0;
  positions = new Float64Array(0);
  fillColors = new Uint8Array(0);
  lineColors = new Uint8Array(0);
  /** The same bytes as packed RGBA words: one store per colour on the hot path. */
  fillWords = new Uint32Array(0);
  lineWords = new Uint32Array(0);
  /** Pixels; 0 hides the unit. */
  radii = new Float32Array(0);
  /** deck.gl angle (degrees counter-clockwise) from the compass heading. */
  angles = new Float32Array(0);
  /** Pixels; 0 where the heading is unknown or the unit hidden. */
  headingSizes = new Float32Array(0);

  ensure(length: number): void {
    if (length !== this.length) this.layout++;
    this.length = length;
    if (length <= this.radii.length) return;
    const capacity = Math.max(1024, 2 ** Math.ceil(Math.log2(length)));
    this.positions = new Float64Array(capacity * 2);
    this.fillWords = new Uint32Array(capacity);
    this.lineWords = new Uint32Array(capacity);
    this.fillColors = new Uint8Array(this.fillWords.buffer);
    this.lineColors = new Uint8Array(this.lineWords.buffer);
    this.radii = new Float32Array(capacity);
    this.angles = new Float32Array(capacity);
    this.headingSizes = new Float32Array(capacity);
  }
}

export const UNIT_RADIUS_PX = 9;
export const HEADING_SIZE_PX = 34;

/** RGBA bytes as one word in memory order (WARNING: assumes a little-endian machine, as every x86 and ARM wall PC is). */
const pack = (c: readonly number[]): number => ((c[0] as number) | ((c[1] as number) << 8) | ((c[2] as number) << 16) | ((c[3] as number) << 24)) >>> 0;
const WORD = {
  onPatrol: pack(UNIT_COLORS.onPatrol),
  busy: pack(UNIT_COLORS.busy),
  stale: pack(UNIT_COLORS.stale),
  sos: pack(UNIT_COLORS.sos),
  outline: pack(UNIT_COLORS.outline),
  busyOutline: pack(UNIT_COLORS.busyOutline),
};

/**
 * Fills `out` from the position table and the roster at time `now`. The hot
 * path of every position update: one pass over the slots, no allocation.
 */
export function buildUnitAttributes(table: PositionSource, roster: UnitRoster, now: number, out: UnitAttributes): UnitAttributes {
  const length = Math.max(table.length, roster.length);
  out.ensure(length);
  const { positions, fillWords, lineWords, radii, angles, headingSizes } = out;
  const { lon, lat, at, heading } = table;
  const staleBefore = now - STALE_AFTER_MS;
  let shown = 0;
  let stale = 0;
  out.sos.length = 0;
  for (let slot = 0; slot < length; slot++) {
    const fixAt = slot < table.length ? (at[slot] as number) : 0;
    const status = slot < roster.length ? (roster.status[slot] as number) : STATUS_CODES.absent;
    const visible = fixAt > 0 && status !== STATUS_CODES.absent && status !== STATUS_CODES.off_duty;
    positions[slot * 2] = visible ? (lon[slot] as number) : 0;
    positions[slot * 2 + 1] = visible ? (lat[slot] as number) : 0;
    if (!visible) {
      radii[slot] = 0;
      headingSizes[slot] = 0;
      fillWords[slot] = 0;
      lineWords[slot] = 0;
      continue;
    }
    shown++;
    const isStale = fixAt < staleBefore;
    if (isStale) stale++;
    if (status === STATUS_CODES.sos) out.sos.push(slot);
    fillWords[slot] = isStale ? WORD.stale : status === STATUS_CODES.sos ? WORD.sos : status === STATUS_CODES.busy ? WORD.busy : WORD.onPatrol;
    lineWords[slot] = status === STATUS_CODES.busy && !isStale ? WORD.busyOutline : WORD.outline;
    radii[slot] = UNIT_RADIUS_PX;
    const compass = heading[slot] as number;
    const known = Number.isFinite(compass) && !isStale;
    angles[slot] = known ? -compass : 0;
    headingSizes[slot] = known ? HEADING_SIZE_PX : 0;
  }
  out.shown = shown;
  out.stale = stale;
  out.version++;
  return out;
}

/** Roles as the roster codes them, for the glyph accessor. */
export const roleAt = (roster: UnitRoster, slot: number): UnitRole => UNIT_ROLES[roster.role[slot] ?? 7] ?? "other";
