import { describe, expect, it } from "vitest";
import { pixelSizes } from "../dev/pixel-sizes.js";
import { syntheticRegion } from "../dev/synthetic.js";
import { METRIC_PALETTES } from "./choropleth.js";
import { prepareRegion } from "./region.js";
import { buildRegionLayers, gridsInSelection, regionDeckData, type RegionLayerInput } from "./region-layers.js";

const region = prepareRegion(syntheticRegion({ streets: [2, 1], communities: [2, 1], grids: [2, 1] }));
const data = regionDeckData(region);
const input = (pixelScale: number, zoom = 12): RegionLayerInput => ({
  region,
  data,
  gridClasses: new Uint8Array(region.grids.areas.length),
  palette: METRIC_PALETTES.open,
  inSelection: gridsInSelection(region, null),
  colorKey: "open",
  selectedArea: region.streets.areas[0] ?? null,
  zoom,
  pixelScale,
});
const all = (layers: ReturnType<typeof buildRegionLayers>) => [...layers.base, ...layers.labels];

describe("region layers at a pixel scale", () => {
  it.each([12, 14, 16.5])("doubles every label size, line width and label lift at scale 2 (zoom %d)", (zoom) => {
    const at1 = pixelSizes(all(buildRegionLayers(input(1, zoom))));
    const at2 = pixelSizes(all(buildRegionLayers(input(2, zoom))));
    expect(Object.keys(at2)).toEqual(Object.keys(at1));
    for (const [id, sizes] of Object.entries(at1)) expect(at2[id], id).toEqual(sizes.map((size) => size * 2));
  });

  it("keeps layer ids and the tessellated data objects when only the scale changes", () => {
    const before = all(buildRegionLayers(input(1)));
    const after = all(buildRegionLayers(input(1.5)));
    expect(after.map((l) => l.id)).toEqual(before.map((l) => l.id));
    // The selection outline is a few rings made on every build; the rest is the prepared region's, tessellated once.
    after.forEach((layer, i) => {
      if (layer.id !== "selection-outline") expect(layer.props.data, layer.id).toBe(before[i]?.props.data);
    });
  });
});
