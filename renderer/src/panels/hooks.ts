import { useEffect, useState } from "react";
import type { CoverageSummary } from "../../../shared/bridge/contract.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { useFromRegionLayer } from "../state/region.js";
import { regionIndex, type RegionIndex } from "./region-index.js";
import type { Situation } from "../../../shared/domain/situation.js";

const COVERAGE_REFRESH_MS = 60_000;

const EMPTY_REGION: RegionIndex = { names: new Map(), gridCodes: [] };

/** Area names and the list of grids, from the region layer (asked for once per bridge, shared with the map). */
export function useRegionIndex(): RegionIndex {
  const { bridge } = useConsole();
  return useFromRegionLayer(bridge, regionIndex, EMPTY_REGION);
}

/**
 * The situation as the engine keeps it (electron/engine/situation/): pushed
 * at most once a second while cases change and on each whole minute, with
 * the platform's clock as its "now". The page works nothing out; null until
 * the engine's first one arrives.
 */
export function useSituation(): Situation | null {
  return useDataSelector((s) => s.situation);
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
