import { useEffect, useMemo, useState } from "react";
import type { CoverageSummary } from "../../../shared/bridge/contract.js";
import { useNow } from "../app/ticker.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { regionLayerOf } from "../state/region.js";
import { regionIndex, type RegionIndex } from "./region-index.js";
import { computeSituation, type Situation } from "./situation.js";

/** KPIs recompute when cases change, but at most once a second, and once a minute for deadlines passing. */
const RECOMPUTE_MS = 1000;
const COVERAGE_REFRESH_MS = 60_000;

/**
 * `value`, passed on at most once per `intervalMs` (a burst of deltas costs one
 * recomputation), with the instant it was passed on (0 for the first value).
 */
export function useThrottled<T>(value: T, intervalMs: number): { value: T; at: number } {
  const [shown, setShown] = useState({ value, at: 0 });
  useEffect(() => {
    if (Object.is(value, shown.value)) return;
    const wait = Math.max(0, shown.at + intervalMs - Date.now());
    const timer = setTimeout(() => setShown({ value, at: Date.now() }), wait);
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
export function useSituation(names: RegionIndex["names"]): Situation | null {
  const incidents = useThrottled(useDataSelector((s) => s.incidents), RECOMPUTE_MS);
  const units = useThrottled(useDataSelector((s) => s.units), RECOMPUTE_MS);
  const settings = useDataSelector((s) => s.settings);
  const ready = useDataSelector((s) => s.ready);
  const dataAsOf = useThrottled(useDataSelector((s) => s.status.dataAsOf), RECOMPUTE_MS).value;
  const minuteStart = Math.floor(useNow() / 60_000) * 60_000;
  const platformTime = dataAsOf === null ? Number.NaN : Date.parse(dataAsOf);
  const asOf = Math.max(minuteStart, incidents.at, Number.isFinite(platformTime) ? platformTime : 0);
  return useMemo(
    () => (ready ? computeSituation(incidents.value, units.value, settings, names, asOf) : null),
    [ready, incidents.value, units.value, settings, names, asOf],
  );
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
