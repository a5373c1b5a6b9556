import { afterEach, describe, expect, it } from "vitest";
import { toEpochMs } from "../../../shared/domain/time.js";
import { buildCaseDraft, buildReportDraft, defaultDispatchDeadlines, formatBeijingLocal, parseBeijingLocal, type CaseForm, type ReportForm } from "./drafts.js";

const incident = { id: "DC202611230001", version: 7 };
const form = (over: Partial<CaseForm> = {}): CaseForm => ({ note: "", departmentId: "", respondBy: "", closeBy: "", ...over });

describe("buildCaseDraft", () => {
  it("sends register with an optional note and the version the operator saw", () => {
    expect(buildCaseDraft("register", incident, form())).toEqual({
      ok: true,
      draft: { type: "register", incidentId: incident.id, expectedVersion: 7, payload: {} },
    });
    expect(buildCaseDraft("register", incident, form({ note: " 属实 " }))).toMatchObject({ ok: true, draft: { payload: { note: "属实" } } });
  });

  it("requires a rating for evaluate and sends it with the optional call-back note", () => {
    expect(buildCaseDraft("evaluate", incident, form())).toEqual({ ok: false, errors: [{ field: "rating", code: "required" }] });
    expect(buildCaseDraft("evaluate", incident, form({ rating: "satisfied" }))).toEqual({
      ok: true,
      draft: { type: "evaluate", incidentId: incident.id, expectedVersion: 7, payload: { rating: "satisfied" } },
    });
    expect(buildCaseDraft("evaluate", incident, form({ rating: "unsatisfied", note: " 处理太慢 " }))).toMatchObject({ ok: true, draft: { payload: { rating: "unsatisfied", note: "处理太慢" } } });
    expect(buildCaseDraft("evaluate", incident, form({ rating: "great" }))).toEqual({ ok: false, errors: [{ field: "note", code: "invalid" }] });
  });

  it("requires a reason for reject and rework and sends it as `reason`", () => {
    expect(buildCaseDraft("reject", incident, form({ note: "  " }))).toEqual({ ok: false, errors: [{ field: "note", code: "required" }] });
    expect(buildCaseDraft("rework", incident, form())).toEqual({ ok: false, errors: [{ field: "note", code: "required" }] });
    expect(buildCaseDraft("reject", incident, form({ note: "重复上报" }))).toMatchObject({ ok: true, draft: { type: "reject", payload: { reason: "重复上报" } } });
  });

  it("requires a note for urge, close and annotate", () => {
    for (const action of ["urge", "close", "annotate"] as const) {
      expect(buildCaseDraft(action, incident, form())).toEqual({ ok: false, errors: [{ field: "note", code: "required" }] });
      expect(buildCaseDraft(action, incident, form({ note: "现场已核实" }))).toMatchObject({ ok: true, draft: { payload: { note: "现场已核实" } } });
    }
  });

  it("requires a department for dispatch and sends Beijing deadlines as ISO times with +08:00", () => {
    expect(buildCaseDraft("dispatch", incident, form())).toEqual({ ok: false, errors: [{ field: "department", code: "required" }] });
    const result = buildCaseDraft("dispatch", incident, form({ departmentId: "D07", respondBy: "2026-11-23T23:30", closeBy: "2026-11-24T08:00" }));
    expect(result).toEqual({
      ok: true,
      draft: {
        type: "dispatch",
        incidentId: incident.id,
        expectedVersion: 7,
        payload: { departmentId: "D07", respondBy: "2026-11-23T23:30:00.000+08:00", closeBy: "2026-11-24T08:00:00.000+08:00" },
      },
    });
  });

  it("refuses a close deadline before the respond deadline and an unreadable time", () => {
    expect(buildCaseDraft("dispatch", incident, form({ departmentId: "D07", respondBy: "2026-11-24T10:00", closeBy: "2026-11-24T08:00" }))).toEqual({
      ok: false,
      errors: [{ field: "closeBy", code: "order" }],
    });
    expect(buildCaseDraft("dispatch", incident, form({ departmentId: "D07", respondBy: "tomorrow" }))).toEqual({ ok: false, errors: [{ field: "respondBy", code: "invalid" }] });
  });
});

describe("Beijing datetime-local", () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  it("reads and writes Beijing wall time the same with the machine in New York", () => {
    process.env.TZ = "America/New_York";
    const ms = parseBeijingLocal("2026-11-23T00:15");
    expect(ms).toBe(toEpochMs("2026-11-23T00:15:00+08:00"));
    expect(formatBeijingLocal(ms ?? 0)).toBe("2026-11-23T00:15");
    expect(parseBeijingLocal("2026-11-23 00:15")).toBeNull();
  });

  it("suggests dispatch deadlines from the category's hours, across midnight", () => {
    const now = toEpochMs("2026-11-23T22:00:00+08:00");
    const category = { code: "0401", major: "市容环境", minor: "垃圾堆放", defaultPriority: "normal" as const, respondHours: 8, closeHours: 48 };
    expect(defaultDispatchDeadlines(category, now)).toEqual({ respondBy: "2026-11-24T06:00", closeBy: "2026-11-25T22:00" });
    expect(defaultDispatchDeadlines(undefined, now)).toEqual({ respondBy: "", closeBy: "" });
  });
});

describe("buildReportDraft", () => {
  const report = (over: Partial<ReportForm> = {}): ReportForm => ({
    title: "井盖缺失",
    categoryCode: "0601",
    priority: "urgent",
    address: "东四十条 8 号",
    description: "",
    reporterName: "张三",
    reporterPhone: "13912345678",
    lon: "116.43",
    lat: "39.93",
    ...over,
  });

  it("builds a report with the grid found for the place and the reporter", () => {
    expect(buildReportDraft(report(), "ref-1", "110101006001002")).toEqual({
      ok: true,
      draft: {
        type: "report",
        payload: {
          clientRef: "ref-1",
          title: "井盖缺失",
          categoryCode: "0601",
          priority: "urgent",
          lon: 116.43,
          lat: 39.93,
          gridCode: "110101006001002",
          address: "东四十条 8 号",
          reporter: { name: "张三", phone: "13912345678" },
        },
      },
    });
  });

  it("leaves the grid to the platform when the place is in no known grid", () => {
    const result = buildReportDraft(report({ reporterName: "", reporterPhone: "" }), "ref-2", null);
    expect(result.ok && result.draft.payload).not.toHaveProperty("gridCode");
    expect(result.ok && result.draft.payload).not.toHaveProperty("reporter");
  });

  it("needs a title, a category and a readable place", () => {
    expect(buildReportDraft(report({ title: " ", categoryCode: "", lon: "" }), "ref-3", null)).toEqual({
      ok: false,
      errors: [
        { field: "title", code: "required" },
        { field: "category", code: "required" },
        { field: "place", code: "required" },
      ],
    });
    expect(buildReportDraft(report({ lat: "95" }), "ref-4", null)).toEqual({ ok: false, errors: [{ field: "place", code: "invalid" }] });
  });
});
