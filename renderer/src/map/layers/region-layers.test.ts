import { describe, expect, it } from "vitest";
import { pixelSizes } from "../dev/pixel-sizes.js";
import { syntheticRegion } from "../dev/synthetic.js";
import { METRIC_PALETTES } from "./choropleth.js";
import { labelObstacles, NO_LABEL_OBSTACLES } from "./incident-layers.js";
import { incidentDetail } from "./incidents.js";
import { prepareRegion } from "./region.js";
import { buildRegionLayers, gridsInSelection, obstacleSignature, regionDeckData, type RegionLayerInput } from "./region-layers.js";

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
  obstacles: NO_LABEL_OBSTACLES,
});
const all = (layers: ReturnType<typeof buildRegionLayers>) => [...layers.base, ...layers.labels];

describe("region layers at a pixel scale", () => {
  it.each([12, 14, 16.5])("doubles every label size, line width and label lift at scale 2 (zoom %d)", (zoom) => {
    // A case count at the first street's label point, so that its name is placed clear of it.
    const first = region.streets.areas[0];
    const clusters = first ? [{ code: first.code, name: first.name, position: first.labelAt, count: 9, urgent: 0, overdue: 1, worst: "high" as const }] : [];
    const obstacles = labelObstacles(clusters, [], incidentDetail(zoom));
    // What is drawn: a hidden level keeps the names it last showed, at whatever scale they were placed for.
    const drawn = (layers: ReturnType<typeof buildRegionLayers>) => all(layers).filter((layer) => layer.props.visible !== false);
    const at1 = pixelSizes(drawn(buildRegionLayers({ ...input(1, zoom), obstacles })));
    const at2 = pixelSizes(drawn(buildRegionLayers({ ...input(2, zoom), obstacles })));
    if (zoom < 14.3) expect(at1["street-labels"]?.some((size) => size < 0), "the first name lifted above its count").toBe(true);
    expect(Object.keys(at2)).toEqual(Object.keys(at1));
    for (const [id, sizes] of Object.entries(at1)) expect(at2[id], id).toEqual(sizes.map((size) => size * 2));
  });

  it("keeps layer ids and the tessellated data objects when only the scale changes", () => {
    // Made again: the selection's few rings, and the names, placed again for their new size (text laid out, nothing tessellated).
    const NEW_EACH_SCALE = new Set(["selection-outline", "street-labels", "community-labels"]);
    const before = all(buildRegionLayers(input(1)));
    const after = all(buildRegionLayers(input(1.5)));
    expect(after.map((l) => l.id)).toEqual(before.map((l) => l.id));
    // The selection outline is a few rings made on every build; the rest is the prepared region's, tessellated once.
    after.forEach((layer, i) => {
      if (!NEW_EACH_SCALE.has(layer.id)) expect(layer.props.data, layer.id).toBe(before[i]?.props.data);
    });
  });

  it("gives the levels not yet shown no data, and keeps a level's data once it has been shown", () => {
    const fresh = regionDeckData(region);
    const build = (zoom: number) => {
      const layers = all(buildRegionLayers({ ...input(1, zoom), data: fresh, selectedArea: null }));
      return Object.fromEntries(layers.map((layer) => [layer.id, layer.props.data]));
    };
    const district = build(12);
    expect(district["grid-fill"]).toBe(fresh.gridFill);
    expect(district["street-outline"]).toBe(fresh.outlines.street);
    expect((district["street-labels"] as { code: string }[]).map((label) => label.code)).toEqual(fresh.labels.street.map((label) => label.code));
    for (const id of ["grid-outline", "community-outline", "community-labels", "grid-labels"]) expect((district[id] as { length: number }).length, id).toBe(0);
    const grids = build(16.5);
    expect(grids["grid-outline"]).toBe(fresh.outlines.grid);
    expect(grids["community-outline"]).toBe(fresh.outlines.community);
    expect(grids["grid-labels"]).toBe(fresh.labels.grid);
    expect((grids["community-labels"] as { length: number }).length).toBe(0);
    const back = build(12);
    expect(back["grid-outline"]).toBe(fresh.outlines.grid);
    expect(back["grid-labels"]).toBe(fresh.labels.grid);
    expect(back["community-outline"]).toBe(fresh.outlines.community);
    // Names shown once and hidden again keep their placed data: nothing new for deck.gl to lay out while hidden.
    const communities = build(15)["community-labels"];
    expect((communities as { code: string }[]).map((label) => label.code)).toEqual(fresh.labels.community.map((label) => label.code));
    expect(build(12)["community-labels"]).toBe(communities);
  });
});

describe("names placed again only when the circles in their box change", () => {
  const inBox = { code: "s1", name: "一", position: [116.40, 39.90] as [number, number], count: 4, urgent: 0, overdue: 0, worst: "normal" as const };
  const elsewhere = { ...inBox, code: "s2", position: [116.90, 40.30] as [number, number] };
  const box = [116.3, 39.8, 116.5, 40.0] as const;

  it("a case delta outside the box, or one that changes no circle, keeps the checksum; one inside changes it", () => {
    const before = obstacleSignature(labelObstacles([inBox, elsewhere], [], "street"), box);
    expect(obstacleSignature(labelObstacles([inBox, { ...elsewhere, count: 40 }], [], "street"), box)).toBe(before);
    expect(obstacleSignature(labelObstacles([inBox, elsewhere], [], "street"), box)).toBe(before);
    expect(obstacleSignature(labelObstacles([{ ...inBox, count: 5 }, elsewhere], [], "street"), box)).not.toBe(before);
    expect(obstacleSignature(labelObstacles([{ ...inBox, overdue: 1 }, elsewhere], [], "street"), box)).not.toBe(before);
    expect(obstacleSignature(labelObstacles([inBox, { ...elsewhere, count: 40 }], [], "street"), null)).not.toBe(obstacleSignature(labelObstacles([inBox, elsewhere], [], "street"), null));
  });

  it("keeps the placed names' array through new obstacles that change nothing in the box", () => {
    const street = region.streets.areas[0];
    if (!street) throw new Error("no street");
    const near = { ...inBox, code: street.code, position: street.labelAt };
    const scope = [street.labelAt[0] - 0.05, street.labelAt[1] - 0.05, street.labelAt[0] + 0.05, street.labelAt[1] + 0.05] as const;
    const names = (obstacles: RegionLayerInput["obstacles"]) => {
      const layer = buildRegionLayers({ ...input(1, 12), obstacles, scope }).labels.find((l) => l.id === "street-labels");
      return layer?.props.data as { code: string }[];
    };
    const first = names(labelObstacles([near, elsewhere], [], "street"));
    expect(first.map((n) => n.code)).toContain(street.code);
    expect(names(labelObstacles([near, { ...elsewhere, count: 99 }], [], "street"))).toBe(first);
  });
});
