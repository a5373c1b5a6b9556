import { describe, expect, it } from "vitest";
import type { PatrolCheck, UnitView } from "../../../shared/bridge/contract.js";
import { comparePatrolRows, countVerdicts, nameOrder, patrolRows, sameRoster } from "./rows.js";

const unit = (id: string, name: string, gridCode = "g1"): UnitView => ({ id, name, role: "grid_assistant", gridCode, status: "on_patrol", slot: 0 }) as UnitView;
const check = (unitId: string, verdict: PatrolCheck["verdict"], reasons: PatrolCheck["reasons"] = []): PatrolCheck => ({ unitId, verdict, reasons, shift: null, shifts: 3, suspectShifts: verdict === "suspect" ? 1 : 0 });

describe("patrol check rows", () => {
  const units = new Map([
    ["a", unit("a", "王五")],
    ["b", unit("b", "李四")],
    ["c", unit("c", "张三")],
    ["d", unit("d", "赵六")],
    ["e", unit("e", "陈七")],
  ]);

  it("puts suspects first, then too little data, then ok; each group by name in pinyin order", () => {
    const rows = patrolRows([check("a", "ok"), check("b", "suspect", ["twin"]), check("c", "ok"), check("d", "suspect", ["stationary", "speed"]), check("e", "insufficient")], units, new Map());
    expect(rows.map((r) => [r.verdict, r.name])).toEqual([
      ["suspect", "李四"],
      ["suspect", "赵六"],
      ["insufficient", "陈七"],
      ["ok", "王五"],
      ["ok", "张三"],
    ]);
  });

  it("gives every staff member a row: one the engine has not judged has too little data, never ok", () => {
    const rows = patrolRows([check("a", "ok")], units, new Map());
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.verdict === "ok").map((r) => r.unitId)).toEqual(["a"]);
    expect(rows.find((r) => r.unitId === "b")).toMatchObject({ verdict: "insufficient", reasons: [], shift: null });
  });

  it("keeps a check of a unit no longer on the roster, under its id", () => {
    const rows = patrolRows([check("gone", "suspect", ["replay"])], new Map(), new Map());
    expect(rows).toEqual([expect.objectContaining({ unitId: "gone", name: "gone", role: null, verdict: "suspect", reasons: ["replay"] })]);
  });

  it("names the grid from the region layer, by code where the layer has no name", () => {
    const rows = patrolRows([], new Map([["a", unit("a", "王五", "110101001001")], ["b", unit("b", "李四", "999")]]), new Map([["110101001001", "东华门第1网格"]]));
    expect(Object.fromEntries(rows.map((r) => [r.unitId, r.gridName]))).toEqual({ a: "东华门第1网格", b: "999" });
  });

  it("counts by verdict", () => {
    expect(countVerdicts([{ verdict: "ok" }, { verdict: "suspect" }, { verdict: "ok" }])).toEqual({ ok: 2, suspect: 1, insufficient: 0 });
  });
});

describe("the roster the rows are sorted from", () => {
  it("is the same while only statuses and fixes change, and differs on a name, role, grid or person", () => {
    const a = new Map([["a", unit("a", "王五")]]);
    expect(sameRoster(a, new Map([["a", { ...unit("a", "王五"), status: "busy" } as UnitView]]))).toBe(true);
    expect(sameRoster(a, new Map([["a", unit("a", "王六")]]))).toBe(false);
    expect(sameRoster(a, new Map([["a", unit("a", "王五", "g2")]]))).toBe(false);
    expect(sameRoster(a, new Map([["a", { ...unit("a", "王五"), role: "grid_manager" } as UnitView]]))).toBe(false);
    expect(sameRoster(a, new Map([["b", unit("b", "王五")]]))).toBe(false);
    expect(sameRoster(a, new Map())).toBe(false);
  });
});

describe("rows from a name order kept across checks", () => {
  it("gives the same rows as sorting from scratch, a unit off the roster included", () => {
    const units = new Map([
      ["a", unit("a", "王五")],
      ["b", unit("b", "李四")],
      ["c", unit("c", "张三")],
      ["d", unit("d", "李四")],
    ]);
    const checks = [check("a", "suspect", ["speed"]), check("c", "ok"), check("gone", "suspect", ["twin"]), check("d", "ok")];
    const rows = patrolRows(checks, units, new Map(), nameOrder(units));
    expect(rows.map((r) => r.unitId)).toEqual(["a", "gone", "b", "d", "c"]);
    expect(rows).toEqual([...rows].sort(comparePatrolRows));
  });
});
