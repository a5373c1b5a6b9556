import type { DataState } from "../state/data.js";

/**
 * Where a staff member is, in the feed's coordinates: their last fix, else
 * where their latest alert says (an off-duty member raising an SOS sends no
 * fix until their next one is due).
 */
export function staffPlace(state: Pick<DataState, "units" | "positions" | "alerts">, unitId: string): [number, number] | null {
  const slot = state.units.get(unitId)?.slot ?? -1;
  const positions = state.positions;
  if (slot >= 0 && slot < positions.length && (positions.at[slot] ?? 0) > 0) return [positions.lon[slot] as number, positions.lat[slot] as number];
  // The engine keeps alerts newest first.
  for (const alert of state.alerts) if (alert.unitId === unitId && alert.lon !== undefined && alert.lat !== undefined) return [alert.lon, alert.lat];
  return null;
}
