import { describe, expect, it } from "vitest";
import type { IncidentView } from "../bridge/contract.js";
import { notableCandidate, notableCases, notableOrder, scrubPhones } from "./notable.js";
import { incidentView } from "./fixtures/incident-view.js";

const NOW = Date.parse("2026-11-22T15:00:00.000+08:00");
const GRID = "110101001001001";

function incident(id: string, patch: Partial<IncidentView>): IncidentView {
  return incidentView(id, { gridCode: GRID, reporter: { name: "王*", phone: "139****5678", masked: true }, address: "东四北大街 1 号", description: "居民王先生反映", ...patch });
}

describe("notable cases for the briefing", () => {
  it("masks phone numbers typed into a title", () => {
    expect(scrubPhones("王先生 13912345678 反映噪声")).toBe("王先生 139****5678 反映噪声");
    expect(scrubPhones("来电 +86 139-1234-5678，座机 010-64001234")).toBe("来电 139****5678，座机 010****1234");
    expect(scrubPhones("2026年第3网格")).toBe("2026年第3网格");
  });

  it("keeps overdue and urgent open cases, overdue first, with no reporter, address or description", () => {
    const cases = [
      incident("A", { priority: "urgent" }),
      incident("B", { closeBy: "2026-11-22T12:00:00.000+08:00" }),
      incident("C", {}),
      incident("D", { priority: "urgent", status: "closed" }),
      incident("E", { priority: "urgent", createdAt: "2026-11-22T07:00:00.000+08:00" }),
    ];
    const notable = notableCases(cases, new Map(), new Map([[GRID, "东四一网格"]]), NOW);
    expect(notable.map((n) => n.id)).toEqual(["B", "E", "A"]);
    expect(notable[0]).toEqual({
      id: "B",
      title: "案件B",
      category: "市容环境·垃圾堆放",
      gridCode: GRID,
      gridName: "东四一网格",
      status: "dispatched",
      priority: "normal",
      overdue: true,
    });
    expect(JSON.stringify(notable)).not.toMatch(/王|东四北大街|139/);
  });
});

describe("notableOrder", () => {
  it("is strict on distinct ids that localeCompare calls equal, so a kept list finds each entry again", () => {
    const at = "2026-11-20T09:00:00+08:00";
    const a = notableCandidate(incidentView("é", { priority: "urgent", createdAt: at }), true);
    const b = notableCandidate(incidentView("e\u0301", { priority: "urgent", createdAt: at }), true);
    expect("é".localeCompare("e\u0301")).toBe(0);
    expect(Math.sign(notableOrder(a, b))).toBe(-Math.sign(notableOrder(b, a)));
    expect(notableOrder(a, b)).not.toBe(0);
    expect(notableOrder(a, a)).toBe(0);
  });
});
