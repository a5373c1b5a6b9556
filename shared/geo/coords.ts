/*
 * Coordinate spaces. The feed, the cache and the region layer are WGS84;
 * Chinese basemap tiles (AMap, Tencent) are GCJ-02, offset by up to several
 * hundred metres. Branding the two keeps one from being drawn on the other
 * unconverted (STYLE.md: brand coordinate spaces).
 */

export type Wgs84 = readonly [lon: number, lat: number] & { readonly __space: "wgs84" };
export type Gcj02 = readonly [lon: number, lat: number] & { readonly __space: "gcj02" };

export function wgs84(lon: number, lat: number): Wgs84 {
  return [lon, lat] as unknown as Wgs84;
}

export function gcj02(lon: number, lat: number): Gcj02 {
  return [lon, lat] as unknown as Gcj02;
}

// Krasovsky 1940 ellipsoid, as the GCJ-02 reference implementation uses.
const SEMI_MAJOR = 6_378_245.0;
const ECCENTRICITY_SQUARED = 0.006_693_421_622_965_943;

/** The published rough box of China; outside it GCJ-02 applies no shift. */
export function outsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let out = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  out += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  out += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  out += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return out;
}

function shiftLon(x: number, y: number): number {
  let out = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  out += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  out += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  out += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return out;
}

function forward(lon: number, lat: number): [number, number] {
  if (outsideChina(lon, lat)) return [lon, lat];
  const radLat = (lat / 180) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - ECCENTRICITY_SQUARED * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (shiftLat(lon - 105, lat - 35) * 180) / (((SEMI_MAJOR * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (shiftLon(lon - 105, lat - 35) * 180) / ((SEMI_MAJOR / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

export function wgs84ToGcj02(point: Wgs84): Gcj02 {
  const [lon, lat] = forward(point[0], point[1]);
  return gcj02(lon, lat);
}

/**
 * The inverse has no closed form: iterate the forward shift until it lands on
 * the given point (converges to well under a millimetre in a few steps,
 * because the shift varies slowly).
 */
export function gcj02ToWgs84(point: Gcj02, tolerance = 1e-10, maxIterations = 30): Wgs84 {
  let lon = point[0];
  let lat = point[1];
  for (let i = 0; i < maxIterations; i++) {
    const [shiftedLon, shiftedLat] = forward(lon, lat);
    const errorLon = shiftedLon - point[0];
    const errorLat = shiftedLat - point[1];
    lon -= errorLon;
    lat -= errorLat;
    if (Math.abs(errorLon) < tolerance && Math.abs(errorLat) < tolerance) break;
  }
  return wgs84(lon, lat);
}
