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

/** Per-slot picture state, so counts can follow incremental writes: drawn, greyed, in SOS. */
const SHOWN = 1;
const STALE = 2;
const SOS = 4;

export class UnitAttributes {
  /** Slots covered (the deck.gl `length`). */
  length = 0;
  /** Units drawn: with a fix and not off duty. */
  shown = 0;
  stale = 0;
  /** Slots in SOS with a position, whatever their age, ascending. */
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
  /** SHOWN | STALE | SOS per slot, as last written. */
  state = new Uint8Array(0);
  /** Slots in SOS with a position (the source of `sos`, which is re-sorted only when this set changes). */
  private readonly sosSlots = new Set<number>();
  private sosChanged = false;

  /** Sets the slot count; growing keeps what the slots below the old count hold (new slots are hidden). */
  ensure(length: number): void {
    if (length !== this.length) this.layout++;
    this.length = length;
    if (length <= this.radii.length) return;
    const capacity = Math.max(1024, 2 ** Math.ceil(Math.log2(length)));
    const grow = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.positions = grow(this.positions, new Float64Array(capacity * 2));
    this.fillWords = grow(this.fillWords, new Uint32Array(capacity));
    this.lineWords = grow(this.lineWords, new Uint32Array(capacity));
    this.fillColors = new Uint8Array(this.fillWords.buffer);
    this.lineColors = new Uint8Array(this.lineWords.buffer);
    this.radii = grow(this.radii, new Float32Array(capacity));
    this.angles = grow(this.angles, new Float32Array(capacity));
    this.headingSizes = grow(this.headingSizes, new Float32Array(capacity));
    this.state = grow(this.state, new Uint8Array(capacity));
  }

  /** Forgets every slot's state (before a full build writes them all). */
  resetCounts(): void {
    this.shown = 0;
    this.stale = 0;
    this.state.fill(0);
    if (this.sosSlots.size > 0) this.sosChanged = true;
    this.sosSlots.clear();
  }

  /** Records slot `slot`'s new state and keeps the counts. */
  setState(slot: number, next: number): void {
    const previous = this.state[slot] as number;
    if (previous === next) return;
    this.state[slot] = next;
    this.shown += (next & SHOWN) - (previous & SHOWN);
    this.stale += ((next & STALE) - (previous & STALE)) / STALE;
    if ((next & SOS) !== (previous & SOS)) {
      if (next & SOS) this.sosSlots.add(slot);
      else this.sosSlots.delete(slot);
      this.sosChanged = true;
    }
  }

  /** Refreshes the `sos` list when its set changed (rare: it sorts). */
  settleSos(): void {
    if (!this.sosChanged) return;
    this.sosChanged = false;
    this.sos.length = 0;
    for (const slot of this.sosSlots) this.sos.push(slot);
    this.sos.sort((a, b) => a - b);
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
 * Writes one slot of `out` from the position table and the roster, greyed
 * when its fix is older than `staleBefore`; returns its state (SHOWN, STALE,
 * SOS bits). The one place a slot's look is decided, for full and
 * incremental builds alike.
 */
function writeSlot(table: PositionSource, roster: UnitRoster, slot: number, staleBefore: number, out: UnitAttributes): number {
  const fixAt = slot < table.length ? (table.at[slot] as number) : 0;
  const status = slot < roster.length ? (roster.status[slot] as number) : STATUS_CODES.absent;
  const visible = fixAt > 0 && status !== STATUS_CODES.absent && status !== STATUS_CODES.off_duty;
  if (!visible) {
    out.positions[slot * 2] = 0;
    out.positions[slot * 2 + 1] = 0;
    out.radii[slot] = 0;
    out.angles[slot] = 0;
    out.headingSizes[slot] = 0;
    out.fillWords[slot] = 0;
    out.lineWords[slot] = 0;
    return 0;
  }
  out.positions[slot * 2] = table.lon[slot] as number;
  out.positions[slot * 2 + 1] = table.lat[slot] as number;
  const isStale = fixAt < staleBefore;
  out.fillWords[slot] = isStale ? WORD.stale : status === STATUS_CODES.sos ? WORD.sos : status === STATUS_CODES.busy ? WORD.busy : WORD.onPatrol;
  out.lineWords[slot] = status === STATUS_CODES.busy && !isStale ? WORD.busyOutline : WORD.outline;
  out.radii[slot] = UNIT_RADIUS_PX;
  const compass = table.heading[slot] as number;
  const known = Number.isFinite(compass) && !isStale;
  out.angles[slot] = known ? -compass : 0;
  out.headingSizes[slot] = known ? HEADING_SIZE_PX : 0;
  return SHOWN | (isStale ? STALE : 0) | (status === STATUS_CODES.sos ? SOS : 0);
}

/**
 * Fills `out` from the position table and the roster at time `now`: one
 * pass over every slot, no allocation. The reference the incremental path
 * (`UnitPicture`) must always equal; run when the picture starts over.
 */
export function buildUnitAttributes(table: PositionSource, roster: UnitRoster, now: number, out: UnitAttributes): UnitAttributes {
  const length = Math.max(table.length, roster.length);
  out.ensure(length);
  out.resetCounts();
  const staleBefore = now - STALE_AFTER_MS;
  for (let slot = 0; slot < length; slot++) out.setState(slot, writeSlot(table, roster, slot, staleBefore, out));
  out.settleSos();
  out.version++;
  return out;
}

/** Width of the buckets staff wait in to turn stale. */
const STALE_BUCKET_MS = 1000;

/**
 * Staff drawn fresh, bucketed by the second their fix turns `STALE_AFTER_MS`
 * old: greying them takes a look at the buckets that came due, not at the
 * roster. A slot gets an entry per fresh write; an entry whose slot has had a
 * newer fix since is dropped when its bucket comes due.
 */
export class StaleSchedule {
  private readonly buckets = new Map<number, number[]>();
  /** No bucket below this key holds entries. */
  private low = Infinity;

  clear(): void {
    this.buckets.clear();
    this.low = Infinity;
  }

  /** Entries held (for tests and the bench's figures). */
  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }

  add(slot: number, fixAt: number): void {
    const key = Math.floor((fixAt + STALE_AFTER_MS) / STALE_BUCKET_MS);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = []));
    bucket.push(slot);
    if (key < this.low) this.low = key;
  }

  /**
   * Passes `due` every slot whose entry's fix may be older than `staleBefore`
   * by now (each bucket wholly due, and the entries of the bucket that is due
   * in part whose fix is), removing those entries. `fixAt` reads a slot's
   * current fix time, to drop entries a newer fix has made obsolete.
   */
  takeDue(staleBefore: number, fixAt: (slot: number) => number, due: (slot: number) => void): void {
    const edge = Math.floor((staleBefore + STALE_AFTER_MS) / STALE_BUCKET_MS);
    if (this.low > edge) return;
    // Keys are walked in order; after a long silence (more buckets to walk than exist), the existing keys instead.
    const keys = edge - this.low > this.buckets.size ? [...this.buckets.keys()].filter((k) => k <= edge).sort((a, b) => a - b) : null;
    const visit = (key: number) => {
      const bucket = this.buckets.get(key);
      if (!bucket) return;
      let kept = 0;
      for (const slot of bucket) {
        const at = fixAt(slot);
        // A newer fix has an entry of its own in a later bucket.
        if (Math.floor((at + STALE_AFTER_MS) / STALE_BUCKET_MS) !== key) continue;
        if (key === edge && !(at < staleBefore)) bucket[kept++] = slot;
        else due(slot);
      }
      if (kept > 0) bucket.length = kept;
      else this.buckets.delete(key);
    };
    if (keys) for (const key of keys) visit(key);
    else for (let key = this.low; key <= edge; key++) visit(key);
    this.low = this.buckets.has(edge) ? edge : edge + 1;
  }
}

