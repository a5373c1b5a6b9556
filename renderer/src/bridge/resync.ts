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
  emit("wall", { push: state.wall?.push ?? null });
  if (state.gridCounts) emit("gridCounts", state.gridCounts);
  // Whatever queue window the page shows may have moved while it was away: it asks again.
  emit("queueChanged", { version: 0, views: [], all: true });
  if (state.situation) emit("situation", state.situation);
  emit("status", state.status);
  return loadRosterAndMarkers(bridge, emit);
}

/**
 * The staff and the map's markers, which follow the initial state in replies of their own (at the start too:
 * DataStore.start), so the queue and the panels never wait for them; each is replayed as soon as it comes.
 * Markers not counted yet (null) come with the engine's first whole push instead.
 */
export async function loadRosterAndMarkers(bridge: Pick<Bridge, "call">, emit: <K extends BridgeEventName>(name: K, payload: BridgeEvents[K]) => void): Promise<boolean> {
  const roster = bridge.call("getRoster", {}).then((result) => {
    if (!result.ok) return false;
    emit("units", { upserts: result.value.units, removed: [], reset: true });
    emit("positions", result.value.positions);
    return true;
  });
  const markers = bridge.call("getIncidentMarkers", {}).then((result) => {
    if (result.ok && result.value) emit("incidentMarkers", result.value);
    return result.ok;
  });
  // Not answered (the bridge went away): the resync after the reconnect asks again.
  const [rosterOk, markersOk] = await Promise.all([roster.catch(() => false), markers.catch(() => false)]);
  return rosterOk && markersOk;
}
