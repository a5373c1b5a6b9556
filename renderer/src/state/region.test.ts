import { describe, expect, it } from "vitest";
import type { Bridge, RegionLayerResult } from "../../../shared/bridge/contract.js";
import { regionLayerNow, regionLayerOf } from "./region.js";

/** A bridge whose only call is the region layer, answered with `answer` and counted. */
function layerBridge(answer: () => Promise<unknown>): { bridge: Bridge; asked: () => number } {
  let asked = 0;
  const bridge: Bridge = {
    call: (() => {
      asked++;
      return answer();
    }) as Bridge["call"],
    on: () => () => undefined,
  };
  return { bridge, asked: () => asked };
}

const LAYER: RegionLayerResult = { ok: false, errors: [] };

describe("the region layer, asked once per bridge", () => {
  it("is known at once to a view mounted after the answer came (no first frame of 未知网格), and asked only once", async () => {
    const { bridge, asked } = layerBridge(() => Promise.resolve({ ok: true, value: LAYER }));
    expect(regionLayerNow(bridge)).toBeUndefined();
    const first = regionLayerOf(bridge);
    expect(regionLayerNow(bridge)).toBeUndefined();
    await first;
    expect(regionLayerNow(bridge)).toBe(LAYER);
    await regionLayerOf(bridge);
    expect(asked()).toBe(1);
  });

  it("forgets a refused ask, so a later view asks again and nothing stale is known", async () => {
    let refuse = true;
    const { bridge, asked } = layerBridge(() =>
      Promise.resolve(refuse ? { ok: false, error: { code: "unavailable", message: "engine restarting" } } : { ok: true, value: LAYER }),
    );
    expect((await regionLayerOf(bridge)).ok).toBe(false);
    expect(regionLayerNow(bridge)).toBeUndefined();
    refuse = false;
    expect((await regionLayerOf(bridge)).ok).toBe(true);
    expect(regionLayerNow(bridge)).toBe(LAYER);
    expect(asked()).toBe(2);
  });
});
