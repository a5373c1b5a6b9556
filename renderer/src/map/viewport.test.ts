import { WebMercatorViewport } from "@deck.gl/core";
import { describe, expect, it } from "vitest";
import { centreOn, fitBBox, visibleBounds } from "./viewport.js";

describe("camera", () => {
  it("fits a box so that a smaller box gets a closer zoom, centred on it", () => {
    const district = fitBBox([116.37, 39.85, 116.45, 39.97], 1000, 800);
    const street = fitBBox([116.40, 39.90, 116.42, 39.92], 1000, 800);
    expect(street.zoom).toBeGreaterThan(district.zoom + 1.5);
    expect(district.longitude).toBeCloseTo(116.41, 2);
    expect(street.latitude).toBeCloseTo(39.91, 2);
  });

  it("caps the zoom for a box that is a single point", () => {
    expect(fitBBox([116.4, 39.9, 116.4, 39.9], 1000, 800).zoom).toBeLessThanOrEqual(17.5);
  });

  it("keeps a box clear of a panel along the top when asked for more room there", () => {
    const width = 1000;
    const height = 800;
    const box: [number, number, number, number] = [116.40, 39.90, 116.42, 39.92];
    const camera = fitBBox(box, width, height, { top: 300, bottom: 40, left: 40, right: 40 });
    const viewport = new WebMercatorViewport({ ...camera, width, height });
    const [, north] = viewport.project([116.41, 39.92]);
    const [, south] = viewport.project([116.41, 39.90]);
    expect(north).toBeGreaterThanOrEqual(300 - 1e-6);
    expect(south).toBeLessThanOrEqual(height - 40 + 1e-6);
  });

  it("centres on a point without zooming out", () => {
    expect(centreOn(116.4, 39.9, 17.2)).toMatchObject({ longitude: 116.4, latitude: 39.9, zoom: 17.2 });
    expect(centreOn(116.4, 39.9, 12).zoom).toBe(16);
  });

  it("puts the point in the middle of the part of the map a panel on the right leaves uncovered", () => {
    const width = 940;
    const covered = 560;
    const camera = centreOn(116.4, 39.9, 12, 16, covered);
    const [x, y] = new WebMercatorViewport({ ...camera, width, height: 600 }).project([116.4, 39.9]);
    expect(x).toBeCloseTo((width - covered) / 2, 6);
    expect(y).toBeCloseTo(300, 6);
  });
});

describe("visible bounds", () => {
  it("contains the view's centre, grows with the margin and is unknown before the map has a size", () => {
    const view = { longitude: 116.4, latitude: 39.9, zoom: 15 };
    const [w, s, e, n] = visibleBounds(view, 1000, 800, 0) ?? [0, 0, 0, 0];
    expect(w).toBeLessThan(116.4);
    expect(e).toBeGreaterThan(116.4);
    expect(s).toBeLessThan(39.9);
    expect(n).toBeGreaterThan(39.9);
    const wide = visibleBounds(view, 1000, 800, 0.5) ?? [0, 0, 0, 0];
    expect(wide[2] - wide[0]).toBeCloseTo(2 * (e - w), 6);
    expect(visibleBounds(view, 0, 800)).toBeNull();
  });
});
