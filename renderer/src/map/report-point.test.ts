import { describe, expect, it } from "vitest";
import { keepPointInView } from "./report-point.js";
import type { Camera } from "./viewport.js";

const view: Camera = { longitude: 116.4, latitude: 39.9, zoom: 14, pitch: 0, bearing: 0 };

describe("keepPointInView", () => {
  it("leaves the map where it is when the point is seen beside the drawer", () => {
    // Left of the centre, and the drawer covers the right 400 of 1000 px.
    expect(keepPointInView({ lon: 116.398, lat: 39.9 }, view, 1000, 800, 400)).toBeNull();
  });

  it("brings a point under the drawer to the middle of the uncovered part, at the same zoom", () => {
    const moved = keepPointInView({ lon: 116.41, lat: 39.9 }, view, 1000, 800, 400);
    expect(moved?.zoom).toBe(14);
    expect(moved?.latitude).toBeCloseTo(39.9, 6);
    // The centre lies east of the point by half the covered width: the point sits 200 px left of the centre.
    expect(moved?.longitude).toBeGreaterThan(116.41);
    const again = keepPointInView({ lon: 116.41, lat: 39.9 }, moved ?? view, 1000, 800, 400);
    expect(again).toBeNull();
  });

  it("zooms to street level for a point the form asks to focus, even one already seen", () => {
    const moved = keepPointInView({ lon: 116.398, lat: 39.9, focus: true }, view, 1000, 800, 400);
    expect(moved?.zoom).toBe(16);
    expect(keepPointInView({ lon: 116.398, lat: 39.9, focus: true }, { ...view, zoom: 17 }, 1000, 800, 400)?.zoom).toBe(17);
  });

  it("does nothing before the map has a size", () => {
    expect(keepPointInView({ lon: 116.41, lat: 39.9 }, view, 0, 0, 400)).toBeNull();
  });
});
