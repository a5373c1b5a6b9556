/*
 * Distances at street scale: an equirectangular projection is within a
 * fraction of a metre of the great circle over the few kilometres a patrol
 * covers, and costs no trigonometry per point beyond one cosine.
 */

const METRES_PER_DEGREE = 111_320;

/**
 * No walking or cycling patrol goes faster than this (25 km/h, a fast
 * bicycle). A speed above it, after both fixes' stated accuracy is taken off
 * the distance, is a jump: a mock location or a device somewhere else.
 */
export const SPEED_LIMIT_MPS = 7;

export function metresBetween(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const cos = Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const dx = (lon2 - lon1) * METRES_PER_DEGREE * cos;
  const dy = (lat2 - lat1) * METRES_PER_DEGREE;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Metres per degree of longitude and latitude near `lat`, for many distances around one place. */
export function metresPerDegree(lat: number): { lon: number; lat: number } {
  return { lon: METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180), lat: METRES_PER_DEGREE };
}
