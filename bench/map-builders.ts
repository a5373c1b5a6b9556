import path from "node:path";
import { pathToFileURL } from "node:url";
import type { UnitView } from "../shared/bridge/contract.js";
import type { Figure, Suite } from "./lib.js";
import { percentile, profiled, round } from "./lib.js";
import { positionFrames, world } from "./fixtures.js";
import { REPO } from "./processes.js";

/*
 * The map's pure builders in Node: a position batch into the PositionTable,
 * then LiveUnits.update (the unit attributes of the slots the batch wrote and
 * of staff turning stale, trail ingest of the same slots, and, every 2 s
 * while trails are drawn, the trail copy), exactly what the page runs on its
 * main thread per update.
 *
 * The renderer modules are loaded by path at run time: they belong to the
 * renderer's TypeScript project (DOM lib), which bench/ (the Node project)
 * cannot include, so their shapes are restated here as far as the bench
 * uses them.
 */

type PositionTableLike = { apply(data: Float64Array): void; version: number; length: number; lon: Float64Array; lat: Float64Array; at: Float64Array; heading: Float32Array };
type LiveUnitsLike = {
  update(input: { units: ReadonlyMap<string, UnitView>; positions: PositionTableLike; positionsVersion: number }, now: number, force?: boolean): boolean;
  readonly attributes: { shown: number };
};

async function loadRenderer(): Promise<{ PositionTable: new () => PositionTableLike; LiveUnits: new () => LiveUnitsLike }> {
  const load = (file: string) => import(pathToFileURL(path.join(REPO, "renderer", "src", file)).href);
  const positions = (await load("state/positions.ts")) as { PositionTable: new () => PositionTableLike };
  const live = (await load("map/live-units.ts")) as { LiveUnits: new () => LiveUnitsLike };
  return { PositionTable: positions.PositionTable, LiveUnits: live.LiveUnits };
}

/** The engine pushes positions to views every 200 ms: at 6,000 fixes/s each update carries ~1,200. */
const UPDATE_MS = 200;
const STRIDE = 6;

export const mapBuildersSuite: Suite = {
  name: "map-builders",
  title: "Map builders in Node: main-thread cost of a position update at city scale",
  method: [
    "The reference feed's city roster (~62,000 staff) gets one slot each. A run of position batches at 6,000 fixes/s (one fix per unit per ~10 s), cut as the engine pushes them (every 200 ms, so ~1,200 fixes per batch, in the bridge's Float64Array form), goes through `PositionTable.apply` and `LiveUnits.update` (unit attributes of the slots written and of staff turning stale, trail ingest; trails are not drawn at the city's default zoom, so no trail copy): the page's main-thread work per update, minus React and deck.gl.",
    "**Reference**: the least any per-update rebuild of the map's positions costs: one pass over every slot copying lon/lat into a Float64Array, in the same run.",
  ].join("\n"),
  async run(context) {
    const { PositionTable, LiveUnits } = await loadRenderer();
    const w = await world(context.quick ? "district" : "city");
    const seconds = context.quick ? 10 : 60;
    const fixesPerSecond = Math.min(6000, Math.round(w.units.length / 10));
    const slotOf = new Map(w.units.map((unit, slot) => [unit.id, slot]));
    const units = new Map<string, UnitView>(w.units.map((unit, slot) => {
      const { lastFix: _fix, phone: _phone, ...rest } = unit;
      return [unit.id, { ...rest, slot }];
    }));
    const start = Date.now();
    const batches = positionFrames(w.units, fixesPerSecond / (1000 / UPDATE_MS), seconds * (1000 / UPDATE_MS), start).map((frame) => {
      const data = new Float64Array(frame.fixes.length * STRIDE);
      frame.fixes.forEach(([id, lon, lat, at, heading, speed], i) => data.set([slotOf.get(id) ?? -1, lon, lat, at, heading ?? Number.NaN, speed ?? Number.NaN], i * STRIDE));
      return data;
    });
    const table = new PositionTable();
    const live = new LiveUnits();
    // The initial picture (every unit's last fix), as getInitialState hands it over; not timed.
    const initial = new Float64Array(w.units.length * STRIDE);
    w.units.forEach((unit, slot) => initial.set([slot, unit.lastFix?.lon ?? 116.4, unit.lastFix?.lat ?? 39.9, start - 5000, Number.NaN, Number.NaN], slot * STRIDE));
    table.apply(initial);
    live.update({ units, positions: table, positionsVersion: table.version }, start, true);

    const costs: number[] = [];
    let worst = { ms: 0, update: 0 };
    await profiled(`map-builders-${w.scale}`, () => {
      batches.forEach((batch, i) => {
        const began = performance.now();
        table.apply(batch);
        live.update({ units, positions: table, positionsVersion: table.version }, start + (i + 1) * UPDATE_MS);
        const ms = performance.now() - began;
        costs.push(ms);
        if (ms > worst.ms) worst = { ms, update: i + 1 };
      });
      return Promise.resolve();
    });
    const copies: number[] = [];
    const out = new Float64Array(table.length * 2);
    for (let r = 0; r < batches.length; r++) {
      const began = performance.now();
      for (let slot = 0; slot < table.length; slot++) {
        out[slot * 2] = table.lon[slot] as number;
        out[slot * 2 + 1] = table.lat[slot] as number;
      }
      copies.push(performance.now() - began);
    }
    costs.sort((a, b) => a - b);
    copies.sort((a, b) => a - b);
    const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
    const p95 = percentile(costs, 95);
    const copy = percentile(copies, 50);
    const figure: Figure = {
      suite: "map",
      name: `builders per position update (Node), ${w.units.length.toLocaleString("en-US")} staff, ${fixesPerSecond.toLocaleString("en-US")} fixes/s, p95`,
      value: round(p95, 2),
      unit: "ms",
      reference: { name: "copying every slot's lon/lat once (median)", value: round(copy, 3), unit: "ms" },
      ratio: round(p95 / copy, 1),
      ratioMeaning: "update p95 / plain copy",
      target: "< 4 ms",
      met: p95 < 4,
      note: `${costs.length} updates of ~${Math.round(fixesPerSecond / (1000 / UPDATE_MS))} fixes; mean ${round(mean, 2)} ms, max ${round(worst.ms, 2)} ms (update ${worst.update}); ${live.attributes.shown} staff shown`,
    };
    return [figure];
  },
};