/**
 * The unit attributes kept up to date a few slots at a time: `rebuild` writes
 * every slot; `write` the slots whose fix or status changed; `advance` greys
 * the staff whose fix turned two minutes old since, from `StaleSchedule`.
 * Between them, the attributes always equal `buildUnitAttributes` at the
 * same time over the same table and roster.
 */
export class UnitPicture {
  readonly schedule = new StaleSchedule();
  private table: PositionSource | null = null;
  private roster: UnitRoster = { status: new Uint8Array(0), role: new Uint8Array(0), length: 0 };
  /** The time the picture is drawn at; it only moves forward between rebuilds. */
  now = -Infinity;

  constructor(readonly out: UnitAttributes = new UnitAttributes()) {}

  rebuild(table: PositionSource, roster: UnitRoster, now: number): void {
    this.table = table;
    this.roster = roster;
    this.now = now;
    buildUnitAttributes(table, roster, now, this.out);
    this.schedule.clear();
    const { state } = this.out;
    for (let slot = 0; slot < this.out.length; slot++) if (((state[slot] as number) & (SHOWN | STALE)) === SHOWN) this.schedule.add(slot, table.at[slot] as number);
  }

  /**
   * Takes a new table state and roster (same table object, the slot count
   * not shrinking, `now` not going back: otherwise `rebuild`) and rewrites
   * `slots`, the slots whose fix or status changed (repeats allowed).
   */
  write(table: PositionSource, roster: UnitRoster, slots: ArrayLike<number>, count: number): void {
    this.table = table;
    this.roster = roster;
    this.out.ensure(Math.max(table.length, roster.length));
    const staleBefore = this.now - STALE_AFTER_MS;
    for (let i = 0; i < count; i++) this.writeOne(slots[i] as number, staleBefore);
  }

  /**
   * Moves the picture's time to `now`, greying the staff due; then closes the
   * build (counts, SOS list, version). Returns how many slots it rewrote.
   */
  advance(now: number): number {
    const table = this.table;
    let rewritten = 0;
    if (table && now > this.now) {
      this.now = now;
      const staleBefore = now - STALE_AFTER_MS;
      this.schedule.takeDue(staleBefore, (slot) => (slot < table.length ? (table.at[slot] as number) : 0), (slot) => {
        if (slot >= this.out.length) return;
        this.writeOne(slot, staleBefore);
        rewritten++;
      });
    }
    this.out.settleSos();
    this.out.version++;
    return rewritten;
  }

  /** Whether `rebuild` is needed before `write` can take this table, roster and time. */
  needsRebuild(table: PositionSource, roster: UnitRoster, now: number): boolean {
    return table !== this.table || now < this.now || Math.max(table.length, roster.length) < this.out.length;
  }

  private writeOne(slot: number, staleBefore: number): void {
    const table = this.table as PositionSource;
    const state = writeSlot(table, this.roster, slot, staleBefore, this.out);
    this.out.setState(slot, state);
    if ((state & (SHOWN | STALE)) === SHOWN) this.schedule.add(slot, table.at[slot] as number);
  }
}

/** Roles as the roster codes them, for the glyph accessor. */
export const roleAt = (roster: UnitRoster, slot: number): UnitRole => UNIT_ROLES[roster.role[slot] ?? 7] ?? "other";
