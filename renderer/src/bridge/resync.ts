import type { Bridge, BridgeEventName, BridgeEvents } from "../../../shared/bridge/contract.js";

/*
 * After a reconnect the view may have missed any number of events. Rather than
 * a second way of loading state, the whole current picture is replayed through
 * the events views already handle, with `reset` set, so views keep their own
 * state (selection, filters) and lose nothing.
 */
export async function resync(bridge: Pick<Bridge, "call">, emit: <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => void): Promise<boolean> {
  const initial = await bridge.call("getInitialState", {});
  if (!initial.ok) return false;
  const state = initial.value;
  // The page holds only the cases it shows one by one: told that every case may have changed, it asks for those again.
  emit("incidents", { upserts: [], removed: [], reset: true });
  emit("alerts", state.alerts);
  emit("outbox", state.outbox);
  emit("attentionTicker", state.attentionTicker);
  emit("archived", { upserts: state.archived, removed: [], reset: true, days: state.kpiDays ?? [] });
  emit("wall", { push: state.wall?.push ?? null });
  if (state.gridCounts) emit("gridCounts", state.gridCounts);
  // Whatever queue window the page shows may have moved while it was away: it asks again.
  emit("queueChanged", { version: 0, views: [], all: true });
  if (state.situation) emit("situation", state.situation);
  emit("status", state.status);
  // The staff and the map's markers in messages of their own, as at the start (DataStore.loadRoster, loadMarkers).
  const roster = await bridge.call("getRoster", {});
  if (!roster.ok) return false;
  emit("units", { upserts: roster.value.units, removed: [], reset: true });
  emit("positions", roster.value.positions);
  const markers = await bridge.call("getIncidentMarkers", {});
  if (!markers.ok) return false;
  if (markers.value) emit("incidentMarkers", markers.value);
  return true;
}
