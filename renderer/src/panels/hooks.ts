import { startTransition, useEffect, useMemo, useState } from "react";
import type { CoverageSummary } from "../../../shared/bridge/contract.js";
import { useNow } from "../app/ticker.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { whenMapDrawn } from "../state/first-frame.js";
import { regionLayerOf } from "../state/region.js";
import { regionIndex, type RegionIndex } from "./region-index.js";
import { computeSituation, type Situation } from "./situation.js";

/** KPIs recompute when cases change, but at most once a second, and once a minute for deadlines passing. */
const RECOMPUTE_MS = 1000;
/** …and, where one computation is costly (a city's 100,000 cases: over a second of main thread), no more than a fifth of the time. */
const RECOMPUTE_COST_FACTOR = 5;
const RECOMPUTE_MAX_MS = 30_000;

/** The least time between two recomputations of the situation, from what the last one cost (whole seconds, so it rarely changes). */
export function recomputeInterval(lastCostMs: number): number {
  const paced = Math.ceil((lastCostMs * RECOMPUTE_COST_FACTOR) / 1000) * 1000;
  return Math.min(RECOMPUTE_MAX_MS, Math.max(RECOMPUTE_MS, paced));
}
const COVERAGE_REFRESH_MS = 60_000;

/**
 * `value`, passed on at most once per `intervalMs` (a burst of deltas costs one
 * recomputation), with the instant it was passed on (0 for the first value).
 * Passed on as a transition: the recomputation and the charts it redraws
 * yield to a new row in the queue instead of holding it back.
 */
export function useThrottled<T>(value: T, intervalMs: number): { value: T; at: number } {
  const [shown, setShown] = useState({ value, at: 0 });
  useEffect(() => {
    if (Object.is(value, shown.value)) return;
    const wait = Math.max(0, shown.at + intervalMs - Date.now());
    const timer = setTimeout(() => startTransition(() => setShown({ value, at: Date.now() })), wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);
  return shown;
}

const EMPTY_REGION: RegionIndex = { names: new Map(), gridCodes: [] };

/** Area names and the list of grids, from the region layer (asked for once per bridge, shared with the map). */
export function useRegionIndex(): RegionIndex {
  const { bridge } = useConsole();
  const [index, setIndex] = useState<RegionIndex>(EMPTY_REGION);
  useEffect(() => {
    let live = true;
    regionLayerOf(bridge).then(
      (result) => {
        if (live && result.ok) setIndex(regionIndex(result.value));
      },
      // Without the layer, areas show by code and coverage says so; nothing else depends on it.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  return index;
}

/**
 * The situation as of the last change of the cases, the last whole minute
 * (deadlines pass and days end without any case changing) or the platform's
 * newest data time, whichever is latest: never per frame, never per tick.
 * The platform's clock counts because case times are its times: a console
 * clock running behind it (or a simulated feed running faster than real
 * time) would otherwise see cases from the future and leave them out of today.
 */
export function useSituation(names: RegionIndex["names"], options: { afterFirstFrame?: boolean } = {}): Situation | null {
  // The operator wall's panels wait for its map (see useAfterFirstFrame); the briefing's first frame is the situation.
  const afterFirstFrame = useAfterFirstFrame(useDataSelector((s) => s.ready));
  const started = options.afterFirstFrame !== true || afterFirstFrame;
  const [interval, setIntervalMs] = useState(RECOMPUTE_MS);
  const incidents = useThrottled(useDataSelector((s) => s.incidents), interval);
  const units = useThrottled(useDataSelector((s) => s.units), interval);
  const archived = useThrottled(useDataSelector((s) => s.archived), interval);
  const kpiDays = useDataSelector((s) => s.kpiDays);
  const settings = useDataSelector((s) => s.settings);
  const ready = useDataSelector((s) => s.ready);
  const dataAsOf = useThrottled(useDataSelector((s) => s.status.dataAsOf), interval).value;
  const minuteStart = Math.floor(useNow() / 60_000) * 60_000;
  const platformTime = dataAsOf === null ? Number.NaN : Date.parse(dataAsOf);
  const asOf = Math.max(minuteStart, incidents.at, Number.isFinite(platformTime) ? platformTime : 0);
  const computed = useMemo(() => {
    if (!ready || !started) return { situation: null, costMs: 0 };
    const began = performance.now();
    const situation = computeSituation(incidents.value, units.value, settings, names, asOf, archived.value, kpiDays);
    return { situation, costMs: performance.now() - began };
  }, [ready, started, incidents.value, units.value, archived.value, kpiDays, settings, names, asOf]);
  // The pace follows the last computation's cost (state adjusted while rendering: React renders again at once, the memo holds).
  const paced = computed.situation === null ? interval : recomputeInterval(computed.costMs);
  if (paced !== interval) setIntervalMs(paced);
  return computed.situation;
}

/** The longest the first situation waits for the map (a wall whose map cannot draw still gets its panels). */
const FIRST_SITUATION_WAIT_MS = 5000;

/**
 * False until the wall's map has drawn its region (state/first-frame.ts), or
 * FIRST_SITUATION_WAIT_MS after the first frame with the data, whichever is
 * first: the situation of a city's 100,000 cases is seconds of main thread
 * that the queue's first rows and the map need not wait for. The panels say
 * they are loading meanwhile.
 */
export function useAfterFirstFrame(ready: boolean): boolean {
  const [started, setStarted] = useState(false);
  useEffect(() => {
    if (!ready || started) return;
    // In a task of its own, after the frame that showed the map: not inside the map's drawing.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const start = () => {
      if (timer === null) timer = setTimeout(() => setStarted(true), 0);
    };
    const cancelWait = whenMapDrawn(start);
    const fallback = setTimeout(start, FIRST_SITUATION_WAIT_MS);
    return () => {
      cancelWait();
      clearTimeout(fallback);
      if (timer !== null) clearTimeout(timer);
    };
  }, [ready, started]);
  return started;
}

/** Patrol coverage, refreshed once a minute (tracks change slowly; the engine does the counting). */
export function useCoverage(): CoverageSummary | null {
  const { bridge } = useConsole();
  const [coverage, setCoverage] = useState<CoverageSummary | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      bridge.call("getCoverage", { days: 7 }).then(
        (result) => {
          if (live && result.ok) setCoverage(result.value);
        },
        () => undefined,
      );
    void load();
    const timer = setInterval(load, COVERAGE_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [bridge]);
  return coverage;
}
