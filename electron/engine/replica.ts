import type { Alert, Fix, Incident, Unit } from "../../shared/protocol/types.js";
import type { ParsedDelta } from "./messages.js";
import type { CacheOp, LoadedCache, Meta, StoredAlert, StoredFix } from "./model.js";

/*
 * The console's copy of the platform's state, in memory and normalised by id.
 * Every change returns the cache ops that persist it and marks what views must
 * be told; nothing here touches a socket, a file or a timer.
 */

const MAX_ALERTS = 200;
const MAX_UNKNOWN_FIXES = 10_000;

export type Dirty = {
  incidents: Set<string>;
  removedIncidents: Set<string>;
  incidentsReset: boolean;
  units: Set<string>;
  removedUnits: Set<string>;
  unitsReset: boolean;
  fixes: Set<string>;
  alerts: boolean;
  /** Cases the platform stopped tracking (archived, or left out of a new snapshot): kept by views as history for the KPIs. */
  archived: Incident[];
};

const emptyDirty = (): Dirty => ({
  incidents: new Set(),
  removedIncidents: new Set(),
  incidentsReset: false,
  units: new Set(),
  removedUnits: new Set(),
  unitsReset: false,
  fixes: new Set(),
  alerts: false,
  archived: [],
});

export class Replica {
  meta: Meta = { epoch: null, lastSeq: 0, dataAsOf: null };
  readonly incidents = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  readonly fixes = new Map<string, StoredFix>();
  /** Stable per unit id for the life of the cache: views index typed arrays by it. */
  readonly slots = new Map<string, number>();
  alerts: StoredAlert[] = [];
  dirty: Dirty = emptyDirty();
  private nextSlot = 0;
  /** Fixes that arrived since the last call to `takeFixesForCoverage`. */
  private recentFixes: StoredFix[] = [];
  /**
   * The time of each unit's fix as last written to the database (`takeUnsavedFixes`); a fix is
   * newer than the one before it, so a different time is a different fix. Compared when the fixes
   * are saved (once a minute) rather than tracked per fix, on the path of ten thousand fixes a second.
   */
  private readonly savedAt = new Map<string, number>();
  /** Some fix may be unsaved: one arrived, or its unit joined, since the last save. */
  private fixesChanged = false;
  /** Set when the database lost every position (a snapshot's reset): all of them are unsaved. */
  private allFixesUnsaved = false;

  load(cache: LoadedCache): void {
    this.meta = cache.meta;
    for (const incident of cache.incidents) this.incidents.set(incident.id, incident);
    for (const { unit, slot } of cache.units) {
      if (slot >= 0) {
        this.slots.set(unit.id, slot);
        this.nextSlot = Math.max(this.nextSlot, slot + 1);
      }
      this.units.set(unit.id, unit);
    }
    for (const unit of this.units.values()) this.slotOf(unit.id);
    for (const fix of cache.fixes) {
      this.fixes.set(fix.unitId, fix);
      this.savedAt.set(fix.unitId, fix.at);
    }
    this.alerts = cache.alerts.slice(0, MAX_ALERTS);
  }

  takeDirty(): Dirty {
    const dirty = this.dirty;
    this.dirty = emptyDirty();
    return dirty;
  }

  slotOf(unitId: string): number {
    let slot = this.slots.get(unitId);
    if (slot === undefined) {
      slot = this.nextSlot++;
      this.slots.set(unitId, slot);
    }
    return slot;
  }

  /** A complete snapshot replaces the live picture, whatever the versions: it is the platform's word. */
  applySnapshot(snapshot: { epoch: string; seq: number; at: string; incidents: Incident[]; units: Unit[] }): CacheOp[] {
    const ops: CacheOp[] = [{ op: "reset" }];
    // The reset op keeps the cases the new snapshot leaves out as archived history; so do views.
    const kept = new Set(snapshot.incidents.map((incident) => incident.id));
    for (const [id, incident] of this.incidents) if (!kept.has(id)) this.dirty.archived.push(incident);
    this.incidents.clear();
    this.units.clear();
    this.dirty.incidentsReset = true;
    this.dirty.unitsReset = true;
    this.dirty.incidents.clear();
    this.dirty.removedIncidents.clear();
    this.dirty.units.clear();
    this.dirty.removedUnits.clear();
    // The reset op empties the positions table: every fix we hold has to be written again.
    this.allFixesUnsaved = true;
    for (const incident of snapshot.incidents) {
      this.incidents.set(incident.id, incident);
      ops.push({ op: "incident", incident });
    }
    for (const unit of snapshot.units) ops.push(this.putUnit(unit));
    this.meta = { epoch: snapshot.epoch, lastSeq: snapshot.seq, dataAsOf: snapshot.at };
    ops.push({ op: "meta", meta: { ...this.meta } });
    return ops;
  }

  /** The next delta in sequence (the caller checked epoch and seq). All its events apply, then the seq moves. */
  applyDelta(delta: ParsedDelta): CacheOp[] {
    const ops: CacheOp[] = [];
    for (const event of delta.events) {
      switch (event.type) {
        case "incident.upsert": {
          const op = this.upsertIncident(event.incident);
          if (op) ops.push(op);
          break;
        }
        case "incident.archived": {
          const current = this.incidents.get(event.id);
          if (current && current.version > event.version) break;
          if (current) {
            this.dirty.archived.push(current);
            this.incidents.delete(event.id);
            this.dirty.incidents.delete(event.id);
            this.dirty.removedIncidents.add(event.id);
          }
          ops.push({ op: "archive", id: event.id, version: event.version });
          break;
        }
        case "unit.upsert":
          ops.push(this.putUnit(event.unit));
          break;
        case "alert":
          ops.push(this.addAlert(event.alert));
          break;
      }
    }
    this.meta = { epoch: delta.epoch, lastSeq: delta.seq, dataAsOf: delta.at };
    ops.push({ op: "meta", meta: { ...this.meta } });
    return ops;
  }

