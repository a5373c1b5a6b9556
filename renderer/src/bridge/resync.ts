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
  emit("incidents", { upserts: state.incidents, removed: [], reset: true });
  emit("units", { upserts: state.units, removed: [], reset: true });
  emit("positions", state.positions);
  emit("alerts", state.alerts);
  emit("outbox", state.outbox);
  emit("attentionTicker", state.attentionTicker);
  emit("archived", { upserts: state.archived, removed: [], reset: true, days: state.kpiDays ?? [] });
  emit("wall", { push: state.wall?.push ?? null });
  if (state.gridCounts) emit("gridCounts", state.gridCounts);
  if (state.incidentMarkers) emit("incidentMarkers", state.incidentMarkers);
  // Whatever queue window the page shows may have moved while it was away: it asks again.
  emit("queueChanged", { version: 0, views: [], all: true });
  if (state.situation) emit("situation", state.situation);
  emit("status", state.status);
  return true;
}
