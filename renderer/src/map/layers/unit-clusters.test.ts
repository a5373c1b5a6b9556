import { describe, expect, it } from "vitest";
import { projectX, projectY, separatingZoom, UnitClusterIndex, type ClusterSource } from "./unit-clusters.js";
import { HEADING_SIZE_PX, UNIT_COLORS, UNIT_RADIUS_PX } from "./units.js";

type Look = "patrol" | "busy" | "stale" | "sos" | "hidden";
const COLORS = { patrol: UNIT_COLORS.onPatrol, busy: UNIT_COLORS.busy, stale: UNIT_COLORS.stale, sos: UNIT_COLORS.sos, hidden: [0, 0, 0, 0] } as const;

function source(units: [lon: number, lat: number, look: Look][]): ClusterSource {
  const positions = new Float64Array(units.length * 2);
  const radii = new Float32Array(units.length);
  const headingSizes = new Float32Array(units.length);
  const fillColors = new Uint8Array(units.length * 4);
  units.forEach(([lon, lat, look], slot) => {
    if (look === "hidden") return;
    positions.set([lon, lat], slot * 2);
    radii[slot] = UNIT_RADIUS_PX;
    headingSizes[slot] = HEADING_SIZE_PX;
    fillColors.set(COLORS[look], slot * 4);
  });
  return { length: units.length, positions, radii, headingSizes, fillColors };
}

/** A deterministic scatter (an LCG), dense in places like staff at a street office. */
function scatter(count: number, seed: number): [number, number, Look][] {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const looks: Look[] = ["patrol", "patrol", "busy", "stale", "hidden", "sos"];
  return Array.from({ length: count }, () => {
    const hub = Math.floor(next() * 6);
    const spread = hub === 0 ? 0.0004 : 0.03;
    return [116.39 + hub * 0.01 + (next() - 0.5) * spread, 39.91 + (next() - 0.5) * spread, looks[Math.floor(next() * looks.length)] as Look];
  });
}

/** Every glyph drawn at `zoom`, in screen pixels: units alone and merged glyphs. */
function drawn(src: ClusterSource, merged: ReturnType<UnitClusterIndex["merge"]>, zoom: number): [number, number][] {
  const scale = 2 ** zoom;
  const points: [number, number][] = merged.clusters.map((c) => [projectX(c.position[0]) * scale, projectY(c.position[1]) * scale]);
  for (let slot = 0; slot < src.length; slot++) {
    if ((merged.radii[slot] as number) > 0) points.push([projectX(src.positions[slot * 2] as number) * scale, projectY(src.positions[slot * 2 + 1] as number) * scale]);
  }
  return points;
}

describe("merged staff glyphs", () => {
  it.each([11, 12.5, 14, 16, 18])("no two glyphs drawn at zoom %s are closer than the separation, and the counts add up to the staff shown", (zoom) => {
    const units = scatter(3000, 7 + zoom);
    const src = source(units);
    const separation = 36;
    const merged = new UnitClusterIndex().merge(src, zoom, separation);
    const points = drawn(src, merged, zoom);
    expect(points.length).toBe(merged.glyphs);
    let closest = Infinity;
    for (let i = 0; i < points.length; i++) {
      const [ax, ay] = points[i] as [number, number];
      for (let j = i + 1; j < points.length; j++) {
        const [bx, by] = points[j] as [number, number];
        closest = Math.min(closest, Math.hypot(ax - bx, ay - by));
      }
    }
    expect(closest).toBeGreaterThanOrEqual(separation * (1 - 1e-9));
    expect(merged.clusters.length).toBeGreaterThan(0);
    const alone = [...merged.radii.subarray(0, src.length)].filter((r) => r > 0).length;
    const inClusters = merged.clusters.reduce((sum, c) => sum + c.count, 0);
    expect(alone + inClusters).toBe(units.filter(([, , look]) => look !== "hidden").length);
    // Each unit is in one glyph only.
    const slots = merged.clusters.flatMap((c) => c.slots);
    expect(new Set(slots).size).toBe(slots.length);
    for (const slot of slots) expect(merged.radii[slot]).toBe(0);
  });

  it("separates staff as the map zooms in: fewer merged glyphs at each deeper level, none at street level for staff 50 m apart", () => {
    const units: [number, number, Look][] = Array.from({ length: 20 }, (_, i) => [116.4 + (i % 5) * 0.0006, 39.91 + Math.floor(i / 5) * 0.00045, "patrol"]);
    const index = new UnitClusterIndex();
    const glyphsAt = (zoom: number) => index.merge(source(units), zoom, 36).glyphs;
    expect(glyphsAt(12)).toBe(1);
    expect(glyphsAt(15)).toBeGreaterThan(glyphsAt(12));
    expect(glyphsAt(18)).toBe(20);
    expect(index.merge(source(units), 18, 36).clusters).toEqual([]);
  });

  it("keeps a lone unit's size and heading, and gives a merged glyph the most urgent look of its members", () => {
    const merged = new UnitClusterIndex().merge(
      source([
        [116.4, 39.91, "patrol"],
        [116.40001, 39.91, "busy"],
        [116.40002, 39.91, "sos"],
        [116.5, 39.95, "stale"],
      ]),
      14,
      36,
    );
    expect(merged.clusters).toHaveLength(1);
    expect(merged.clusters[0]).toMatchObject({ count: 3, rank: 3, slots: [0, 1, 2] });
    expect([...merged.radii]).toEqual([0, 0, 0, UNIT_RADIUS_PX]);
    expect([...merged.headingSizes]).toEqual([0, 0, 0, HEADING_SIZE_PX]);
  });

  it("a click on a merged glyph zooms in at least a level, far enough to spread its members over a quarter of the map", () => {
    const merged = new UnitClusterIndex().merge(source([[116.4, 39.91, "patrol"], [116.401, 39.91, "patrol"]]), 12, 36);
    const cluster = merged.clusters[0];
    if (!cluster) throw new Error("expected one merged glyph");
    const zoom = separatingZoom(cluster, 12, 1200, 800, 20);
    const spread = (projectX(116.401) - projectX(116.4)) * 2 ** zoom;
    expect(zoom).toBeGreaterThanOrEqual(13);
    expect(spread).toBeCloseTo(200, 0);
    expect(new UnitClusterIndex().merge(source([[116.4, 39.91, "patrol"], [116.401, 39.91, "patrol"]]), zoom, 36).clusters).toEqual([]);
    // Staff on the same spot never come apart: the deepest zoom, not beyond.
    const together = new UnitClusterIndex().merge(source([[116.4, 39.91, "patrol"], [116.4, 39.91, "busy"]]), 12, 36).clusters[0];
    if (!together) throw new Error("expected one merged glyph");
    expect(separatingZoom(together, 12, 1200, 800, 20)).toBe(20);
  });
});
