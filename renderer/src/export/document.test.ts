import { describe, expect, it } from "vitest";
import type { ConsoleSettings, CoverageSummary, IncidentView, PatrolChecks, UnitView } from "../../../shared/bridge/contract.js";
import { indexCategories } from "../../../shared/domain/deadlines.js";
import type { RegionArea, RegionLayer } from "../../../shared/geo/region.js";
import { TILE_SPECS } from "../panels/KpiTiles.js";
import { panelMessages } from "../panels/messages.js";
import { computeSituation, NOTABLE_CASES } from "../../../shared/domain/situation.js";
import { caseGridCounts, overdueAt } from "../../../shared/domain/grid-counts.js";
import { maskTitle, notableCases } from "../../../shared/domain/notable.js";
import { buildExportDocument, type ExportDocument, type ExportInput } from "./document.js";
import { failureReason, isExportKey } from "./download.js";
import { buildExportMap, quartileBreaks, shadeOf } from "./map.js";
import { incidentView } from "../../../shared/domain/fixtures/incident-view.js";

const NOW = Date.parse("2026-11-22T15:00:00.000+08:00");
const GRID = "110101001001001";
const OTHER_GRID = "110101001001002";

function incident(id: string, patch: Partial<IncidentView>): IncidentView {
  return incidentView(id, { gridCode: GRID, department: { id: "d1", name: "街道城管执法队" }, ...patch });
}

/** An operator page holds reporters unmasked; nothing of them may reach the paper. */
const INCIDENTS = new Map(
  [
    incident("A", { priority: "urgent", title: "王建国 13912345678 反映占道经营", reporter: { name: "王建国", phone: "13912345678", masked: false }, address: "东四北大街 1 号", description: "王建国说…" }),
    incident("B", { closeBy: "2026-11-22T12:00:00.000+08:00", title: "欧阳娜娜来电：路灯不亮，回电 010-64001234", reporter: { name: "欧阳娜娜", phone: "010-64001234", masked: false } }),
    incident("C", { status: "closed", gridCode: OTHER_GRID }),
  ].map((i) => [i.id, i]),
);

const SETTINGS = { subCenterName: "东城区网格化服务管理分中心", categories: [], departments: [{ id: "d1", name: "街道城管执法队" }] } as unknown as ConsoleSettings;
const NAMES = new Map([
  [GRID, "东四第1网格"],
  [OTHER_GRID, "东四第2网格"],
]);
const COVERAGE: CoverageSummary = { today: "2026-11-22", visitsByDay: { "2026-11-22": { [GRID]: 2 } } };

function input(patch: Partial<ExportInput> = {}): ExportInput {
  const units = new Map<string, UnitView>();
  return {
    language: "zh-CN",
    subCenterName: SETTINGS.subCenterName,
    demo: false,
    generatedAt: NOW,
    dataAsOf: "2026-11-22T06:58:30.000Z",
    // The engine sends the notable cases with the situation: here the reference computation of them.
    situation: { ...computeSituation(INCIDENTS, units, SETTINGS, NAMES, NOW), notable: notableCases(INCIDENTS.values(), indexCategories([]), NAMES, NOW, NOTABLE_CASES) },
    names: NAMES,
    gridCodes: [GRID, OTHER_GRID],
    coverage: COVERAGE,
    patrolChecks: null,
    units,
    ...patch,
  };
}

const allText = (doc: ExportDocument): string => JSON.stringify(doc);

