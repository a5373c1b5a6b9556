import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wgs84, wgs84ToGcj02 } from "../../shared/geo/coords.js";
import type { Command, Fix, Incident } from "../../shared/protocol/types.js";
import { CoverageCounter, gridAreas } from "./coverage.js";
import { feedSpace } from "./feed-space.js";
import { makeIncident } from "./testing/mini-feed.js";

/* GCJ-02 converted where it enters the engine: every computation then works in the grid layer's WGS84. */

const LAYER = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "..", "resources", "region", "dongcheng.geojson"), "utf8")) as unknown;
const space = feedSpace("gcj02");
const asGcj = (lon: number, lat: number) => wgs84ToGcj02(wgs84(lon, lat));

describe("the feed's coordinate space", () => {
  it("gives back the WGS84 point of a published pair (天安门: GCJ-02 116.397545, 39.908593 is WGS84 116.391305, 39.907188)", () => {
    const incident = space.incident(makeIncident("A", 1, { lon: 116.397545, lat: 39.908593 }));
    expect(Math.abs(incident.lon - 116.391305)).toBeLessThan(1e-5);
    expect(Math.abs(incident.lat - 39.907188)).toBeLessThan(1e-5);
  });

  it("puts every grid's centre, sent in GCJ-02, back in its own grid (raw, none of them would be)", () => {
    const grids = gridAreas(LAYER);
    const counter = new CoverageCounter(LAYER);
    expect(grids.length).toBeGreaterThan(500);
    let home = 0;
    let homeRaw = 0;
    for (const grid of grids) {
      // A point surely inside: the layer's label point is the bbox centre, which a concave grid may not hold.
      const [lon, lat] = grid.labelAt;
      if (counter.locate(lon, lat, undefined) !== grid.code) continue;
      const [gLon, gLat] = asGcj(lon, lat);
      const fix: Fix = ["U1", gLon, gLat, 0, null, null, 10];
      const [back] = space.fixes([fix]);
      if (counter.locate(back![1], back![2], undefined) === grid.code) home++;
      if (counter.locate(gLon, gLat, undefined) === grid.code) homeRaw++;
    }
    expect(home).toBeGreaterThan(500);
    expect(homeRaw).toBeLessThan(home / 10);
    for (const grid of grids) {
      const [lon, lat] = grid.labelAt;
      const [gLon, gLat] = asGcj(lon, lat);
      const [back] = space.fixes([["U1", gLon, gLat, 0, null, null, 10]]);
      expect(Math.abs(back![1] - lon) + Math.abs(back![2] - lat)).toBeLessThan(1e-7);
    }
  });

  it("converts cases, staff, alerts and deltas in, and a phone-in report's point out", () => {
    const [lon, lat] = asGcj(116.41, 39.92);
    const incident: Incident = makeIncident("A", 1, { lon, lat });
    const [event] = space.events([{ type: "incident.upsert", incident }]);
    expect(event?.type === "incident.upsert" && event.incident.lon).toBeCloseTo(116.41, 7);
    const unit = space.unit({ id: "U", name: "n", role: "grid_manager", gridCode: "g", status: "on_patrol", lastFix: { lon, lat, at: 0 } });
    expect(unit.lastFix?.lat).toBeCloseTo(39.92, 7);
    expect(space.alert({ id: "a", at: "2026-12-06T09:00:00+08:00", level: "critical", title: "SOS", lon, lat }).lon).toBeCloseTo(116.41, 7);
    const report = { commandId: "c", type: "report", issuedAt: "2026-12-06T09:00:00+08:00", operator: { id: "o", name: "n" }, payload: { clientRef: "r", title: "t", categoryCode: "0101", priority: "normal", lon: 116.41, lat: 39.92 } } as Command;
    const out = space.commandOut(report);
    expect(out.type === "report" && [out.payload.lon, out.payload.lat]).toEqual([lon, lat]);
    expect(feedSpace("wgs84").incident(incident)).toBe(incident);
  });
});
