import { useEffect, useRef, useState } from "react";
import type { Bridge, CoverageSummary } from "../../../shared/bridge/contract.js";
import { gridLayerKey } from "../../../shared/domain/grid-counts.js";
import { createGridIndex, type GridIndex } from "../../../shared/geo/grid-index.js";
import type { DataState } from "../state/data.js";
import { regionLayerOf } from "../state/region.js";
import type { DataStore } from "../state/store.js";
import { pixelScaleOf } from "./layers/pixel-scale.js";
import { prepareRegion, type PreparedRegion } from "./layers/region.js";
import { regionDeckData, type RegionDeckData } from "./layers/region-layers.js";
import type { LiveSnapshot, LiveUnits } from "./live-units.js";
import type { RedrawPacer } from "./redraw-pacing.js";

/** `gridKey`: the identity of the layer's grids (shared/domain/grid-counts.ts), which the engine's grid counts must carry to be drawn. */
export type LoadedRegion = { region: PreparedRegion; deck: RegionDeckData; index: GridIndex; locate: (lon: number, lat: number) => number; gridKey: string };
/** `faulty`: the engine could draw no grid of the layer; its faults are listed by the map's fault panel (state/region.ts). */
export type RegionState = { state: "loading" } | { state: "ready"; loaded: LoadedRegion } | { state: "faulty" } | { state: "error"; reason: string };

/** The region layer, validated and prepared by the engine (asked once per bridge), made into the map's buffers once. */
export function useRegion(bridge: Bridge): RegionState {
  const [state, setState] = useState<RegionState>({ state: "loading" });
  useEffect(() => {
    let cancelled = false;
    regionLayerOf(bridge)
      .then((result) => {
        if (cancelled) return;
        if (!result.ok) return setState({ state: "error", reason: result.error.message });
        const imported = result.value;
        if (!imported.ok) return setState({ state: "faulty" });
        const region = prepareRegion(imported.layer);
        const index = createGridIndex(imported.layer);
        const locate = (lon: number, lat: number) => {
          const code = index.locate(lon, lat);
          return code === null ? -1 : (region.grids.indexByCode.get(code) ?? -1);
        };
        setState({ state: "ready", loaded: { region, deck: regionDeckData(region), index, locate, gridKey: gridLayerKey(imported.layer.grids) } });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ state: "error", reason: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [bridge]);
  return state;
}

/** How often stale staff are re-greyed when no position arrives at all. */
const STALE_RECHECK_MS = 5000;
/**
 * Staff positions reach the screen at most twice a second: a unit reports
 * every few seconds, and each redraw of a software-rendered wall costs far
 * more than the half second an operator could notice. Slower still when the
 * map's frames are slow (`RedrawPacer`).
 */
export const MIN_PUBLISH_MS = 500;

/**
 * Runs `run` once `pacer` allows a source last run at `lastAt()` with its own
 * `minMs`; re-checks when the timer fires, since a frame drawn meanwhile may
 * push the time back. Returns a cancel function.
 */
function pacedTimeout(pacer: RedrawPacer, lastAt: () => number, minMs: number, run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    timer = setTimeout(() => {
      timer = null;
      if (pacer.delay(performance.now(), lastAt(), minMs) > 1) arm();
      else run();
    }, pacer.delay(performance.now(), lastAt(), minMs));
  };
  arm();
  return () => {
    if (timer !== null) clearTimeout(timer);
  };
}

/**
 * Feeds `LiveUnits` from the data store outside React rendering, paced by
 * `pacer` (at least `MIN_PUBLISH_MS` apart); React gets a fresh snapshot only
 * when something changed.
 */
export function useLiveUnits(store: DataStore, live: LiveUnits, pacer: RedrawPacer, onMeasured: (ms: number, shown: number) => void): LiveSnapshot {
  const [snapshot, setSnapshot] = useState<LiveSnapshot>(() => live.snapshot());
  useEffect(() => {
    let last = -Infinity;
    let cancel: (() => void) | null = null;
    const run = (force: boolean) => {
      last = performance.now();
      const s = store.getState();
      if (live.update({ units: s.units, positions: s.positions, positionsVersion: s.positionsVersion }, Date.now(), force)) {
        onMeasured(live.lastUpdateMs, live.attributes.shown);
        pacer.requested(performance.now());
        setSnapshot(live.snapshot());
      }
    };
    const schedule = () => {
      if (cancel !== null) return;
      cancel = pacedTimeout(pacer, () => last, MIN_PUBLISH_MS, () => {
        cancel = null;
        run(false);
      });
    };
    run(true);
    const off = store.subscribe(schedule);
    const timer = setInterval(() => run(true), STALE_RECHECK_MS);
    return () => {
      off();
      clearInterval(timer);
      cancel?.();
    };
  }, [store, live, pacer, onMeasured]);
  return snapshot;
}

/**
 * A slice of the data store as the map draws it: a change is adopted (and
 * redrawn) no sooner than `pacer` allows after the map's last frame, in a
 * task of its own. The queue renders a new case at once; the map shows it when
 * its frames allow, at once on a GPU and seconds later under software WebGL.
 * `select` must be stable (module level).
 */
export function usePacedData<T>(store: DataStore, select: (state: DataState) => T, pacer: RedrawPacer): T {
  const [value, setValue] = useState(() => select(store.getState()));
  const shownRef = useRef(value);
  useEffect(() => {
    let last = -Infinity;
    let cancel: (() => void) | null = null;
    const adopt = () => {
      cancel = null;
      const next = select(store.getState());
      if (next === shownRef.current) return;
      shownRef.current = next;
      last = performance.now();
      pacer.requested(last);
      setValue(next);
    };
    const off = store.subscribe(() => {
      if (cancel === null && select(store.getState()) !== shownRef.current) cancel = pacedTimeout(pacer, () => last, 0, adopt);
    });
    adopt();
    return () => {
      off();
      cancel?.();
    };
  }, [store, select, pacer]);
  return value;
}

/**
 * The map's performance probe, published as `window.__mapStats` for
 * benchmarks and end-to-end tests: frames drawn (deck.gl onAfterRender), and
 * the main-thread cost of turning the latest positions into layer attributes.
 * Sample `frames` twice, a second apart, for the frame rate.
 */
export type MapStats = { frames: number; updates: number; lastUpdateMs: number; maxUpdateMs: number; units: number };
declare global {
  interface Window {
    __mapStats?: MapStats;
  }
}

export class MapStatsProbe {
  readonly stats: MapStats = { frames: 0, updates: 0, lastUpdateMs: 0, maxUpdateMs: 0, units: 0 };
  frame(): void {
    this.stats.frames++;
  }
  update(ms: number, units: number): void {
    this.stats.updates++;
    this.stats.lastUpdateMs = ms;
    this.stats.maxUpdateMs = Math.max(this.stats.maxUpdateMs, ms);
    this.stats.units = units;
  }
}

export function useMapStats(): MapStatsProbe {
  const [probe] = useState(() => new MapStatsProbe());
  useEffect(() => {
    window.__mapStats = probe.stats;
    return () => {
      if (window.__mapStats === probe.stats) delete window.__mapStats;
    };
  }, [probe]);
  return probe;
}

/** The pulse's step: 4 Hz at most. */
export const PULSE_STEP_MS = 250;

/**
 * A 0..1 phase for pulsing markers, advanced at 4 Hz at most and only while
 * something pulses: each step redraws the map, so steps are paced by `pacer`
 * and a software-rendered wall pulses as slowly as its frames need.
 */
export function usePulse(active: boolean, pacer: RedrawPacer): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    let last = performance.now();
    let cancel = () => {};
    const step = () => {
      last = performance.now();
      pacer.requested(last);
      setTick((t) => (t + 1) % 6);
      cancel = pacedTimeout(pacer, () => last, PULSE_STEP_MS, step);
    };
    cancel = pacedTimeout(pacer, () => last, PULSE_STEP_MS, step);
    return () => cancel();
  }, [active, pacer]);
  return active ? tick / 6 : 0;
}

