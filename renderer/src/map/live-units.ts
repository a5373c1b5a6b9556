import type { UnitView } from "../../../shared/bridge/contract.js";
import { buildTrailAttributes, TRAIL_WINDOW_MS, TrailAttributes, TrailStore } from "./layers/trails.js";
import type { TrailBinaryData } from "./layers/unit-layers.js";
import { trailDeckData, UnitDeckData } from "./layers/unit-layers.js";
import type { PositionSource, UnitRoster } from "./layers/units.js";
import { buildUnitRoster, UnitPicture } from "./layers/units.js";

/*
 * The map's copy of the live staff picture in deck.gl form, outside React:
 * the store's subscription calls `update` (paced, see hooks.ts), and React
 * only learns a new version number. An update costs in proportion to the
 * fixes and status changes since the last one, not to the roster: the
 * position table's journal names the slots written, and only those are
 * rewritten (`UnitPicture`); the whole picture is rebuilt only when it starts
 * over (first update, a new or cleared table, the feed's coordinates
 * switched, the clock going back, or the journal outrun).
 */

/** Trails are re-copied at most this often; positions and colours on every update. */
export const TRAIL_REBUILD_MS = 2000;

/** What React reads of one update: a fresh object each time, so hooks can depend on it. */
export type LiveSnapshot = {
  version: number;
  shown: number;
  stale: number;
  /** Slots drawn (radius > 0) and their positions, indexed by slot. */
  length: number;
  positions: Float64Array;
  radii: Float32Array;
  /** Heading arrow sizes and fill colours (RGBA bytes) by slot, for the merge of glyphs (layers/unit-clusters.ts). */
  headingSizes: Float32Array;
  fillColors: Uint8Array;
  sos: { slot: number; position: [number, number] }[];
  deck: UnitDeckData;
  roster: UnitRoster;
  rosterVersion: number;
  trails: TrailBinaryData | null;
};

/** A position source that can say which slots were written since a cursor (the renderer's `PositionTable`). */
export type JournaledPositions = PositionSource & {
  readonly journalEnd: number;
  changedSince(since: number, visit: (slot: number) => void): boolean;
};

export type LiveUnitsInput = { units: ReadonlyMap<string, UnitView>; positions: JournaledPositions; positionsVersion: number };

export class LiveUnits {
  readonly picture = new UnitPicture();
  readonly attributes = this.picture.out;
  readonly deck = new UnitDeckData();
  readonly trailStore = new TrailStore();
  private readonly trailAttributes = new TrailAttributes();
  trails: TrailBinaryData | null = null;
  roster: UnitRoster = buildUnitRoster([]);
  rosterVersion = 0;
  version = 0;
  /** Main-thread cost of the last update in ms (unit attributes, trail ingest and, when due, the trail copy). */
  lastUpdateMs = 0;
  private units: ReadonlyMap<string, UnitView> | null = null;
  private positionsVersion = -1;
  /** The table read last and its journal cursor then; a different table starts the picture over. */
  private table: JournaledPositions | null = null;
  private journalAt = 0;
  /** Slots to rewrite in this update (fixes and status changes), repeats allowed. */
  private changed = new Int32Array(4096);
  private changedCount = 0;
  private readonly collect = (slot: number): void => {
    if (this.changedCount === this.changed.length) {
      const next = new Int32Array(this.changed.length * 2);
      next.set(this.changed);
      this.changed = next;
    }
    this.changed[this.changedCount++] = slot;
  };
  private trailsBuiltAt = -Infinity;
  private trailsVersion = -1;
  /** Off until the map says what it shows (`setTrailScope`). */
  private trailsEnabled = false;
  private trailBounds: readonly [number, number, number, number] | null = null;

  /**
   * Trails are copied only while they are drawn, and only for staff inside
   * `bounds` (the visible map, with a margin): at city scale that turns a
   * copy of every unit's half hour into a copy of the few hundred on screen.
   */
  setTrailScope(enabled: boolean, bounds: readonly [number, number, number, number] | null): void {
    const moved = (bounds === null) !== (this.trailBounds === null) || (bounds !== null && bounds.some((v, i) => v !== this.trailBounds?.[i]));
    if (enabled !== this.trailsEnabled || moved) this.viewKnown = false;
    if (enabled && !this.trailsEnabled) this.trailsVersion = -1;
    if (bounds && moved) this.trailsVersion = -1;
    this.trailsEnabled = enabled;
    this.trailBounds = bounds;
  }

  /**
   * Staff drawn inside the trail bounds, kept from the slots each update
   * writes, so the trail copy looks at those instead of every slot; found
   * again from all slots (`viewKnown` false) after the view or the picture
   * starts over.
   */
  private readonly inView = new Set<number>();
  private viewKnown = false;

  private inTrailScope(slot: number): boolean {
    const { radii, positions, length } = this.attributes;
    if (slot >= length || !((radii[slot] as number) > 0)) return false;
    const bounds = this.trailBounds;
    if (!bounds) return true;
    const lon = positions[slot * 2] as number;
    const lat = positions[slot * 2 + 1] as number;
    return lon >= bounds[0] && lon <= bounds[2] && lat >= bounds[1] && lat <= bounds[3];
  }

