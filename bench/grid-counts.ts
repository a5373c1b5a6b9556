import type { IncidentView } from "../shared/bridge/contract.js";
import { indexCategories } from "../shared/domain/deadlines.js";
import { caseGridCounts, overdueAt } from "../shared/domain/grid-counts.js";
import { NOTABLE_CASES } from "../shared/domain/situation.js";
import { notableCase, notableCases } from "../shared/domain/notable.js";
import { createGridIndex } from "../shared/geo/grid-index.js";
import { importRegionLayer } from "../shared/geo/import.js";
import { incidentView } from "../electron/engine/bridge-objects.js";
import { GridCounter } from "../electron/engine/grid-counts.js";
import { loadReference } from "../feed/resources.js";
import { consoleCityLayer } from "./city-layer.js";
import type { Figure, Suite } from "./lib.js";
import { percentile, profiled, round } from "./lib.js";
import { incidentDeltas, manyIncidents, world } from "./fixtures.js";

/*
 * The map's case counts per grid per incident delta at city scale: the
 * engine's incremental counts (electron/engine/grid-counts.ts) against the
 * page's full count of the shown metric before issue 14, in the same run on
 * the same cases and grids.
 */

export const gridCountsSuite: Suite = {
  name: "grid-counts",
  title: "The map's grid counts per incident delta at city scale: incremental vs counting every case",
  method: [
    "The console-sized city layer (~30,000 grids cut inside Chaoyang, bench/city-layer.ts) imported as the engine does, and 100,000 cases cloned from the city feed's onto its grids (`manyIncidents`), as the engine's views, with the reference categories. A run of single-case deltas (`incidentDeltas`: each case one status step on), one simulated second apart, is applied one at a time.",
    "**Measured**: the engine's work per delta: `GridCounter.apply` of the changed case, `sweep` of the cases whose deadline passed by the delta's time, and `take` of both metrics' Uint32Arrays for the push (copied at each delta here: the engine copies at most every 250 ms).",
    "**Reference**: what the page did per delta before issue 14, in the same run: `caseGridCounts` (the map's `gridMetricValues`) of the shown metric, open, over all 100,000 cases with the point-in-polygon fallback (deadlines memoised per case record, as in the page). The ratio is measured / reference: below 1 the engine's counts are cheaper, and they cover both metrics against one.",
    "**The notable list** (the briefing's 重点案件, which the situation reads from the counter each time it is computed while notable cases change): `GridCounter.notable` of the situation's length after each delta, p95: reading the kept list only (keeping it in order is part of `apply`, in the figure above), against `notableCases` (shared/domain/notable.ts, the full recomputation: every case's deadline state, the notable ones sorted) over the same cases at the run's end, median of five; the two lists are checked equal. The pass it replaced (the parts read once with a short sorted list) was 3.9 ms p50 at this scale (bench/NOTES.md).",
  ].join("\n"),
  async run(context) {
    const w = await world("city");
    const caseCount = context.quick ? 10_000 : 100_000;
    const deltas = context.quick ? 100 : 400;
    const categories = indexCategories(loadReference().categories);
    const city = consoleCityLayer(context.quick ? 3_000 : 30_000);
    const imported = importRegionLayer(city.layer);
    if (!imported.ok) throw new Error("the city layer did not import");
    const grids = imported.layer.grids;
    const start = Date.parse("2026-11-20T12:00:00+08:00");
    const cases = manyIncidents(w.incidents, caseCount, city.places, start);
    const views = new Map<string, IncidentView>(cases.map((incident) => [incident.id, incidentView(incident, [])]));
    const changes = incidentDeltas(cases, w.epoch, 0, deltas, start).map((delta, i) => ({ at: start + (i + 1) * 1000, view: incidentView(delta.events[0]!.incident, []) }));

    const builtAt = performance.now();
    const counter = new GridCounter(categories);
    counter.setLayer(grids, views.values(), start);
    const buildMs = performance.now() - builtAt;

    const incremental: number[] = [];
    await profiled(`grid-counts-${caseCount}`, () => {
      for (const { at, view } of changes) {
        const began = performance.now();
        counter.apply([view], [], false, at);
        counter.sweep(at);
        counter.take(at + 1_000_000);
        incremental.push(performance.now() - began);
      }
      return Promise.resolve();
    });

    // The same deltas again, as the page took them: a new map of cases, the shown metric counted over every case.
    const gridIndex = new Map(grids.map((grid, i) => [grid.code, i]));
    const index = createGridIndex(grids);
    const locate = (lon: number, lat: number) => {
      const code = index.locate(lon, lat);
      return code === null ? -1 : (gridIndex.get(code) ?? -1);
    };
    const full: number[] = [];
    let current: ReadonlyMap<string, IncidentView> = views;
    let counted: Uint32Array = new Uint32Array(0);
    for (const { at, view } of changes) {
      const next = new Map(current);
      next.set(view.id, view);
      current = next;
      const began = performance.now();
      counted = caseGridCounts("open", { incidents: current.values(), gridIndex, gridCount: grids.length, isOverdue: overdueAt(categories, at), locate });
      full.push(performance.now() - began);
    }
    const kept = counter.current();
    if (!kept || kept.open.some((value, i) => value !== counted[i])) throw new Error("the incremental open counts differ from caseGridCounts");
    const open = kept.open.reduce((sum, value) => sum + value, 0);

    // The notable list as the situation takes it, after each delta, against the full recomputation over the same cases at the end.
    const notableAfter: number[] = [];
    const listing = new GridCounter(categories);
    listing.setLayer(grids, views.values(), start);
    for (const { at, view } of changes) {
      listing.apply([view], [], false, at);
      listing.sweep(at);
      const began = performance.now();
      listing.notable(NOTABLE_CASES);
      notableAfter.push(performance.now() - began);
    }
    const end = changes.at(-1)?.at ?? start;
    const names = new Map<string, string>();
    const recomputed: number[] = [];
    let referenceList: ReturnType<typeof notableCases> = [];
    for (let i = 0; i < 5; i++) {
      const began = performance.now();
      referenceList = notableCases(current.values(), categories, names, end, NOTABLE_CASES);
      recomputed.push(performance.now() - began);
    }
    const keptList = (listing.notable(NOTABLE_CASES) ?? []).map((candidate) => notableCase(candidate, names));
    if (JSON.stringify(keptList) !== JSON.stringify(referenceList)) throw new Error("the kept notable list differs from notableCases");
    notableAfter.sort((a, b) => a - b);
    recomputed.sort((a, b) => a - b);
    const notableP95 = percentile(notableAfter, 95);
    const notableReference = percentile(recomputed, 50);

    incremental.sort((a, b) => a - b);
    full.sort((a, b) => a - b);
    const p95 = percentile(incremental, 95);
    const reference = percentile(full, 50);
    const figure: Figure = {
      suite: "map",
      name: `engine grid-count work per delta, ${caseCount.toLocaleString("en-US")} cases, ${grids.length.toLocaleString("en-US")} grids, p95`,
      value: round(p95, 3),
      unit: "ms",
      reference: { name: "caseGridCounts of one metric over every case (median)", value: round(reference, 1), unit: "ms" },
      ratio: round(p95 / reference, 4),
      ratioMeaning: "incremental p95 (both metrics, with the push's copy) / one full count's median",
      note: `${deltas} deltas; incremental median ${round(percentile(incremental, 50), 3)} ms, max ${round(incremental.at(-1) ?? 0, 2)} ms; full count p95 ${round(percentile(full, 95), 1)} ms; counter built (layer index + every case) in ${round(buildMs, 0)} ms; ${open.toLocaleString("en-US")} open cases counted, equal to the full count after the run`,
    };
    const notableFigure: Figure = {
      suite: "map",
      name: `engine notable list (${NOTABLE_CASES} cases) per situation computation, ${caseCount.toLocaleString("en-US")} cases, p95`,
      value: round(notableP95, 4),
      unit: "ms",
      reference: { name: "notableCases over every case (median of 5)", value: round(notableReference, 1), unit: "ms" },
      ratio: round(notableP95 / notableReference, 5),
      ratioMeaning: "kept list p95 / one full recomputation's median",
      note: `read after each of ${deltas} deltas (its upkeep is in apply, above); median ${round(percentile(notableAfter, 50), 4)} ms; equal to notableCases at the end`,
    };
    return [figure, notableFigure];
  },
};
