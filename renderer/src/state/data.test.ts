import { describe, expect, it } from "vitest";
import type { IncidentView, UnitView } from "../../../shared/bridge/contract.js";
import { applyChanges, casesFetched, initialDataState, setHeld, slotIndex, updaters, type DataState } from "./data.js";

/** A seeded generator (an LCG): the same sequence every run, so a failing case can be replayed. */
const random = (seed: number) => () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);

const NOW = Date.parse("2026-11-23T10:00:00+08:00");
const incident = (id: string, over: Partial<IncidentView> = {}): IncidentView => ({
  id, version: 1, title: id, category: { code: "c", major: "m", minor: "n" }, priority: "normal", status: "dispatched", source: "patrol",
  lon: 116.39, lat: 39.87, gridCode: "g1", reworkCount: 0, createdAt: new Date(NOW - 3600_000).toISOString(), updatedAt: new Date(NOW).toISOString(), ...over,
});
const unit = (id: string, slot: number, over: Partial<UnitView> = {}): UnitView => ({ id, slot, name: id, kind: "grid_worker", status: "on_patrol", ...over }) as UnitView;

/** A page holding `held` of the cases BJ0…BJ(count-1), as the engine answered getCases for them. */
function holding(count: number, held: readonly string[]): DataState {
  const all = Array.from({ length: count }, (_, i) => incident(`BJ${i}`));
  const state = setHeld(initialDataState(), new Set(held));
  return casesFetched(state, held, all.filter((i) => held.includes(i.id)));
}

describe("data updaters", () => {
  it("a page keeps only the cases it holds current: their changes give a new state and map, others change nothing", () => {
    const before = holding(2_000, ["BJ7", "BJ9", "NEW"]);
    expect([...before.incidents.keys()].sort()).toEqual(["BJ7", "BJ9"]);
    // NEW is held but the engine has no such case (yet).
    expect([...before.missing]).toEqual(["NEW"]);
    const changed = incident("BJ7", { version: 2, status: "processing" });
    const after = updaters.incidents(before, { upserts: [changed, incident("NEW"), incident("BJ100")], removed: ["BJ9", "BJ200"], reset: false });
    expect(after).not.toBe(before);
    expect(after.incidents.get("BJ7")).toBe(changed);
    expect(after.incidents.get("NEW")?.id).toBe("NEW");
    expect(after.missing.has("NEW")).toBe(false);
    expect(after.incidents.has("BJ9")).toBe(false);
    expect(after.missing.has("BJ9")).toBe(true);
    expect(after.incidents.has("BJ100")).toBe(false);
    // The old state is a snapshot: a selector that kept it sees what it saw.
    expect(before.incidents.get("BJ7")?.version).toBe(1);
    expect(before.incidents.has("BJ9")).toBe(true);
    // Other slices keep their identity; a delta about cases nobody holds leaves the state as it was.
    expect(after.units).toBe(before.units);
    expect(updaters.incidents(after, { upserts: [incident("BJ5")], removed: ["BJ6"], reset: false })).toBe(after);
  });

  it("a reset keeps the held copies until the engine answers again; letting a case go drops it", () => {
    const held = holding(10, ["BJ1", "BJ2"]);
    const reset = updaters.incidents(held, { upserts: [], removed: [], reset: true });
    expect([...reset.incidents.keys()].sort()).toEqual(["BJ1", "BJ2"]);
    const answered = casesFetched(reset, ["BJ1", "BJ2"], [incident("BJ1", { version: 5 })]);
    expect(answered.incidents.get("BJ1")?.version).toBe(5);
    expect(answered.missing.has("BJ2")).toBe(true);
    const released = setHeld(answered, new Set(["BJ1"]));
    expect([...released.incidents.keys()]).toEqual(["BJ1"]);
    expect(released.missing.size).toBe(0);
    // An answer for a case let go meanwhile is not kept.
    expect(casesFetched(setHeld(answered, new Set()), ["BJ1"], [incident("BJ1")]).incidents.size).toBe(0);
  });

  it("held cases after any random sequence of deltas equal the held part of a Map built by copying", () => {
    const next = random(7);
    const heldIds = Array.from({ length: 40 }, (_, i) => `BJ${i * 37}`);
    let state = holding(1_500, heldIds);
    let reference = new Map<string, IncidentView>(Array.from({ length: 1_500 }, (_, i) => [`BJ${i}`, incident(`BJ${i}`)]));
    for (let step = 0; step < 300; step++) {
      const upserts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => incident(`BJ${Math.floor(next() * 1_800)}`, { version: step + 2 }));
      const removed = next() < 0.2 ? [`BJ${Math.floor(next() * 1_800)}`] : [];
      state = updaters.incidents(state, { upserts, removed, reset: false });
      const copy = new Map(reference);
      for (const id of removed) copy.delete(id);
      for (const u of upserts) copy.set(u.id, u);
      reference = copy;
    }
    expect(new Map([...state.incidents].sort())).toEqual(new Map([...reference].filter(([id]) => heldIds.includes(id)).sort()));
    expect([...state.missing].sort()).toEqual(heldIds.filter((id) => !reference.has(id)).sort());
  });

  it("units keep their slot index equal to a full rebuild, through moves, removals and a reset", () => {
    const next = random(3);
    let state = updaters.units(initialDataState(), { upserts: Array.from({ length: 300 }, (_, i) => unit(`u${i}`, i)), removed: [], reset: true });
    expect(state.unitBySlot).toEqual(slotIndex(state.units));
    for (let step = 0; step < 200; step++) {
      const free = Array.from({ length: 400 }, (_, i) => i).filter((slot) => state.unitBySlot[slot] === undefined);
      const id = `u${Math.floor(next() * 320)}`;
      const removed = next() < 0.3 ? [`u${Math.floor(next() * 320)}`] : [];
      const known = state.units.get(id);
      // A unit keeps its slot, or moves to a free one; a new unit takes a free one (slots are unique, as the engine keeps them).
      const slot = known && next() < 0.8 ? known.slot : (free[Math.floor(next() * free.length)] ?? 399);
      const upserts = removed.includes(id) ? [] : [unit(id, slot, { status: step % 2 ? "on_patrol" : "off_duty" } as Partial<UnitView>)];
      const before = state;
      state = updaters.units(state, { upserts, removed, reset: false });
      const rebuilt = slotIndex(state.units);
      for (let s = 0; s < 400; s++) expect(state.unitBySlot[s], `slot ${s} at step ${step}`).toBe(rebuilt[s]);
      if (upserts.length + removed.length > 0 && state.units !== before.units) expect(state.unitBySlot).not.toBe(before.unitBySlot);
    }
    state = updaters.units(state, { upserts: [unit("fresh", 5)], removed: [], reset: true });
    expect(state.unitBySlot).toEqual(slotIndex(state.units));
    expect([...state.units.keys()]).toEqual(["fresh"]);
  });

  it("applyChanges takes a plain Map too (a state built elsewhere) and leaves it unchanged", () => {
    const plain = new Map([["a", incident("a")]]);
    const next = applyChanges(plain, { upserts: [incident("b")], removed: ["a"] }, (i) => i.id);
    expect([...next.keys()]).toEqual(["b"]);
    expect([...plain.keys()]).toEqual(["a"]);
  });
});