  private followView(rebuilt: boolean): void {
    if (!this.trailsEnabled || rebuilt) this.viewKnown = false;
    if (!this.viewKnown) return;
    for (let i = 0; i < this.changedCount; i++) {
      const slot = this.changed[i] as number;
      if (this.inTrailScope(slot)) this.inView.add(slot);
      else this.inView.delete(slot);
    }
  }

  /**
   * Takes the store's latest units and positions at time `now`; `force` looks
   * even when neither moved (staff may have turned stale since). Returns
   * whether anything the map draws changed.
   */
  update(input: LiveUnitsInput, now: number, force = false): boolean {
    const rosterChanged = input.units !== this.units;
    const moved = input.positionsVersion !== this.positionsVersion;
    if (!rosterChanged && !moved && !force) return false;
    const started = performance.now();
    const table = input.positions;
    this.changedCount = 0;
    let full = table !== this.table;
    if (!full && table.journalEnd !== this.journalAt) full = !table.changedSince(this.journalAt, this.collect);
    this.table = table;
    this.journalAt = table.journalEnd;
    this.positionsVersion = input.positionsVersion;
    if (rosterChanged) {
      this.forgetReusedSlots(input.units);
      this.units = input.units;
      const roster = buildUnitRoster(input.units.values());
      if (!full) this.collectStatusChanges(this.roster, roster);
      this.roster = roster;
      this.rosterVersion++;
    }
    const { changed, changedCount: count } = this;
    const positions = table;
    if (full) this.trailStore.ingest(positions);
    else this.trailStore.ingestSlots(positions, changed, count);
    const rebuilt = full || this.picture.needsRebuild(positions, this.roster, now);
    if (rebuilt) this.picture.rebuild(positions, this.roster, now);
    else this.picture.write(positions, this.roster, changed, count);
    const greyed = this.picture.advance(now);
    this.followView(rebuilt);
    const trailsDue = this.trailStore.version !== this.trailsVersion && now - this.trailsBuiltAt >= TRAIL_REBUILD_MS;
    // Nothing written, nobody greyed, no trail copy due: no new version, so no upload and no redraw (a quiet wall's periodic look).
    if (!rebuilt && !rosterChanged && count === 0 && greyed === 0 && !trailsDue) {
      this.lastUpdateMs = performance.now() - started;
      return false;
    }
    this.deck.sync(this.attributes);
    if (trailsDue) this.rebuildTrails(now);
    this.version++;
    this.lastUpdateMs = performance.now() - started;
    return true;
  }

  /** Slots whose status code differs between two rosters (a slot beyond a roster's length counts as absent). */
  private collectStatusChanges(before: UnitRoster, after: UnitRoster): void {
    const length = Math.max(before.length, after.length);
    for (let slot = 0; slot < length; slot++) {
      const was = slot < before.length ? (before.status[slot] as number) : 0;
      const is = slot < after.length ? (after.status[slot] as number) : 0;
      if (was !== is) this.collect(slot);
    }
  }

  rebuildTrails(now: number): void {
    this.trailsBuiltAt = now;
    this.trailsVersion = this.trailStore.version;
    if (!this.trailsEnabled) {
      this.trails = null;
      return;
    }
    if (!this.viewKnown) {
      this.inView.clear();
      for (let slot = 0; slot < this.attributes.length; slot++) if (this.inTrailScope(slot)) this.inView.add(slot);
      this.viewKnown = true;
    }
    const candidates = Int32Array.from(this.inView).sort();
    buildTrailAttributes(this.trailStore, now, (slot) => this.inTrailScope(slot), this.trailAttributes, TRAIL_WINDOW_MS, candidates);
    this.trails = trailDeckData(this.trailAttributes);
  }

  snapshot(): LiveSnapshot {
    const a = this.attributes;
    return {
      version: this.version,
      shown: a.shown,
      stale: a.stale,
      length: a.length,
      positions: a.positions,
      radii: a.radii,
      headingSizes: a.headingSizes,
      fillColors: a.fillColors,
      sos: a.sos.map((slot) => ({ slot, position: [a.positions[slot * 2] as number, a.positions[slot * 2 + 1] as number] })),
      deck: this.deck,
      roster: this.roster,
      rosterVersion: this.rosterVersion,
      trails: this.trails,
    };
  }

  /** A slot handed to another unit must not inherit the previous unit's trail. */
  private forgetReusedSlots(units: ReadonlyMap<string, UnitView>): void {
    if (!this.units) return;
    const before = new Map<number, string>();
    for (const unit of this.units.values()) before.set(unit.slot, unit.id);
    for (const unit of units.values()) {
      const previous = before.get(unit.slot);
      if (previous !== undefined && previous !== unit.id) this.trailStore.clear(unit.slot);
    }
  }
}
