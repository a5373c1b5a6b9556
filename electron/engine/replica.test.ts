import { describe, expect, it } from "vitest";
import { Replica } from "./replica.js";
import { makeUnit } from "./testing/mini-feed.js";

/* Which fixes compaction has to write: those not in the database yet, and every one after a snapshot. */

const AT = Date.parse("2026-11-22T09:00:00.000+08:00");
const snapshot = (units: string[]) => ({ epoch: "e1", seq: 1, at: "2026-11-22T09:00:00.000+08:00", incidents: [], units: units.map((id) => makeUnit(id)) });

describe("replica unsaved fixes", () => {
  it("hands out each changed fix of a known unit once, and every fix after a snapshot", () => {
    const replica = new Replica();
    replica.applySnapshot(snapshot(["U1", "U2", "U3"]));
    replica.applyFixes([["U1", 116.4, 39.9, AT, null, null, null], ["U2", 116.4, 39.9, AT, null, null, null]]);
    expect(replica.fixesUnsaved).toEqual({ any: true, everything: true });
    expect(replica.takeUnsavedFixes().map((f) => [f.unitId, f.slot])).toEqual([["U1", 0], ["U2", 1]]);
    expect(replica.fixesUnsaved).toEqual({ any: false, everything: false });
    expect(replica.takeUnsavedFixes()).toEqual([]);

    replica.applyFixes([["U2", 116.5, 39.9, AT + 1000, null, null, null], ["U1", 116.5, 39.9, AT - 1000, null, null, null]]);
    expect(replica.takeUnsavedFixes().map((f) => [f.unitId, f.lon])).toEqual([["U2", 116.5]]);

    // A fix of a unit not on the roster waits for the unit; then it is written.
    replica.applyFixes([["U9", 116.6, 39.9, AT, null, null, null]]);
    expect(replica.takeUnsavedFixes()).toEqual([]);
    expect(replica.fixesUnsaved.any).toBe(false);
    replica.applyDelta({ epoch: "e1", seq: 2, at: "2026-11-22T09:00:01.000+08:00", events: [{ type: "unit.upsert", unit: makeUnit("U9") }], unknownEvents: 0 });
    expect(replica.takeUnsavedFixes().map((f) => f.unitId)).toEqual(["U9"]);

    // A failed write puts them back.
    replica.applyFixes([["U3", 116.4, 39.9, AT, null, null, null]]);
    const taken = replica.takeUnsavedFixes();
    expect(taken.map((f) => f.unitId)).toEqual(["U3"]);
    replica.restoreUnsavedFixes(taken);
    expect(replica.takeUnsavedFixes().map((f) => f.unitId)).toEqual(["U3"]);

    // Loaded from the cache: in the database already.
    const reloaded = new Replica();
    reloaded.load({ meta: { epoch: "e1", lastSeq: 1, dataAsOf: null }, incidents: [], units: [{ unit: makeUnit("U1"), slot: 0 }], fixes: [{ unitId: "U1", lon: 1, lat: 2, at: AT, heading: null, speed: null, accuracy: null }], outbox: [], alerts: [], visits: [] });
    expect(reloaded.fixesUnsaved.any).toBe(false);
    expect(reloaded.takeUnsavedFixes()).toEqual([]);
    reloaded.applyFixes([["U1", 116.4, 39.9, AT + 1, null, null, null]]);
    expect(reloaded.takeUnsavedFixes().map((f) => f.at)).toEqual([AT + 1]);

    // The snapshot's reset empties the positions table: all of them again.
    replica.applySnapshot(snapshot(["U1", "U2", "U3", "U9"]));
    expect(replica.takeUnsavedFixes().map((f) => f.unitId).sort()).toEqual(["U1", "U2", "U3", "U9"]);
  });
});
