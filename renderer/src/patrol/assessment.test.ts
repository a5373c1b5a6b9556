import { describe, expect, it } from "vitest";
import type { AssessmentRow, UnitView } from "../../../shared/bridge/contract.js";
import { assessmentFileName, assessmentLines, assessmentTable, mondayOf, nextSort, sortAssessment, sundayOf, weeksBefore, type AssessmentLine } from "./assessment.js";
import { toCsv } from "./csv.js";
import { patrolMessages } from "./messages.js";

const row = (unitId: string, patch: Partial<AssessmentRow> = {}): AssessmentRow => ({ unitId, patrolHours: 10, ownGrids: 2, ownGridsMet: 1, casesReported: 3, shifts: 5, suspectShifts: 0, insufficientShifts: 1, ...patch });
const unit = (id: string, name: string, role: UnitView["role"] = "grid_assistant"): UnitView => ({ id, name, role, gridCode: `g-${id}`, status: "on_patrol", slot: 0 }) as UnitView;
const ROLE = { grid_manager: "网格长", grid_assistant: "网格员" } as Record<string, string>;

function lines(): AssessmentLine[] {
  const units = new Map([
    ["a", unit("a", "王五", "grid_manager")],
    ["b", unit("b", "李四")],
    ["c", unit("c", "张三")],
  ]);
  return assessmentLines(
    [row("a", { patrolHours: 30.26, ownGrids: 4, ownGridsMet: 2, suspectShifts: 2 }), row("b", { patrolHours: 12, ownGrids: 1, ownGridsMet: 1 }), row("c", { patrolHours: 12, ownGrids: 0, ownGridsMet: 0, casesReported: 9 })],
    units,
    new Map([["g-a", "东华门第1网格"]]),
    (role) => ROLE[role] ?? role,
  );
}
const order = (sorted: AssessmentLine[]) => sorted.map((l) => l.unitId).join("");

describe("the assessment table", () => {
  it("joins names, roles and grid names to the engine's rows, and counts the ok shifts", () => {
    expect(lines()[0]).toMatchObject({ name: "王五", roleName: "网格长", gridName: "东华门第1网格", okShifts: 2 });
    expect(lines()[1]).toMatchObject({ gridName: "g-b", okShifts: 4 });
  });

  it("sorts by any column either way; ties stay in name order whichever way", () => {
    const l = lines();
    expect(order(sortAssessment(l, { column: "name", direction: "asc" }))).toBe("bac");
    expect(order(sortAssessment(l, { column: "name", direction: "desc" }))).toBe("cab");
    expect(order(sortAssessment(l, { column: "patrolHours", direction: "desc" }))).toBe("abc");
    expect(order(sortAssessment(l, { column: "patrolHours", direction: "asc" }))).toBe("bca");
    expect(order(sortAssessment(l, { column: "casesReported", direction: "desc" }))).toBe("cba");
    expect(order(sortAssessment(l, { column: "suspectShifts", direction: "desc" }))).toBe("abc");
    expect(order(sortAssessment(l, { column: "role", direction: "asc" }))).toBe("bca");
  });

  it("sorts own grids by the share meeting the rule; someone with no own grid comes below every share", () => {
    expect(order(sortAssessment(lines(), { column: "ownGrids", direction: "desc" }))).toBe("bac");
    expect(order(sortAssessment(lines(), { column: "ownGrids", direction: "asc" }))).toBe("cab");
  });

  it("turns a column round on a second click; a new figure column starts with the highest", () => {
    expect(nextSort({ column: "name", direction: "asc" }, "name")).toEqual({ column: "name", direction: "desc" });
    expect(nextSort({ column: "name", direction: "asc" }, "patrolHours")).toEqual({ column: "patrolHours", direction: "desc" });
    expect(nextSort({ column: "patrolHours", direction: "desc" }, "grid")).toEqual({ column: "grid", direction: "asc" });
  });
});

describe("weeks", () => {
  it("names a week by its Monday in Beijing time, whatever the day or the hour", () => {
    // Sunday 2026-12-06 01:00 UTC is Sunday 09:00 in Beijing: the week of Monday 11-30.
    expect(mondayOf(Date.parse("2026-12-06T01:00:00Z"))).toBe("2026-11-30");
    // Sunday 2026-11-29 17:00 UTC is already Monday 01:00 in Beijing.
    expect(mondayOf(Date.parse("2026-11-29T17:00:00Z"))).toBe("2026-11-30");
    expect(mondayOf(Date.parse("2026-11-30T00:00:00+08:00"))).toBe("2026-11-30");
    expect(weeksBefore("2026-11-30", 1)).toBe("2026-11-23");
    expect(sundayOf("2026-11-30")).toBe("2026-12-06");
  });
});

describe("the assessment CSV", () => {
  it("has a header in the page's language, codes beside names, hours to one decimal", () => {
    const csv = toCsv(assessmentTable(sortAssessment(lines(), { column: "name", direction: "asc" }), "2026-11-30", patrolMessages["zh-CN"]));
    const [header, first] = csv.slice(1).split("\r\n");
    expect(header).toBe("考核周（周一）,人员编号,姓名,角色,网格编码,所属网格,巡查时长（小时）,责任网格数,达标网格数,上报案件,班次,正常,可疑,数据不足");
    expect(first).toBe("2026-11-30,b,李四,网格员,g-b,g-b,12,1,1,3,5,4,0,1");
    expect(csv).toContain("2026-11-30,a,王五,网格长,g-a,东华门第1网格,30.3,4,2,3,5,2,2,1");
  });

  it("is named after the week", () => {
    expect(assessmentFileName("2026-11-30", "zh-CN")).toBe("巡查考核-2026-11-30.csv");
    expect(assessmentFileName("2026-11-30", "en")).toBe("patrol-assessment-2026-11-30.csv");
  });
});
