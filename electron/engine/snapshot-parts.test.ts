import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../shared/protocol/types.js";
import { estimateBytes } from "./feed-budget.js";
import { SnapshotParts } from "./snapshot-parts.js";
import { makeIncident, makeUnit } from "./testing/mini-feed.js";

const part = (n: number, parts: number, change: Partial<Snapshot> = {}): Snapshot => ({
  epoch: "e1",
  seq: 10,
  part: n,
  parts,
  incidents: [makeIncident(`I${n}`)],
  units: [makeUnit(`U${n}`)],
  ...change,
});

describe("snapshot parts", () => {
  it("gives nothing until every part is in, then the whole snapshot in part order", () => {
    const collector = new SnapshotParts();
    expect(collector.add(part(3, 3))).toBeNull();
    expect(collector.add(part(1, 3))).toBeNull();
    const complete = collector.add(part(2, 3));
    if (complete === null || complete === "too_large") throw new Error("not complete");
    expect(complete.incidents.map((i) => i.id)).toEqual(["I1", "I2", "I3"]);
    expect(complete.units.map((u) => u.id)).toEqual(["U1", "U2", "U3"]);
    expect(collector.collecting).toBe(false);
  });

  it("counts a repeated part once", () => {
    const collector = new SnapshotParts();
    expect(collector.add(part(1, 2))).toBeNull();
    expect(collector.add(part(1, 2))).toBeNull();
    expect(collector.add(part(2, 2))).toMatchObject({ incidents: [{ id: "I1" }, { id: "I2" }] });
  });

  it("keeps the parts of one snapshot when a stray part of another arrives in between", () => {
    const collector = new SnapshotParts();
    collector.add(part(1, 2));
    expect(collector.add(part(1, 3, { seq: 1_000_010 }))).toBeNull();
    expect(collector.progress()).toEqual([1, 1]);
    expect(collector.add(part(2, 2))).toMatchObject({ seq: 10 });
    expect(collector.progress()).toEqual([1]);
  });

  it("holds no more than its byte cap, whatever the parts claim: other snapshots make room first, then a part that alone passes it is refused", () => {
    const one = estimateBytes(part(1, 1000));
    const collector = new SnapshotParts(one * 10.5);
    for (let n = 1; n <= 10; n++) expect(collector.add(part(n, 1000))).toBeNull();
    expect(collector.bytes).toBeLessThanOrEqual(one * 10.5);
    // A part of another snapshot evicts the one in progress rather than pass the cap.
    expect(collector.add(part(1, 2, { seq: 11 }))).toBeNull();
    expect(collector.progress()).toEqual([1]);
    const huge = part(1, 2, { seq: 12, incidents: Array.from({ length: 40 }, (_, n) => makeIncident(`H${n}`)) });
    expect(collector.add(huge)).toBe("too_large");
    expect(collector.collecting).toBe(false);
    expect(collector.bytes).toBe(0);
  });
});
