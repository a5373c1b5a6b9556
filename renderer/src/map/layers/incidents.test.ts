import { describe, expect, it } from "vitest";
import type { IncidentView } from "../../../../shared/bridge/contract.js";
import { syntheticRegion } from "../dev/synthetic.js";
import { indexCategories } from "../../../../shared/domain/deadlines.js";
import { markerTable } from "../../../../shared/domain/fixtures/marker-table.js";
import { caseMarker, NEW_URGENT_MS } from "../../../../shared/domain/incident-markers.js";
import { clusterIncidents, incidentDetail, markersOf } from "./incidents.js";
import { prepareRegion } from "./region.js";

const NOW = Date.parse("2026-11-23T10:00:00+08:00");
const region = prepareRegion(syntheticRegion({ streets: [2, 1], communities: [2, 1], grids: [2, 1] }));
const gridCode = (i: number) => region.grids.areas[i]!.code;
const incident = (id: string, over: Partial<IncidentView> = {}): IncidentView => ({
  id, version: 1, title: id, category: { code: "c", major: "m", minor: "n" }, priority: "normal", status: "dispatched", source: "patrol",
  lon: 116.39, lat: 39.87, gridCode: gridCode(0), reworkCount: 0, createdAt: new Date(NOW - 3600_000).toISOString(), updatedAt: new Date(NOW).toISOString(), ...over,
});
type Input = { now: number; locate?: (lon: number, lat: number) => number };
const input: Input = { now: NOW };
const NO_CATEGORIES = indexCategories([]);

/** The map's markers of `cases` as the engine would send them (a case whose id says "late" is overdue), read back as the page does. */
function buildIncidentMarkers(cases: IncidentView[], { now, locate }: Input) {
  const markers = cases.flatMap((c) => {
    const marker = caseMarker(c, NO_CATEGORIES, now, region.grids.indexByCode, region.grids.areas.length, locate);
    return marker ? [{ ...marker, overdue: c.id.includes("late") }] : [];
  });
  return markersOf(markerTable(markers), true, () => -1);
}

describe("incident markers", () => {
  it("draws open cases only, urgent ones last so they sit on top", () => {
    const markers = buildIncidentMarkers([incident("u", { priority: "urgent" }), incident("l", { priority: "low" }), incident("c", { status: "closed" }), incident("h", { priority: "high" })], input);
    expect(markers.map((m) => m.id)).toEqual(["l", "h", "u"]);
  });

  it("finds the grid of a case whose grid code the layer lacks from where it lies", () => {
    const [marker] = buildIncidentMarkers([incident("g", { gridCode: "unknown", lon: 1, lat: 2 })], { ...input, locate: (lon, lat) => (lon === 1 && lat === 2 ? 5 : -1) });
    expect(marker?.position).toEqual([1, 2]);
    expect(marker?.gridIndex).toBe(5);
  });

  it("pulses urgent cases only while they are new and not yet registered", () => {
    const markers = buildIncidentMarkers([
      incident("fresh", { priority: "urgent", status: "reported", createdAt: new Date(NOW - 60_000).toISOString() }),
      incident("old", { priority: "urgent", status: "reported", createdAt: new Date(NOW - NEW_URGENT_MS - 1).toISOString() }),
      incident("taken", { priority: "urgent", status: "registered", createdAt: new Date(NOW - 60_000).toISOString() }),
      incident("minor", { priority: "high", status: "reported", createdAt: new Date(NOW - 60_000).toISOString() }),
    ], input);
    expect(markers.filter((m) => m.pulsing).map((m) => m.id)).toEqual(["fresh"]);
  });

  it("counts cases per street with urgent and overdue tallies and the worst priority", () => {
    const inOtherStreet = region.gridStreet.findIndex((s) => s === 1);
    const markers = buildIncidentMarkers([
      incident("a"), incident("b-late", { priority: "urgent" }), incident("c", { gridCode: gridCode(inOtherStreet) }), incident("d", { gridCode: "unknown" }),
    ], input);
    const clusters = clusterIncidents(markers, region, "street");
    const first = clusters.find((c) => c.code === region.streets.areas[0]!.code);
    expect(first).toMatchObject({ count: 2, urgent: 1, overdue: 1, worst: "urgent" });
    expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(3);
  });

  it("switches from street counts to community counts to markers as the map zooms in", () => {
    expect([12, 14, 16].map(incidentDetail)).toEqual(["street", "community", "markers"]);
  });
});
