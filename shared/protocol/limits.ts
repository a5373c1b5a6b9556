/** Bounds on what the feed may send. Anything larger is rejected at the edge, never stored. */
export const LIMITS = {
  idLength: 64,
  shortText: 200,
  longText: 4000,
  historyEntries: 50,
  incidentsPerPart: 2000,
  unitsPerPart: 5000,
  eventsPerDelta: 5000,
  fixesPerFrame: 100_000,
  fixesPerTracksReply: 20_000,
  /** How far back a `tracks` request may reach from the server's now. */
  tracksDaysBack: 8,
  /** `unitIds` in one `tracks` request: a district's staff with room to spare; a city asks for all by leaving it out. */
  tracksUnitIds: 10_000,
  snapshotParts: 10_000,
} as const;

export const PROTOCOL_VERSION = 1;
export const NAMESPACE = "/console";
export const HEARTBEAT_INTERVAL_MS = 5000;
export const STALL_AFTER_MS = 15000;