describe("the exported briefing's content", () => {
  it("says when the data is from, in Beijing time, whatever the machine's zone", () => {
    const doc = buildExportDocument(input());
    expect(doc.dataAsOf).toEqual({ zh: "数据截至 2026-11-22 14:58:30（北京时间）" });
    expect(doc.generatedAt.zh).toBe("生成于 2026-11-22 15:00:00");
  });

  it("marks a document made from the demo feed, on every page's head", () => {
    expect(buildExportDocument(input()).demo).toBeNull();
    expect(buildExportDocument(input({ demo: true })).demo?.zh).toBe("演示/培训数据：内置模拟数据源，非真实案件");
  });

  it("says in words why a rate or a comparison is missing, as the tiles do", () => {
    const doc = buildExportDocument(input());
    expect(doc.kpis.find((k) => k.key === "satisfactionRate")?.value).toBe(panelMessages["zh-CN"].noneEvaluated);
    expect(doc.kpis.find((k) => k.key === "reported")?.dayOnDay).toBe(panelMessages["zh-CN"].noHistory);
  });

  it("falls back to the situation's own time when the data time is unknown", () => {
    expect(buildExportDocument(input({ dataAsOf: null })).dataAsOf.zh).toBe("数据截至 2026-11-22 15:00:00（北京时间）");
  });

  it("never carries a reporter's name, phone, address or description, even from an operator page that holds them unmasked", () => {
    const text = allText(buildExportDocument(input()));
    for (const secret of ["王建国", "13912345678", "欧阳娜娜", "64001234", "东四北大街", "王建国说"]) expect(text).not.toContain(secret);
    const doc = buildExportDocument(input());
    expect(doc.notable.map((c) => c.title)).toEqual(["欧阳**来电：路灯不亮，回电 010****1234", "王** 139****5678 反映占道经营"]);
  });

  it("masks a title's phone numbers even when the case has no reporter on record", () => {
    expect(maskTitle("来电 13912345678 反映噪声", undefined)).toBe("来电 139****5678 反映噪声");
    expect(maskTitle("王* 反映", { name: "王*", masked: true })).toBe("王* 反映");
  });

  it("gives every KPI its definition, and the ledger adds up to the overdue count", () => {
    const doc = buildExportDocument(input());
    // The wall's own tiles, in their order, with their own wording: one definition for the screen and the paper.
    expect(doc.kpis.map((k) => k.key)).toEqual([...TILE_SPECS.map((spec) => spec.key), "onDuty"]);
    expect(doc.kpis.find((k) => k.key === "closureRate")?.definition.zh).toBe(panelMessages["zh-CN"].closureRateDefinition);
    for (const kpi of doc.kpis) expect(kpi.definition.zh.length).toBeGreaterThan(5);
    expect(doc.kpis.find((k) => k.key === "overdue")?.value).toBe("1 件");
    expect(doc.ledgerTotal).toBe(1);
    expect(doc.ledger[0]).toEqual({ name: { zh: "街道城管执法队" }, overdue: 1 });
  });

  it("is Chinese, with English beneath when the console is in English", () => {
    const zh = buildExportDocument(input());
    expect(zh.kpis[0]?.label).toEqual({ zh: "今日上报" });
    const en = buildExportDocument(input({ language: "en" }));
    expect(en.kpis[0]?.label).toEqual({ zh: "今日上报", en: "Reported today" });
    expect(en.dataAsOf).toEqual({ zh: "数据截至 2026-11-22 14:58:30（北京时间）", en: "Data as of 2026-11-22 14:58:30 (Beijing time)" });
    expect(en.notable[0]?.status).toEqual({ zh: "派遣", en: "Dispatched" });
  });

  it("reports coverage from the tracks, and says so when there are none", () => {
    const doc = buildExportDocument(input());
    expect(doc.coverage?.visited.zh).toBe("1 / 2 个网格（50.0%）");
    expect(doc.coverage?.grids).toEqual([
      { name: "东四第2网格", visits: 0 },
      { name: "东四第1网格", visits: 2 },
    ]);
    expect(buildExportDocument(input({ coverage: null })).coverage).toBeNull();
  });

  it("lists the patrol checks with every staff name masked and no unit id or phone, in both languages when asked", () => {
    const at = (hhmm: string) => Date.parse(`2026-11-22T${hhmm}:00+08:00`);
    const staff = (id: string, name: string) => ({ id, name, role: "grid_assistant", gridCode: GRID, status: "on_patrol", slot: 0, phone: "13800138000" }) as UnitView;
    const units = new Map([
      ["unit-7781", staff("unit-7781", "张三丰")],
      ["unit-7782", staff("unit-7782", "欧阳娜娜")],
    ]);
    const patrolChecks: PatrolChecks = {
      computedAt: "2026-11-22T07:00:00.000Z",
      source: "platform",
      coveredFrom: null,
      checks: [
        {
          unitId: "unit-7781",
          verdict: "suspect",
          reasons: ["twin"],
          shift: {
            from: at("08:00"),
            to: at("12:00"),
            verdict: "suspect",
            reasons: ["twin"],
            evidence: [{ reason: "twin", from: at("08:30"), to: at("11:40"), lon: 116.4, lat: 39.9, otherUnitId: "unit-7782", meanGapM: 6, sharedMinutes: 190 }],
            fixes: 240,
            distanceM: 5000,
            gridsVisited: [],
          },
          shifts: 4,
          suspectShifts: 1,
        },
        { unitId: "unit-7782", verdict: "ok", reasons: [], shift: null, shifts: 4, suspectShifts: 0 },
      ],
    } as PatrolChecks;
    const doc = buildExportDocument(input({ language: "en", patrolChecks, units }));
    expect(doc.patrols?.counts.map((c) => [c.verdict, c.count])).toEqual([
      ["suspect", 1],
      ["insufficient", 0],
      ["ok", 1],
    ]);
    expect(doc.patrols?.suspects[0]).toMatchObject({ name: "张**", grid: "东四第1网格", role: { zh: "网格员" } });
    expect(doc.patrols?.suspects[0]?.evidence[0]?.zh).toContain("欧阳**");
    expect(doc.patrols?.suspects[0]?.evidence[0]?.en).toBeDefined();
    const text = allText(doc);
    for (const secret of ["张三丰", "欧阳娜娜", "unit-7781", "unit-7782", "13800138000"]) expect(text).not.toContain(secret);
    expect(buildExportDocument(input()).patrols).toBeNull();
  });
});

