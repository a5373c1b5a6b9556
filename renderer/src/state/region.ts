import { useEffect, useState } from "react";
import type { Bridge, RegionLayerResult, Result } from "../../../shared/bridge/contract.js";
import type { RegionImportIssue } from "../../../shared/geo/faults.js";

/*
 * The region layer, asked of the engine once per bridge and shared: the map,
 * the KPI panels, the briefing and the report form all read the same prepared
 * layer (tens of MB at city scale), instead of each asking for its own copy.
 * The page asks for it as it connects, alongside the initial state, so it is
 * on its way while the cases are. A failed ask is forgotten, so a later one
 * tries again.
 */

const asked = new WeakMap<Bridge, Promise<Result<RegionLayerResult>>>();
/** The answer once it has come, so a view mounted later starts from it rather than from a frame of "not yet". */
const answered = new WeakMap<Bridge, RegionLayerResult>();

export function regionLayerOf(bridge: Bridge): Promise<Result<RegionLayerResult>> {
  let request = asked.get(bridge);
  if (request === undefined) {
    request = bridge.call("getRegionLayer", {});
    asked.set(bridge, request);
    const forget = () => {
      if (asked.get(bridge) === request) asked.delete(bridge);
    };
    request.then((result) => {
      if (result.ok) answered.set(bridge, result.value);
      else forget();
    }, forget);
  }
  return request;
}

/** The region layer if the engine has already answered for this bridge (regionLayerOf); undefined before. */
export function regionLayerNow(bridge: Bridge): RegionLayerResult | undefined {
  return answered.get(bridge);
}

const derivations = new WeakMap<(result: RegionLayerResult) => unknown, WeakMap<RegionLayerResult, unknown>>();

/** `derive(result)`, made once per layer and shared by every view that asks (`derive` a module-level function). */
function derivedOnce<T>(derive: (result: RegionLayerResult) => T, result: RegionLayerResult): T {
  let made = derivations.get(derive);
  if (made === undefined) derivations.set(derive, (made = new WeakMap()));
  if (!made.has(result)) made.set(result, derive(result));
  return made.get(result) as T;
}

/**
 * What a view reads of the region layer (area names, the grid list), made once per layer: `none` until the
 * layer comes and for an ask that failed, and in the first frame of a view mounted after it came (a case's
 * detail, a push on the wall), never a frame of codes or 未知网格 first.
 */
export function useFromRegionLayer<T>(bridge: Bridge, derive: (result: RegionLayerResult) => T, none: T): T {
  const [value, setValue] = useState<T>(() => {
    const known = regionLayerNow(bridge);
    return known === undefined ? none : derivedOnce(derive, known);
  });
  useEffect(() => {
    let live = true;
    regionLayerOf(bridge).then(
      (result) => {
        if (live && result.ok) setValue(derivedOnce(derive, result.value));
      },
      // Without the layer the view says so its own way (codes, 未知网格); nothing else depends on it.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge, derive]);
  return value;
}

/**
 * The region layer's answer as a view holds it: not yet there, there (whole,
 * in part with its faults, or not at all), or the ask failed (`message`).
 */
export type RegionLayerAnswer = { state: "pending" } | { state: "ready"; result: RegionLayerResult } | { state: "failed"; message: string };

/** The engine's answer about the region layer, asked once per bridge (regionLayerOf) and shared by every view that shows it. */
export function useRegionLayer(bridge: Bridge): RegionLayerAnswer {
  const [answer, setAnswer] = useState<RegionLayerAnswer>(() => {
    const known = regionLayerNow(bridge);
    return known === undefined ? { state: "pending" } : { state: "ready", result: known };
  });
  useEffect(() => {
    let cancelled = false;
    regionLayerOf(bridge).then(
      (result) => {
        if (!cancelled) setAnswer(result.ok ? { state: "ready", result: result.value } : { state: "failed", message: result.error.message });
      },
      (error: unknown) => {
        if (!cancelled) setAnswer({ state: "failed", message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [bridge]);
  return answer;
}

/**
 * What is wrong with the layer: null while the answer is on its way, empty for
 * a sound layer; an ask that failed is one fault (nothing can be drawn).
 */
export function regionLayerFaults(answer: RegionLayerAnswer): RegionImportIssue[] | null {
  if (answer.state === "pending") return null;
  if (answer.state === "failed") return [{ feature: "(layer)", fault: `could not be prepared: ${answer.message}`, code: "importFailed", params: { error: answer.message } }];
  return answer.result.errors;
}
