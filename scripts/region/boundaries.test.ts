import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAreaGeometry } from "../../shared/geo/validate-geometry.js";
import { districtShapes } from "./boundaries.js";
import { planarArea } from "./cut.js";

const text = readFileSync(join(import.meta.dirname, "..", "..", "resources", "data", "beijing-districts.geojson"), "utf8");

type SourceFeature = { properties: { code: string }; geometry: { type: string; coordinates: [number, number][][] } };

describe("districtShapes", () => {
  it("repairs Dongcheng's ring, which touches itself, into one simple ring of the same area", () => {
    const source = (JSON.parse(text) as { features: SourceFeature[] }).features.find((f) => f.properties.code === "110101");
    const raw = source?.geometry.coordinates[0] ?? [];
    const key = (p: [number, number]): string => `${p[0]},${p[1]}`;
    const repeated = raw.slice(0, -1).filter((p, i, all) => all.findIndex((q) => key(q) === key(p)) !== i);
    expect(repeated.length).toBeGreaterThan(0);

    const shape = districtShapes(text, "110101").get("110101") ?? [];
    expect(shape).toHaveLength(1);
    expect(shape[0]).toHaveLength(1);
    const ring = shape[0]?.[0] ?? [];
    expect(new Set(ring.slice(0, -1).map(key)).size).toBe(ring.length - 1);
    expect(checkAreaGeometry({ type: "Polygon", coordinates: [ring] })).toMatchObject({ ok: true });
    // Rounding to 6 decimals moves the area by under 1e-6.
    expect(planarArea(shape) / planarArea([[raw]])).toBeCloseTo(1, 5);
  });

  it("reads all 16 districts, each as valid polygons", () => {
    const shapes = districtShapes(text);
    expect([...shapes.keys()].sort()).toHaveLength(16);
    for (const [code, shape] of shapes) expect(checkAreaGeometry({ type: "MultiPolygon", coordinates: shape }), code).toMatchObject({ ok: true });
  });
});
