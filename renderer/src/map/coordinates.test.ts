import { describe, expect, it } from "vitest";
import { wgs84, wgs84ToGcj02 } from "../../../shared/geo/coords.js";
import { haversineMeters } from "../../../shared/geo/distance.js";
import { Gcj02Positions, toWgs84 } from "./coordinates.js";

const TIANANMEN = wgs84(116.3912757, 39.9064);

describe("GCJ-02 feed positions", () => {
  it("puts a GCJ-02 point back within a decimetre of its WGS84 original", () => {
    const shifted = wgs84ToGcj02(TIANANMEN);
    expect(haversineMeters(shifted[0], shifted[1], TIANANMEN[0], TIANANMEN[1])).toBeGreaterThan(100);
    const [lon, lat] = toWgs84(shifted[0], shifted[1]);
    expect(haversineMeters(lon, lat, TIANANMEN[0], TIANANMEN[1])).toBeLessThan(0.1);
  });

  it("converts a slot again only when its fix time changed, leaving the table untouched", () => {
    const shifted = wgs84ToGcj02(TIANANMEN);
    const table = { lon: new Float64Array([shifted[0]]), lat: new Float64Array([shifted[1]]), at: new Float64Array([1000]), heading: new Float32Array([Number.NaN]), length: 1 };
    const positions = new Gcj02Positions();
    const view = positions.sync(table);
    expect(view.lon[0]).toBeCloseTo(TIANANMEN[0], 5);
    expect(table.lon[0]).toBe(shifted[0]);
    table.lon[0] = 0;
    expect(positions.sync(table).lon[0]).toBeCloseTo(TIANANMEN[0], 5);
    table.at[0] = 2000;
    table.lon[0] = shifted[0] + 0.001;
    expect(positions.sync(table).lon[0]).toBeCloseTo(TIANANMEN[0] + 0.001, 4);
  });
});