/** The case clock (the engine's, as countdowns read it) refreshed every `periodMs`: overdue and "new urgent" change on that scale, not every frame. */
export function useCoarseNow(periodMs: number, clock: () => number): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs, clock]);
  return now;
}

const COVERAGE_REFRESH_MS = 60_000;

/** Patrol coverage, asked for only while the coverage metric is shown. */
export function useCoverage(bridge: Bridge, enabled: boolean): CoverageSummary | null {
  const [coverage, setCoverage] = useState<CoverageSummary | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const load = () => {
      bridge
        .call("getCoverage", {})
        .then((result) => {
          if (!cancelled && result.ok) setCoverage(result.value);
        })
        .catch((error: unknown) => console.warn("map: patrol coverage unavailable", error));
    };
    load();
    const timer = setInterval(load, COVERAGE_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [bridge, enabled]);
  return coverage;
}

const readPixelScale = (): number => pixelScaleOf(Number.parseFloat(getComputedStyle(document.documentElement).fontSize));

/**
 * The factor for deck.gl pixel sizes (pixel-scale.ts), read once and again on
 * each window resize (the only thing that moves the root font size): not on
 * every render, because a style read during a busy frame can force a style
 * recalculation, and the map renders several times a second.
 */
export function usePixelScale(): number {
  const [scale, setScale] = useState(readPixelScale);
  useEffect(() => {
    const onResize = () => setScale(readPixelScale());
    window.addEventListener("resize", onResize);
    // A resize between the first render and this effect would otherwise go unseen.
    onResize();
    return () => window.removeEventListener("resize", onResize);
  }, []);
  return scale;
}

export function useElementSize(element: HTMLElement | null): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}
