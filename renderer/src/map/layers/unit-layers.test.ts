import { describe, expect, it } from "vitest";
import { pixelSizes } from "../dev/pixel-sizes.js";
import type { IconAtlas } from "./icons.js";
import { buildUnitLayers, ShownUnitData, staffGlyphObstacles, UnitDeckData, type UnitLayerInput } from "./unit-layers.js";
import { HEADING_SIZE_PX, UNIT_RADIUS_PX } from "./units.js";
import { buildUnitRoster } from "./units.js";

// The atlas canvas is only handed to deck.gl's fetch, which building layers never calls.
const atlas: IconAtlas = { canvas: {} as HTMLCanvasElement, mapping: {} };
const deck = new UnitDeckData();
const shown = new ShownUnitData();
shown.sync(deck, { radii: new Float32Array(0), headingSizes: new Float32Array(0) });
const cluster = { position: [116.41, 39.91] as [number, number], count: 12, rank: 1, slots: [], bounds: [116.4, 39.9, 116.42, 39.92] as [number, number, number, number] };
const input = (pixelScale: number, zoom: number): UnitLayerInput => ({
  data: shown,
  version: 1,
  merged: { version: 3, clusters: [cluster] },
  roster: buildUnitRoster([]),
  rosterKey: "1",
  trails: null,
  sos: [{ slot: 0, position: [116.4, 39.9], label: "SOS 求助 张三" }],
  pulse: 0.25,
  selected: { position: [116.4, 39.9] },
  atlas,
  atlasKey: "zh-CN",
  zoom,
  pixelScale,
});

describe("staff layers at a pixel scale", () => {
  it.each([12, 13.5, 15])("doubles dots, glyphs, arrows, trails, merged glyphs, SOS marks and labels at scale 2 (zoom %d)", (zoom) => {
    const at1 = pixelSizes([...buildUnitLayers(input(1, zoom)).under, ...buildUnitLayers(input(1, zoom)).over]);
    const at2 = pixelSizes([...buildUnitLayers(input(2, zoom)).under, ...buildUnitLayers(input(2, zoom)).over]);
    expect(Object.keys(at2)).toEqual(Object.keys(at1));
    for (const [id, sizes] of Object.entries(at1)) expect(at2[id], id).toEqual(sizes.map((size) => size * 2));
  });

  it("scales the staff buffers through scale props, so a resize uploads no radius or size attribute", () => {
    const before = buildUnitLayers(input(1, 15)).under;
    const after = buildUnitLayers(input(2, 15)).under;
    expect(after.map((l) => l.id)).toEqual(before.map((l) => l.id));
    const bodies = after.find((layer) => layer.id === "unit-bodies");
    expect(bodies?.props.data).toBe(shown.bodies);
    expect(bodies?.props.updateTriggers).toEqual(before.find((layer) => layer.id === "unit-bodies")?.props.updateTriggers);
  });
});

describe("staff glyphs as obstacles for the area names", () => {
  // Slot 0 drawn alone with a heading, slot 1 merged into the glyph of 12 (radius 0), slot 2 alone without a heading.
  const merged = { clusters: [cluster], radii: Float32Array.of(UNIT_RADIUS_PX, 0, UNIT_RADIUS_PX), headingSizes: Float32Array.of(HEADING_SIZE_PX, 0, 0) };
  const positions = Float64Array.of(116.40, 39.90, 116.41, 39.91, 116.42, 39.92);

  it("lists every glyph drawn, at the size drawn: the merged one with its ring, the lone ones by the zoom's scale", () => {
    const far = staffGlyphObstacles(merged, positions, 12);
    // The glyph of 12 (15 px and its 3-px ring), and two small discs at 0.45 scale; the merged member is not listed.
    expect(far).toEqual([
      { position: cluster.position, radius: 15 + 4 },
      { position: [116.4, 39.9], radius: (UNIT_RADIUS_PX + 1) * 0.45 },
      { position: [116.42, 39.92], radius: (UNIT_RADIUS_PX + 1) * 0.45 },
    ]);
    // From zoom 14: the heading arrow (34 px) and the role icon (2.3 × the radius) are drawn.
    const near = staffGlyphObstacles(merged, positions, 14);
    expect(near[1]?.radius).toBe(HEADING_SIZE_PX / 2);
    expect(near[2]?.radius).toBeCloseTo((2.3 * UNIT_RADIUS_PX) / 2, 6);
  });

  it("lists only the glyphs in the names' box when one is given", () => {
    const merged = { radii: new Float32Array([UNIT_RADIUS_PX, UNIT_RADIUS_PX]), headingSizes: new Float32Array(2), clusters: [cluster] };
    const positions = new Float64Array([116.4, 39.9, 116.6, 40.1]);
    expect(staffGlyphObstacles(merged, positions, 12, [116.39, 39.89, 116.405, 39.905]).map((g) => g.position)).toEqual([[116.4, 39.9]]);
    expect(staffGlyphObstacles(merged, positions, 12, [116.39, 39.89, 116.5, 39.95]).map((g) => g.position)).toEqual([cluster.position, [116.4, 39.9]]);
  });
});