const square = (code: string, level: RegionArea["level"], x: number, y: number, size: number, name = code): RegionArea => ({
  level,
  code,
  name,
  polygons: [
    [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  ],
  labelAt: [x + size / 2, y + size / 2],
  bbox: [x, y, x + size, y + size],
});

describe("the exported map", () => {
  const layer: RegionLayer = {
    district: square("110101", "district", 116.4, 39.9, 0.02),
    streets: [square("110101001", "street", 116.4, 39.9, 0.02, "东四街道")],
    communities: [square("110101001001", "community", 116.4, 39.9, 0.02)],
    grids: [square(GRID, "grid", 116.4, 39.9, 0.01), square(OTHER_GRID, "grid", 116.41, 39.9, 0.01)],
  };

  it("shades grids by open cases and outlines those with overdue ones", () => {
    // The engine's counts for this layer: here the reference count of the same cases.
    const input = { incidents: INCIDENTS.values(), gridIndex: new Map(layer.grids.map((g, i) => [g.code, i])), gridCount: layer.grids.length, isOverdue: overdueAt(indexCategories([]), NOW) };
    const map = buildExportMap(layer, { open: caseGridCounts("open", input), overdue: caseGridCounts("overdue", { ...input, incidents: INCIDENTS.values() }) });
    expect(map.level).toBe("grid");
    const [busy, quiet] = map.areas;
    expect(busy).toMatchObject({ code: GRID, overdue: true });
    expect(busy?.shade).toBeGreaterThan(0);
    expect(quiet).toMatchObject({ code: OTHER_GRID, shade: 0, overdue: false });
    expect(busy?.d).toMatch(/^M[\d. L]+Z$/);
    expect(map.labels).toEqual([expect.objectContaining({ text: "东四街道" })]);
  });

  it("draws the areas unshaded when the engine has no counts for this layer", () => {
    const map = buildExportMap(layer, null);
    expect(map.areas.map((a) => [a.code, a.shade, a.overdue])).toEqual([
      [GRID, 0, false],
      [OTHER_GRID, 0, false],
    ]);
  });

  it("cuts the counts into four shades that never share a bound", () => {
    expect(quartileBreaks([])).toEqual([1, 2, 3, 4]);
    expect(quartileBreaks([5, 5, 5])).toEqual([5, 6, 7, 8]);
    const breaks = quartileBreaks([1, 2, 3, 4, 10, 20, 40, 80]);
    expect(breaks).toEqual([2, 4, 20, 80]);
    expect([0, 1, 3, 20, 21, 80].map((n) => shadeOf(n, breaks))).toEqual([0, 1, 2, 3, 4, 4]);
  });
});

describe("the export key and the host's errors", () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

  it("takes P outside text fields, and Ctrl/⌘+P anywhere", () => {
    expect(isExportKey(key("p"), false)).toBe(true);
    expect(isExportKey(key("P"), false)).toBe(true);
    expect(isExportKey(key("p"), true)).toBe(false);
    expect(isExportKey(key("p", { ctrlKey: true }), true)).toBe(true);
    expect(isExportKey(key("p", { metaKey: true }), false)).toBe(true);
    expect(isExportKey(key("p", { altKey: true }), false)).toBe(false);
    expect(isExportKey(key("o"), false)).toBe(false);
  });

  it("shows the host's own message, or the status when the reply is not JSON", async () => {
    const reply = (body: unknown, status = 503) => ({ status, statusText: "Service Unavailable", json: () => (body instanceof Error ? Promise.reject(body) : Promise.resolve(body)) });
    expect(await failureReason(reply({ code: "no-browser", message: "未找到 / none found" }))).toBe("未找到 / none found");
    expect(await failureReason(reply({ message: "超时", detail: "no PDF within 90 s" }))).toBe("超时 (no PDF within 90 s)");
    expect(await failureReason(reply(new Error("not JSON")))).toBe("HTTP 503 Service Unavailable");
  });
});
