import type { IncidentView } from "../shared/bridge/contract.js";
import { indexCategories } from "../shared/domain/deadlines.js";
import { EMPTY_FILTER, buildQueue, queueFacets, type QueueFilter } from "../shared/domain/queue.js";
import { incidentView } from "../electron/engine/bridge-objects.js";
import { QueueIndex } from "../electron/engine/queue-index.js";
import { loadReference } from "../feed/resources.js";
import type { Figure, Suite } from "./lib.js";
import { percentile, profiled, round } from "./lib.js";
import { incidentDeltas, manyIncidents, world } from "./fixtures.js";

/*
 * The operator's queue per incident delta at city scale: the engine's
 * incremental index (electron/engine/queue-index.ts) against what each page
 * did before issue 14, buildQueue and queueFacets over every case, in the
 * same run on the same cases.
 */

/** A page reads a screenful with overscan; the queue panel asks for about this many rows. */
const WINDOW_ROWS = 60;

export const queueIndexSuite: Suite = {
  name: "queue-index",
  title: "The operator's queue per incident delta at city scale: incremental index vs rebuilding",
  method: [
    "100,000 cases cloned from the city feed's (`manyIncidents`), as the engine's views, with the reference categories. A run of single-case deltas (`incidentDeltas`: each case one status step on) is applied one at a time.",
    "**Measured**: the engine's work per delta with two pages open on different filters (all open cases; overdue only): `QueueIndex.apply` of the changed case, `advance` to the delta's time, `takeChanged`, and each page's re-ask for its 60-row window with facets (`window`).",
    "**Reference**: what each page did per delta before issue 14, in the same run: `buildQueue` over all 100,000 cases for one filter plus `queueFacets` (deadlines memoised per case record as in the page, so only the changed case is parsed again). The ratio is measured / reference: below 1 the index is cheaper, and it covers two windows against one rebuild.",
  ].join("\n"),
  async run(context) {
    const w = await world("city");
    const caseCount = context.quick ? 10_000 : 100_000;
    const deltas = context.quick ? 100 : 400;
    const categories = indexCategories(loadReference().categories);
    const places = w.incidents.map(({ gridCode, lon, lat }) => ({ gridCode, lon, lat }));
    const start = Date.parse("2026-11-20T12:00:00+08:00");
    const cases = manyIncidents(w.incidents, caseCount, places, start);
    const views = new Map<string, IncidentView>(cases.map((incident) => [incident.id, incidentView(incident, [])]));
    const changes = incidentDeltas(cases, w.epoch, 0, deltas, start).map((delta, i) => ({ at: start + (i + 1) * 1000, view: incidentView(delta.events[0]!.incident, []) }));

    const filters: QueueFilter[] = [EMPTY_FILTER, { ...EMPTY_FILTER, overdueOnly: true }];
    const builtAt = performance.now();
    const index = new QueueIndex(categories, start);
    index.reset(views.values(), start);
    for (const [i, filter] of filters.entries()) index.window(`page-${i}`, filter, 0, WINDOW_ROWS, start);
    const buildMs = performance.now() - builtAt;

    const incremental: number[] = [];
    let moved = 0;
    await profiled(`queue-index-${caseCount}`, () => {
      for (const { at, view } of changes) {
        const began = performance.now();
        index.advance(at);
        index.apply([view], []);
        if (index.takeChanged() !== null) moved++;
        for (const [i, filter] of filters.entries()) index.window(`page-${i}`, filter, 0, WINDOW_ROWS, at);
        incremental.push(performance.now() - began);
      }
      return Promise.resolve();
    });

    // The same deltas again, as the page took them: a new map of cases, the whole queue and its facets rebuilt.
    const rebuild: number[] = [];
    let current: ReadonlyMap<string, IncidentView> = views;
    let total = 0;
    for (const { at, view } of changes) {
      const next = new Map(current);
      next.set(view.id, view);
      current = next;
      const began = performance.now();
      total = buildQueue(current.values(), EMPTY_FILTER, categories, at).items.length;
      queueFacets(current.values());
      rebuild.push(performance.now() - began);
    }
    const served = index.window("page-0", EMPTY_FILTER, 0, WINDOW_ROWS, changes.at(-1)!.at);
    if (served.total !== total) throw new Error(`the index lists ${served.total} cases, buildQueue ${total}`);

    incremental.sort((a, b) => a - b);
    rebuild.sort((a, b) => a - b);
    const p95 = percentile(incremental, 95);
    const reference = percentile(rebuild, 50);
    const figure: Figure = {
      suite: "queue",
      name: `engine queue work per delta, ${caseCount.toLocaleString("en-US")} cases, two windows, p95`,
      value: round(p95, 3),
      unit: "ms",
      reference: { name: "buildQueue + queueFacets over every case, one filter (median)", value: round(reference, 1), unit: "ms" },
      ratio: round(p95 / reference, 4),
      ratioMeaning: "index p95 (two windows) / one rebuild's median",
      note: `${deltas} deltas (${moved} moved a view); index median ${round(percentile(incremental, 50), 3)} ms, max ${round(incremental.at(-1) ?? 0, 2)} ms; rebuild p95 ${round(percentile(rebuild, 95), 1)} ms; index built (reset + two views) in ${round(buildMs, 0)} ms; ${total.toLocaleString("en-US")} open cases listed`,
    };
    return [figure];
  },
};
