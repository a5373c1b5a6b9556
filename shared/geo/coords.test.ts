import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gcj02, gcj02ToWgs84, outsideChina, wgs84, wgs84ToGcj02 } from "./coords.js";

/*
 * Known pairs: Tiananmen as widely published, and the test vectors of the
 * eviltransform library (github.com/googollee/eviltransform), an independent
 * implementation of the same transform.
 */
const PAIRS: { place: string; wgs: [number, number]; gcj: [number, number]; tolerance: number }[] = [
  { place: "Tiananmen, Beijing", wgs: [116.391305, 39.907188], gcj: [116.397545, 39.908593], tolerance: 1e-5 },
  { place: "Pudong, Shanghai", wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597], tolerance: 1e-9 },
  { place: "Nanshan, Shenzhen", wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766], tolerance: 1e-9 },
];

describe("WGS84 ↔ GCJ-02", () => {
  for (const { place, wgs, gcj, tolerance } of PAIRS) {
    it(`shifts ${place} to its published GCJ-02 position and back`, () => {
      const shifted = wgs84ToGcj02(wgs84(...wgs));
      expect(Math.abs(shifted[1] - gcj[1])).toBeLessThan(tolerance);
      expect(Math.abs(shifted[0] - gcj[0])).toBeLessThan(tolerance);
      const back = gcj02ToWgs84(shifted);
      expect(Math.abs(back[0] - wgs[0])).toBeLessThan(1e-9);
      expect(Math.abs(back[1] - wgs[1])).toBeLessThan(1e-9);
    });
  }

  it("moves Beijing by the few hundred metres that make raw GPS miss on Chinese basemaps", () => {
    const shifted = wgs84ToGcj02(wgs84(116.4, 39.9));
    const metresEast = (shifted[0] - 116.4) * 111_320 * Math.cos((39.9 * Math.PI) / 180);
    const metresNorth = (shifted[1] - 39.9) * 110_574;
    expect(Math.hypot(metresEast, metresNorth)).toBeGreaterThan(400);
    expect(Math.hypot(metresEast, metresNorth)).toBeLessThan(700);
  });

  it("leaves points outside China unshifted", () => {
    expect(outsideChina(2.35, 48.85)).toBe(true);
    expect([...wgs84ToGcj02(wgs84(2.35, 48.85))]).toEqual([2.35, 48.85]);
    expect([...gcj02ToWgs84(gcj02(-74.006, 40.7128))]).toEqual([-74.006, 40.7128]);
  });

  it("inverts the shift to within a millimetre anywhere in China", () => {
    fc.assert(
      fc.property(fc.double({ min: 73.5, max: 134.5, noNaN: true }), fc.double({ min: 18.5, max: 53.5, noNaN: true }), (lon, lat) => {
        const back = gcj02ToWgs84(wgs84ToGcj02(wgs84(lon, lat)));
        expect(Math.abs(back[0] - lon)).toBeLessThan(1e-8);
        expect(Math.abs(back[1] - lat)).toBeLessThan(1e-8);
      }),
      { numRuns: 500 },
    );
  });
});
