import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

  it("validates and prepares the layer once, keeps it, and a restart on the same layer reads it back", () => {
    const layer = small();
    const first = new PreparedRegionLayer(layer, dir, log).get();
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.layer.district.code).toBe("110101");
    expect(first.layer.grids.length).toBeGreaterThan(0);
    for (const grid of first.layer.grids) expect(grid.labelAt).toHaveLength(2);
    expect(logged).toEqual(["prepared the region layer"]);
    const stored = statSync(join(dir, REGION_CACHE_FILE)).size;
    expect(stored).toBeGreaterThan(0);

    const again = new PreparedRegionLayer(structuredClone(layer), dir, log).get();
    expect(again).toEqual(first);
    // Read back, not imported again.
    expect(logged).toEqual(["prepared the region layer"]);
  });

  it("imports a changed layer again instead of reusing the kept one", () => {
    const layer = small();
    new PreparedRegionLayer(layer, dir, log).get();
    const fewer = { ...layer, features: layer.features.filter((f, i) => f.properties.level !== "grid" || i % 2 === 0) };
    const result = new PreparedRegionLayer(fewer, dir, log).get();
    expect(logged).toEqual(["prepared the region layer", "prepared the region layer"]);
    expect(result.ok && result.layer.grids.length).toBe(fewer.features.filter((f) => f.properties.level === "grid").length);
  });

  it("passes a broken layer's faults on, each naming its feature", () => {
    const layer = small();
    const grid = layer.features.find((f) => f.properties.level === "grid");
    if (!grid) throw new Error("no grid in the fixture");
    grid.properties.code = "12345";
    const result = new PreparedRegionLayer(layer, dir, log).get();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.some((e) => e.feature.includes("12345") && e.fault.includes("code"))).toBe(true);
    expect(new PreparedRegionLayer(null, dir, log).get()).toEqual({ ok: false, errors: [{ feature: "(layer)", fault: "is not a GeoJSON FeatureCollection" }] });
  });

  it("prepares again over a kept file that is torn", () => {
    writeFileSync(join(dir, REGION_CACHE_FILE), '{"format":1,"hash":"');
    const result = new PreparedRegionLayer(small(), dir, log).get();
    expect(result.ok).toBe(true);
    expect(logged).toEqual(["prepared the region layer"]);
  });
});