  /** Drops a case from the live picture without a cache op (retention: the database prunes it itself). */
  forget(id: string): void {
    if (!this.incidents.delete(id)) return;
    this.dirty.incidents.delete(id);
    this.dirty.removedIncidents.add(id);
  }

  /** Applies an incident only if it is newer than ours (deltas and command answers race). */
  upsertIncident(incident: Incident): CacheOp | null {
    const current = this.incidents.get(incident.id);
    if (current && current.version >= incident.version) return null;
    this.incidents.set(incident.id, incident);
    this.dirty.removedIncidents.delete(incident.id);
    this.dirty.incidents.add(incident.id);
    return { op: "incident", incident };
  }

  private putUnit(unit: Unit): CacheOp {
    const { lastFix, ...rest } = unit;
    this.units.set(unit.id, rest);
    this.dirty.removedUnits.delete(unit.id);
    this.dirty.units.add(unit.id);
    const slot = this.slotOf(unit.id);
    // A fix that came before its unit joined the roster was not saved (only known units' are).
    if (!this.fixesChanged && this.fixes.has(unit.id)) this.fixesChanged = true;
    if (lastFix) {
      this.putFix({ unitId: unit.id, lon: lastFix.lon, lat: lastFix.lat, at: lastFix.at, heading: lastFix.heading ?? null, speed: lastFix.speed ?? null, accuracy: lastFix.accuracy ?? null });
    }
    return { op: "unit", unit: rest, slot };
  }

  private addAlert(alert: Alert): CacheOp {
    this.alerts = [{ alert, acknowledged: false }, ...this.alerts.filter((a) => a.alert.id !== alert.id)].slice(0, MAX_ALERTS);
    this.dirty.alerts = true;
    return { op: "alert", alert };
  }

  acknowledgeAlert(id: string): CacheOp | null {
    const entry = this.alerts.find((a) => a.alert.id === id);
    if (!entry || entry.acknowledged) return null;
    entry.acknowledged = true;
    this.dirty.alerts = true;
    return { op: "alertAck", id };
  }

  /** Latest fix per unit by its own timestamp; returns how many were newer than what we had. */
  applyFixes(fixes: readonly Fix[]): number {
    let applied = 0;
    for (const [unitId, lon, lat, at, heading, speed, accuracy] of fixes) {
      if (this.putFix({ unitId, lon, lat, at, heading, speed, accuracy })) applied++;
    }
    return applied;
  }

  private putFix(fix: StoredFix): boolean {
    const current = this.fixes.get(fix.unitId);
    if (current && current.at >= fix.at) return false;
    // Fixes of units not (yet) on the roster are kept for when they join, up to a bound junk ids cannot blow.
    if (!current && !this.units.has(fix.unitId) && this.fixes.size >= this.units.size + MAX_UNKNOWN_FIXES) return false;
    this.fixes.set(fix.unitId, fix);
    this.dirty.fixes.add(fix.unitId);
    this.fixesChanged = true;
    this.recentFixes.push(fix);
    return true;
  }

  takeRecentFixes(): StoredFix[] {
    const fixes = this.recentFixes;
    this.recentFixes = [];
    return fixes;
  }

  /** Latest fixes of known units, with their slots, for compaction. */
  fixesWithSlots(): (StoredFix & { slot: number })[] {
    const out: (StoredFix & { slot: number })[] = [];
    for (const fix of this.fixes.values()) if (this.units.has(fix.unitId)) out.push({ ...fix, slot: this.slotOf(fix.unitId) });
    return out;
  }

  /** Whether some fix is not in the database yet; `everything`: the database holds none (after a snapshot). */
  get fixesUnsaved(): { any: boolean; everything: boolean } {
    return { any: this.allFixesUnsaved || this.fixesChanged, everything: this.allFixesUnsaved };
  }

  /**
   * Latest fixes of known units not yet written to the database, with their
   * slots, for compaction; they count as saved from now on (`restoreUnsavedFixes`
   * if the write fails). A fix of a unit not on the roster stays unsaved.
   */
  takeUnsavedFixes(): (StoredFix & { slot: number })[] {
    if (this.allFixesUnsaved) {
      this.allFixesUnsaved = false;
      this.savedAt.clear();
    }
    this.fixesChanged = false;
    const out: (StoredFix & { slot: number })[] = [];
    for (const [id, fix] of this.fixes) {
      if (this.savedAt.get(id) === fix.at || !this.units.has(id)) continue;
      out.push({ ...fix, slot: this.slotOf(id) });
      this.savedAt.set(id, fix.at);
    }
    return out;
  }

  /** Fixes taken for a write that failed: unsaved again. */
  restoreUnsavedFixes(fixes: readonly { unitId: string }[]): void {
    for (const fix of fixes) this.savedAt.delete(fix.unitId);
    if (fixes.length > 0) this.fixesChanged = true;
  }
}
