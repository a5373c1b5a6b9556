import type { CoverageSummary } from "../../shared/bridge/contract.js";
import { SHIFT_GAP_MINUTES, VISIT_MINUTES } from "../../shared/domain/patrol.js";
import { formatDate } from "../../shared/domain/time.js";
import type { RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { polygonsOf } from "../../shared/geo/geojson.js";
import { createGridIndex } from "../../shared/geo/grid-index.js";
import type { GridIndex } from "../../shared/geo/grid-index.js";
import { bboxOf } from "../../shared/geo/polygon.js";
import type { RegionArea } from "../../shared/geo/region.js";
import type { StoredFix, Visit } from "./model.js";

/*
 * Patrol coverage from the staff's fixes: a visit is a staff member on patrol
 * who stayed in a grid at least VISIT_MINUTES (a fix passing through is not a
 * visit), counted once per unit, grid and Beijing hour, so a stay of an hour
 * is one visit, not 720 fixes.
 */

const HOUR_MS = 3600_000;
const VISIT_MS = VISIT_MINUTES * 60_000;
const STAY_GAP_MS = SHIFT_GAP_MINUTES * 60_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** The grid features of a region layer (parsed GeoJSON) as areas for the index; anything unreadable is skipped. */
export function gridAreas(layer: unknown): RegionArea[] {
  const features = (layer as Partial<RegionFeatureCollection> | null)?.features;
  if (!Array.isArray(features)) return [];
  const grids: RegionArea[] = [];
  for (const feature of features) {
    const properties = feature?.properties;
    const geometry = feature?.geometry;
    if (properties?.level !== "grid" || !geometry || (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")) continue;
    const polygons = polygonsOf(geometry);
    const bbox = bboxOf(polygons);
    grids.push({ ...properties, polygons, bbox, labelAt: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2] });
  }
  return grids;
}

/**
 * Each unit's stay in one time-ordered run of fixes: the live feed's (the
 * counter's own), or one window of tracks backfilled from the platform, whose
 * fixes come in time order within the window but hours before the live ones.
 */
export type Stays = Map<string, { gridCode: string; enteredAt: number; lastAt: number; hourIndex: number }>;

export class CoverageCounter {
  private readonly seen = new Set<string>();
  private unsaved: Visit[] = [];
  private readonly index: GridIndex | null;
  /** Each unit's stay: its grid ("" outside every grid), since when, its last fix, and the Beijing hour it last counted, so a fix in the same grid and hour costs one polygon test and no key. */
  private readonly lastVisit: Stays = new Map();

  /** Without a grid layer, a unit's own assigned grid stands in for where it is. */
  constructor(regionLayer: unknown) {
    const grids = gridAreas(regionLayer);
    this.index = grids.length > 0 ? createGridIndex(grids) : null;
  }

  load(visits: readonly Visit[]): void {
    for (const visit of visits) this.seen.add(key(visit));
  }

  /** The grid a point lies in, trying `hint` first; undefined outside every grid or without a layer. */
  locate(lon: number, lat: number, hint: string | undefined): string | undefined {
    return this.index?.locateFrom(hint, lon, lat) ?? undefined;
  }

  /** `counts`: whether the unit's fixes may make visits now (on patrol, track not in doubt). Fixes arrive in time order per unit. */
  record(fixes: readonly StoredFix[], assignedGrid: (unitId: string) => string | undefined, counts: (unitId: string) => boolean = () => true, stays: Stays = this.lastVisit): void {
    // The hot path of every positions push (thousands of fixes a second at city scale): the Beijing day is
    // formatted once per hour the fixes fall in, not once per fix, and a Visit is made only when it is new.
    let hourIndex = Number.NaN;
    let day = "";
    let hour = 0;
    for (const fix of fixes) {
      const last = stays.get(fix.unitId);
      const gridCode = (this.index ? this.index.locateFrom(last?.gridCode || undefined, fix.lon, fix.lat) : assignedGrid(fix.unitId)) ?? "";
      const fixHour = Math.floor((fix.at + BEIJING_OFFSET_MS) / HOUR_MS);
      // A stay starts again on entering a grid, outside every grid (""), and after a silence (a night, a dead battery): one fix after it is no stay.
      if (last === undefined || last.gridCode !== gridCode || fix.at - last.lastAt > STAY_GAP_MS) {
        if (last === undefined) stays.set(fix.unitId, { gridCode, enteredAt: fix.at, lastAt: fix.at, hourIndex: Number.NaN });
        else {
          last.gridCode = gridCode;
          last.enteredAt = fix.at;
          last.lastAt = fix.at;
          last.hourIndex = Number.NaN;
        }
        continue;
      }
      last.lastAt = fix.at;
      if (gridCode === "") continue;
      if (last.hourIndex === fixHour || fix.at - last.enteredAt < VISIT_MS) continue;
      if (!counts(fix.unitId)) continue;
      last.hourIndex = fixHour;
      if (fixHour !== hourIndex) {
        hourIndex = fixHour;
        day = formatDate(fix.at);
        hour = fixHour % 24;
      }
      const k = `${day}|${gridCode}|${fix.unitId}|${hour}`;
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.unsaved.push({ day, gridCode, unitId: fix.unitId, hour });
    }
  }

  takeUnsaved(): Visit[] {
    const visits = this.unsaved;
    this.unsaved = [];
    return visits;
  }

  /** Visits whose write failed go back in line for the next compaction. */
  restoreUnsaved(visits: readonly Visit[]): void {
    for (const visit of visits) this.unsaved.push(visit);
  }

  summary(days: number, nowMs: number): CoverageSummary {
    const today = formatDate(nowMs);
    const wanted = new Set<string>();
    for (let d = 0; d < days; d++) wanted.add(formatDate(nowMs - d * 24 * HOUR_MS));
    const visitsByDay: Record<string, Record<string, number>> = {};
    for (const k of this.seen) {
      const [day = "", gridCode = ""] = k.split("|");
      if (!wanted.has(day)) continue;
      const grids = (visitsByDay[day] ??= {});
      grids[gridCode] = (grids[gridCode] ?? 0) + 1;
    }
    return { today, visitsByDay };
  }

  /** Forgets visits older than `keepDays` Beijing days. */
  prune(keepDays: number, nowMs: number): void {
    const oldest = formatDate(nowMs - keepDays * 24 * HOUR_MS);
    for (const k of this.seen) if ((k.split("|")[0] ?? "") < oldest) this.seen.delete(k);
  }
}

const key = (visit: Visit): string => `${visit.day}|${visit.gridCode}|${visit.unitId}|${visit.hour}`;
