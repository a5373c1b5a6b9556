import type { Bridge, RegionLayerResult, Result } from "../../../shared/bridge/contract.js";

/*
 * The region layer, asked of the engine once per bridge and shared: the map,
 * the KPI panels, the briefing and the report form all read the same prepared
 * layer (tens of MB at city scale), instead of each asking for its own copy.
 * The page asks for it as it connects, alongside the initial state, so it is
 * on its way while the cases are. A failed ask is forgotten, so a later one
 * tries again.
 */

const asked = new WeakMap<Bridge, Promise<Result<RegionLayerResult>>>();

export function regionLayerOf(bridge: Bridge): Promise<Result<RegionLayerResult>> {
  let request = asked.get(bridge);
  if (request === undefined) {
    request = bridge.call("getRegionLayer", {});
    asked.set(bridge, request);
    const forget = () => {
      if (asked.get(bridge) === request) asked.delete(bridge);
    };
    request.then((result) => {
      if (!result.ok) forget();
    }, forget);
  }
  return request;
}
