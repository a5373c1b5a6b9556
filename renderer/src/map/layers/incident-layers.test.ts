import { describe, expect, it } from "vitest";
import { pixelSizes } from "../dev/pixel-sizes.js";
import type { IconAtlas } from "./icons.js";
import { buildIncidentLayers, labelObstacles, NO_LABEL_OBSTACLES, type IncidentLayerInput } from "./incident-layers.js";
import type { IncidentCluster, IncidentMarker } from "./incidents.js";

// The atlas canvas is only handed to deck.gl's fetch, which building layers never calls.
const atlas: IconAtlas = { canvas: {} as HTMLCanvasElement, mapping: {} };
const urgent: IncidentMarker = { id: "i1", position: [116.4, 39.9], priority: "urgent", status: "reported", overdue: true, pulsing: true, gridIndex: 0 };
const normal: IncidentMarker = { ...urgent, id: "i2", priority: "normal", pulsing: false };
const cluster: IncidentCluster = { code: "s1", name: "街道", position: [116.4, 39.9], count: 9, urgent: 1, overdue: 2, worst: "urgent" };
const input = (pixelScale: number, zoom: number): IncidentLayerInput => ({
  markers: [normal, urgent],
  clusters: [cluster],
  pulsing: [urgent],
  pulse: 0.5,
  selected: urgent,
  atlas,
  atlasKey: "zh-CN",
  overdueWord: "超",
  zoom,
  pixelScale,
});

describe("incident layers at a pixel scale", () => {
  it.each([12, 16])("doubles every marker, ring, count label and its badge offset at scale 2 (zoom %d)", (zoom) => {
    const at1 = pixelSizes(buildIncidentLayers(input(1, zoom)));
    const at2 = pixelSizes(buildIncidentLayers(input(2, zoom)));
    expect(Object.keys(at2)).toEqual(Object.keys(at1));
    for (const [id, sizes] of Object.entries(at1)) expect(at2[id], id).toEqual(sizes.map((size) => size * 2));
  });

  it("recomputes the overdue badge offset (a function of the count) when the scale changes", () => {
    const badge = buildIncidentLayers(input(2, 12)).find((layer) => layer.id === "incident-cluster-overdue");
    expect(badge?.props.updateTriggers).toMatchObject({ getPixelOffset: 2 });
  });
});

describe("what area names keep clear of", () => {
  it("is each count circle with its badge and each urgent case drawn on its own, and nothing once every case has its marker", () => {
    const { obstacles, counts } = labelObstacles([cluster], [normal, urgent], "street");
    expect(obstacles).toEqual([
      { code: "s1", position: cluster.position, radius: 13 + 4 * 3, badge: true },
      { code: "case:i1", position: urgent.position, radius: 20, badge: false },
    ]);
    expect(counts.get("s1")).toBe(9);
    expect(labelObstacles([cluster], [normal, urgent], "markers")).toBe(NO_LABEL_OBSTACLES);
  });
});
