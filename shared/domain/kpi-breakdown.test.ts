import { describe, expect, it } from "vitest";
import { areaRanking, categoryBreakdown, dailyTrend } from "./kpi-breakdown.js";
import { AREA_NAMES, COMMUNITY_1, COMMUNITY_2, GRID_1, GRID_2, GRID_3, INCIDENTS, NOW } from "./fixtures/kpi-fixture.js";

describe("7-day trend", () => {
  it("counts reported and closed per Beijing day, today last, empty days at zero", () => {
    // reported: 20th H; 21st D, E, F, G; 22nd A, B, C. closed: 21st F; 22nd A, E.
    expect(dailyTrend(INCIDENTS, NOW)).toEqual([
      { date: "2026-11-16", reported: 0, closed: 0 },
      { date: "2026-11-17", reported: 0, closed: 0 },
      { date: "2026-11-18", reported: 0, closed: 0 },
      { date: "2026-11-19", reported: 0, closed: 0 },
      { date: "2026-11-20", reported: 1, closed: 0 },
      { date: "2026-11-21", reported: 4, closed: 1 },
      { date: "2026-11-22", reported: 3, closed: 2 },
    ]);
  });
});

describe("category breakdown", () => {
  it("groups the week's cases by major category, most first", () => {
    // 市容环境 A, B, F = 3; 治安隐患 D, E = 2; 街面秩序 C, G = 2; 公用设施 H = 1; total 8.
    const rows = categoryBreakdown(INCIDENTS, NOW);
    // Ties are ordered by name in Chinese collation (pinyin): 街 jie before 治 zhi.
    expect(rows.map((r) => [r.major, r.count])).toEqual([
      ["市容环境", 3],
      ["街面秩序", 2],
      ["治安隐患", 2],
      ["公用设施", 1],
    ]);
    expect(rows[0]?.share).toBe(3 / 8);
  });

  it("is empty when nothing was reported", () => {
    expect(categoryBreakdown([], NOW)).toEqual([]);
  });
});

describe("community and grid ranking", () => {
  it("ranks areas by case count with names from the region layer, unknown areas by code", () => {
    // G1: A, B, E, F = 4; G2: C, D, G = 3; G3: H = 1. Community 1 = G1 + G2 = 7; community 2 = 1.
    expect(areaRanking(INCIDENTS, AREA_NAMES, NOW)).toEqual({
      communities: [
        { code: COMMUNITY_1, name: "东四社区", count: 7 },
        { code: COMMUNITY_2, name: COMMUNITY_2, count: 1 },
      ],
      grids: [
        { code: GRID_1, name: "东四一网格", count: 4 },
        { code: GRID_2, name: "东四二网格", count: 3 },
        { code: GRID_3, name: GRID_3, count: 1 },
      ],
    });
  });

  it("keeps only the top entries when asked", () => {
    expect(areaRanking(INCIDENTS, AREA_NAMES, NOW, { limit: 1 }).grids).toEqual([{ code: GRID_1, name: "东四一网格", count: 4 }]);
  });
});
