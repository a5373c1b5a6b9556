import { describe, expect, it } from "vitest";
import { POSITION_STRIDE } from "../../../shared/bridge/contract.js";
import { JOURNAL_SIZE, PositionTable } from "./positions.js";

const batch = (fixes: [slot: number, at: number][]): Float64Array => {
  const data = new Float64Array(fixes.length * POSITION_STRIDE);
  fixes.forEach(([slot, at], i) => data.set([slot, 116.4, 39.9, at, 0, 1], i * POSITION_STRIDE));
  return data;
};
const since = (table: PositionTable, cursor: number): number[] | null => {
  const slots: number[] = [];
  return table.changedSince(cursor, (slot) => slots.push(slot)) ? slots : null;
};

describe("position table journal", () => {
  it("names the slots written since a cursor, in order, and not the fixes it refused", () => {
    const table = new PositionTable();
    table.apply(batch([[3, 1000], [5, 1000]]));
    const cursor = table.journalEnd;
    table.apply(batch([[5, 2000], [3, 500], [7, 2000], [5, 2500]]));
    expect(since(table, cursor)).toEqual([5, 7, 5]);
    expect(since(table, 0)).toEqual([3, 5, 5, 7, 5]);
    expect(since(table, table.journalEnd)).toEqual([]);
  });

  it("sends a reader that fell too far behind, or read before a clear, back to the whole table", () => {
    const table = new PositionTable();
    table.apply(batch([[1, 1000]]));
    const early = 0;
    const late = table.journalEnd;
    table.clear();
    expect(since(table, late)).toBeNull();
    const cursor = table.journalEnd;
    const many: [number, number][] = Array.from({ length: JOURNAL_SIZE }, (_, i) => [i % 10, 2000 + i]);
    table.apply(batch(many));
    expect(since(table, cursor)?.length).toBe(JOURNAL_SIZE);
    table.apply(batch([[2, 10_000_000]]));
    expect(since(table, cursor)).toBeNull();
    expect(since(table, early)).toBeNull();
    expect(since(table, table.journalEnd + 1)).toBeNull();
  });
});
