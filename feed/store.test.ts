import { describe, expect, it } from "vitest";
import type { FeedEvent, Incident } from "../shared/protocol/types.js";
import { FeedStore } from "./store.js";

const NOW = Date.parse("2026-11-20T10:00:00+08:00");

const incident = (id: string, version = 1): Incident => ({
  id,
  version,
  title: "t",
  category: { code: "0401", major: "市容环境", minor: "垃圾堆放" },
  priority: "normal",
  status: "reported",
  source: "patrol",
  lon: 116.4,
  lat: 39.9,
  gridCode: "110101009003001",
  reworkCount: 0,
  createdAt: "2026-11-20T10:00:00.000+08:00",
  updatedAt: "2026-11-20T10:00:00.000+08:00",
  history: [],
});

const small = () => new FeedStore(() => NOW, { retainDeltas: 4, partLimits: { incidents: 2, units: 2 }, archiveLimit: 2 });

describe("feed store", () => {
  it("numbers deltas one by one and splits a batch larger than 5000 events", () => {
    const store = small();
    const events: FeedEvent[] = Array.from({ length: 5001 }, (_, i) => ({ type: "incident.upsert", incident: incident(`C${i}`) }));
    const deltas = store.commit(events);
    expect(deltas.map((d) => [d.seq, d.events.length])).toEqual([[1, 5000], [2, 1]]);
    expect(store.incidents.size).toBe(5001);
  });

  it("resumes only when every missed delta is still held in the same epoch", () => {
    const store = small();
    for (let i = 0; i < 10; i++) store.commit([{ type: "incident.upsert", incident: incident(`C${i}`) }]);
    expect(store.deltasSince(store.epoch, 10)).toEqual([]);
    expect(store.deltasSince(store.epoch, 8)?.map((d) => d.seq)).toEqual([9, 10]);
    expect(store.deltasSince(store.epoch, 1)).toBeNull();
    expect(store.deltasSince("other", 9)).toBeNull();
    expect(store.deltasSince(store.epoch, 11)).toBeNull();
    expect(store.deltasSince(store.epoch, undefined)).toBeNull();
  });

  it("archives cases out of the live set, remembering a bounded number of them", () => {
    const store = small();
    store.commit(["A", "B", "C"].map((id) => ({ type: "incident.upsert", incident: incident(id) })));
    store.commit(["A", "B", "C"].map((id) => ({ type: "incident.archived", id, version: 1 })));
    expect(store.incidents.size).toBe(0);
    expect([...store.archived.keys()]).toEqual(["B", "C"]);
  });

  it("cuts snapshots into parts within the limits, all at the current seq", () => {
    const store = small();
    store.commit(["A", "B", "C"].map((id) => ({ type: "incident.upsert", incident: incident(id) })));
    const parts = store.snapshotParts();
    expect(parts.map((p) => [p.part, p.parts, p.seq, p.incidents.length])).toEqual([[1, 2, 1, 2], [2, 2, 1, 1]]);
    expect(new FeedStore(() => NOW).snapshotParts()).toEqual([expect.objectContaining({ part: 1, parts: 1, incidents: [], units: [] })]);
  });

  it("starts a new epoch at seq 0 with nothing to resume from, keeping the state", () => {
    const store = small();
    store.commit([{ type: "incident.upsert", incident: incident("A") }]);
    const before = store.epoch;
    store.changeEpoch();
    expect(store.epoch).not.toBe(before);
    expect(store.seq).toBe(0);
    expect(store.incidents.has("A")).toBe(true);
    expect(store.deltasSince(before, 0)).toBeNull();
  });

  it("gives a unit a fresh object on a new fix, so deltas already sent stay as they were", () => {
    const store = small();
    const [delta] = store.commit([{ type: "unit.upsert", unit: { id: "U1", name: "王芳", role: "grid_manager", gridCode: "g", status: "on_patrol" } }]);
    store.setLastFix("U1", { lon: 116.4, lat: 39.9, at: NOW });
    expect(store.units.get("U1")?.lastFix).toEqual({ lon: 116.4, lat: 39.9, at: NOW });
    expect(delta!.events[0]).toMatchObject({ unit: { id: "U1" } });
    expect((delta!.events[0] as { unit: { lastFix?: unknown } }).unit.lastFix).toBeUndefined();
  });
});
