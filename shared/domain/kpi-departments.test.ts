import { describe, expect, it } from "vitest";
import { departmentRanking, overdueLedger, splitLedger, UNASSIGNED } from "./kpi-departments.js";
import { at, DEPARTMENTS, INCIDENTS, NOW } from "./fixtures/kpi-fixture.js";

describe("overdue ledger 挂账榜", () => {
  it("lists every department, the one with no cases at zero", () => {
    // Overdue now: B and H, both D01. D02's D is not past its 20:00 deadline; D03 has no cases.
    expect(overdueLedger(INCIDENTS, DEPARTMENTS, NOW)).toEqual([
      { departmentId: "D01", name: "街道城管执法队", overdue: 2 },
      { departmentId: "D02", name: "派出所", overdue: 0 },
      { departmentId: "D03", name: "街道残联", overdue: 0 },
    ]);
  });

  it("holds overdue cases not yet dispatched against the sub-center, so the board adds up to the overdue count", () => {
    // With 0501 due for response in 4 h, C (reported 22 10:00, no department) is overdue at 15:00 → one unassigned row;
    // the board totals 3, the same as today's overdue KPI under the same rules (kpi.test.ts).
    const categories = new Map([["0501", { code: "0501", major: "街面秩序", minor: "占道经营", defaultPriority: "normal" as const, respondHours: 4, closeHours: 24 }]]);
    const rows = overdueLedger(INCIDENTS, DEPARTMENTS, NOW, categories);
    expect(rows.map((r) => [r.departmentId, r.overdue])).toEqual([
      ["D01", 2],
      [UNASSIGNED, 1],
      ["D02", 0],
      ["D03", 0],
    ]);
    expect(rows.reduce((sum, r) => sum + r.overdue, 0)).toBe(3);
  });

  it("splits the sub-center's own backlog from the departments' rows, which keep their order", () => {
    const categories = new Map([["0501", { code: "0501", major: "街面秩序", minor: "占道经营", defaultPriority: "normal" as const, respondHours: 4, closeHours: 24 }]]);
    const { ownBacklog, departments } = splitLedger(overdueLedger(INCIDENTS, DEPARTMENTS, NOW, categories));
    // C (not dispatched, overdue on its response) is the sub-center's; B and H are D01's.
    expect(ownBacklog).toBe(1);
    expect(departments.map((r) => [r.departmentId, r.overdue])).toEqual([
      ["D01", 2],
      ["D02", 0],
      ["D03", 0],
    ]);
    expect(splitLedger(overdueLedger(INCIDENTS, DEPARTMENTS, NOW)).ownBacklog).toBe(0);
  });

  it("adds a department the platform names but the settings do not", () => {
    const stray = { ...INCIDENTS[7]!, id: "X", department: { id: "D99", name: "外区协办" } };
    const rows = overdueLedger([...INCIDENTS, stray], DEPARTMENTS, NOW);
    expect(rows.map((r) => [r.departmentId, r.overdue])).toEqual([
      ["D01", 2],
      ["D99", 1],
      ["D02", 0],
      ["D03", 0],
    ]);
  });
});

describe("department ranking", () => {
  it("ranks by on-time closure rate, unrated departments last", () => {
    // Last 7 days (11-16 00:00 to now). D01 closed A (on time) and F (on time) → 100%, dispatched A, B, F, H = 4,
    // overdue B, H = 2. D02 closed E late → 0%, dispatched D, E = 2. D03 closed nothing → unrated.
    expect(departmentRanking(INCIDENTS, DEPARTMENTS, NOW)).toEqual([
      { departmentId: "D01", name: "街道城管执法队", dispatched: 4, closed: 2, closedOnTime: 2, onTimeRate: 1, overdue: 2 },
      { departmentId: "D02", name: "派出所", dispatched: 2, closed: 1, closedOnTime: 0, onTimeRate: 0, overdue: 0 },
      { departmentId: "D03", name: "街道残联", dispatched: 0, closed: 0, closedOnTime: 0, onTimeRate: null, overdue: 0 },
    ]);
  });

  it("breaks a tie in rate by the number closed", () => {
    // Today only. D01 closes A on time. D02 gets a copy of A, and a copy of E whose deadline is moved to the
    // minute it closed (closing exactly at closeBy is on time).
    const police = { id: "D02", name: "派出所" };
    const copyOfA = { ...INCIDENTS[0]!, id: "A2", department: police };
    const copyOfE = { ...INCIDENTS[4]!, id: "E2", department: police, closeBy: at("22 14:00") };
    const rows = departmentRanking([INCIDENTS[0]!, copyOfA, copyOfE], DEPARTMENTS, NOW, { days: 1 });
    // D01: 1/1 = 100%, 1 closed; D02: A2 on time + E2 on time (closed exactly at closeBy) = 2/2 = 100%, 2 closed → D02 first.
    expect(rows.map((r) => [r.departmentId, r.onTimeRate, r.closed])).toEqual([
      ["D02", 1, 2],
      ["D01", 1, 1],
      ["D03", null, 0],
    ]);
  });
});
