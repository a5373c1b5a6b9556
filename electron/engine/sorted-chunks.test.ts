import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedChunks } from "./sorted-chunks.js";

type Item = { key: number; id: number };
const compare = (a: Item, b: Item) => a.key - b.key || a.id - b.id;

describe("SortedChunks", () => {
  it("holds what a sorted array would after any inserts and removals, across chunk splits and emptied chunks", () => {
    const op = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 50 }).map((key) => ({ kind: "insert" as const, key })) },
      { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: "remove" as const, pick })) },
      // Not held (an equal key and id, another object): nothing removed.
      { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: "stranger" as const, pick })) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1200 }), fc.array(op, { maxLength: 1500 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 300 })), { maxLength: 8 }), (initial, ops, slices) => {
        let id = 0;
        const reference: Item[] = Array.from({ length: initial }, () => ({ key: (id * 7) % 40, id: id++ })).sort(compare);
        const list = SortedChunks.from(reference, compare);
        for (const step of ops) {
          if (step.kind === "insert") {
            const item = { key: step.key, id: id++ };
            list.insert(item);
            const at = reference.findIndex((x) => compare(x, item) > 0);
            reference.splice(at === -1 ? reference.length : at, 0, item);
          } else if (reference.length > 0) {
            const target = reference[step.pick % reference.length] as Item;
            if (step.kind === "remove") {
              expect(list.remove(target)).toBe(true);
              reference.splice(reference.indexOf(target), 1);
            } else expect(list.remove({ ...target })).toBe(false);
          } else expect(list.remove({ key: 0, id: -1 })).toBe(false);
        }
        expect(list.length).toBe(reference.length);
        expect(list.toArray()).toEqual(reference);
        for (const [start, size] of slices) {
          const from = start % (reference.length + 2);
          expect(list.slice(from, from + size)).toEqual(reference.slice(from, from + size));
        }
        expect(list.filter((item) => item.key % 3 === 0)).toEqual(reference.filter((item) => item.key % 3 === 0));
      }),
      { numRuns: 120 },
    );
  });
});
