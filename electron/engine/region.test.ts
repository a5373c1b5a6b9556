import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { longRingLayer } from "../../shared/geo/fixtures/long-rings.js";
import type { RegionFeatureCollection } from "../../shared/geo/geojson.js";
import { PreparedRegionLayer, REGION_CACHE_FILE } from "./region.js";

const dongcheng = (): RegionFeatureCollection =>
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "resources", "region", "dongcheng.geojson"), "utf8")) as RegionFeatureCollection;
/** One street of Dongcheng and the district: small enough to import many times. */
const small = (): RegionFeatureCollection => {
  const base = dongcheng();
  return { type: "FeatureCollection", features: base.features.filter((f) => f.properties.level === "district" || f.properties.code.startsWith("110101009")) };
};

describe("prepared region layer", () => {
  let dir: string;
  const logged: string[] = [];
  const log = (_level: string, message: string) => void logged.push(message);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "region-"));
    logged.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("validates and prepares the layer once, in a worker, keeps it, and a restart on the same layer reads it back", async () => {
    const layer = small();
    const prepared = new PreparedRegionLayer(layer, dir, log);
    const first = await prepared.get();
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.errors).toEqual([]);
    expect(first.layer.district.code).toBe("110101");
    expect(first.layer.grids.length).toBeGreaterThan(0);
    for (const grid of first.layer.grids) expect(grid.labelAt).toHaveLength(2);
    expect(logged).toEqual(["prepared the region layer"]);
    expect(await prepared.get()).toBe(first);
    const stored = statSync(join(dir, REGION_CACHE_FILE)).size;
    expect(stored).toBeGreaterThan(0);

    const again = await new PreparedRegionLayer(structuredClone(layer), dir, log).get();
    expect(again).toEqual(first);
    // Read back, not imported again.
    expect(logged).toEqual(["prepared the region layer"]);
  });

  it("imports a changed layer again instead of reusing the kept one", async () => {
    const layer = small();
    await new PreparedRegionLayer(layer, dir, log).get();
    const fewer = { ...layer, features: layer.features.filter((f, i) => f.properties.level !== "grid" || i % 2 === 0) };
    const result = await new PreparedRegionLayer(fewer, dir, log).get();
    expect(logged).toEqual(["prepared the region layer", "prepared the region layer"]);
    expect(result.ok && result.layer.grids.length).toBe(fewer.features.filter((f) => f.properties.level === "grid").length);
  });

  it("passes a layer's faults on with their codes, drawing what it can, and logs them in English", async () => {
    const layer = small();
    const grid = layer.features.find((f) => f.properties.level === "grid");
    if (!grid) throw new Error("no grid in the fixture");
    grid.properties.code = "12345";
    const result = await new PreparedRegionLayer(layer, dir, log).get();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.layer.grids).toHaveLength(33);
    expect(result.errors).toEqual([expect.objectContaining({ areaCode: "12345", code: "badCode", params: { code: "12345", digits: 15, level: "grid" }, omitted: true })]);
    expect(logged).toContain(`region layer: ${result.errors[0]?.feature}: code "12345" is not a 15-digit grid code`);
    expect(await new PreparedRegionLayer(null, dir, log).get()).toEqual({ ok: false, errors: [{ feature: "(layer)", fault: "is not a GeoJSON FeatureCollection", code: "notFeatureCollection", params: {} }] });
  });

  it("has the worker read the layer's own file when it has one, with the same result, and reads the kept one back on the next start", async () => {
    const layer = small();
    const file = join(dir, "layer.geojson");
    writeFileSync(file, JSON.stringify(layer));
    const apart = join(dir, "apart");
    mkdirSync(apart);
    const fromObject = await new PreparedRegionLayer(layer, apart, log).get();
    logged.length = 0;
    const fromFile = await new PreparedRegionLayer(layer, dir, log, file).get();
    expect(fromFile).toEqual(fromObject);
    expect(await new PreparedRegionLayer(layer, dir, log, file).get()).toEqual(fromFile);
    expect(logged).toEqual(["prepared the region layer"]);
  });

  it("prepares again over a kept file that is torn", async () => {
    writeFileSync(join(dir, REGION_CACHE_FILE), '{"format":2,"hash":"');
    const result = await new PreparedRegionLayer(small(), dir, log).get();
    expect(result.ok).toBe(true);
    expect(logged).toEqual(["prepared the region layer"]);
  });

  it("answers the engine's stop while a worker is under way, and a later ask prepares again", async () => {
    const prepared = new PreparedRegionLayer(longRingLayer(2, 5_000), dir, log);
    const first = prepared.get();
    await prepared.close();
    await expect(first).rejects.toThrow(/region worker ended/);
    const again = await prepared.get();
    expect(again.ok && again.layer.grids).toHaveLength(2);
  });
});
