import { describe, expect, it } from "vitest";
import type { Category } from "../bridge/contract.js";
import { caseAttention, formatReasons, isWorse, parseReasons, type AttentionCaseInput } from "./attention.js";
import { indexCategories } from "./deadlines.js";
import { toEpochMs } from "./time.js";

const categories = indexCategories([
  { code: "0301", major: "安全隐患", minor: "燃气泄漏", defaultPriority: "urgent", respondHours: 0.5, closeHours: 4 },
  { code: "0401", major: "市容环境", minor: "垃圾堆放", defaultPriority: "normal", respondHours: 8, closeHours: 48 },
] satisfies Category[]);

const gas = { code: "0301", major: "安全隐患", minor: "燃气泄漏" };
const litter = { code: "0401", major: "市容环境", minor: "垃圾堆放" };
const created = "2026-11-22T23:40:00.000+08:00";
const at = (iso: string) => toEpochMs(iso);

const incident = (over: Partial<AttentionCaseInput> = {}): AttentionCaseInput => ({ status: "reported", createdAt: created, category: litter, priority: "normal", ...over });

describe("caseAttention", () => {
  it("puts an open urgent case on the list as critical from its creation", () => {
    const found = caseAttention(incident({ priority: "urgent", category: gas }), categories, at("2026-11-22T23:50:00+08:00"));
    expect(found).toEqual({ level: "critical", reasons: ["urgent"], since: created });
  });

  it("adds overdue to an urgent case past its respond deadline, still critical", () => {
    // 0301 responds within 0.5 h of creation: due 00:10 the next Beijing day.
    const found = caseAttention(incident({ priority: "urgent", category: gas }), categories, at("2026-11-23T03:40:00+08:00"));
    expect(found?.level).toBe("critical");
    expect(found?.reasons).toEqual(["urgent", "overdue"]);
  });

  it("puts a normal case on the list as a warning once overdue, since the deadline it missed", () => {
    expect(caseAttention(incident(), categories, at("2026-11-23T07:39:00+08:00"))).toBeNull();
    const found = caseAttention(incident(), categories, at("2026-11-23T07:41:00+08:00"));
    expect(found).toEqual({ level: "warning", reasons: ["overdue"], since: "2026-11-23T07:40:00.000+08:00" });
  });

  it("leaves closed and rejected cases off, however urgent or late", () => {
    const late = at("2026-12-30T00:00:00+08:00");
    expect(caseAttention(incident({ status: "closed", priority: "urgent" }), categories, late)).toBeNull();
    expect(caseAttention(incident({ status: "rejected", priority: "urgent" }), categories, late)).toBeNull();
  });
});

describe("isWorse", () => {
  it("brings an acknowledged urgent case back when it also goes overdue, or a warning when it turns critical", () => {
    expect(isWorse({ level: "critical", reasons: ["urgent", "overdue"] }, { level: "critical", reasons: ["urgent"] })).toBe(true);
    expect(isWorse({ level: "critical", reasons: ["overdue"] }, { level: "warning", reasons: ["overdue"] })).toBe(true);
  });

  it("keeps the acknowledgement when nothing got worse, or when it got better", () => {
    expect(isWorse({ level: "critical", reasons: ["urgent"] }, { level: "critical", reasons: ["urgent"] })).toBe(false);
    expect(isWorse({ level: "critical", reasons: ["urgent"] }, { level: "critical", reasons: ["urgent", "overdue"] })).toBe(false);
    expect(isWorse({ level: "warning", reasons: [] }, { level: "critical", reasons: [] })).toBe(false);
  });
});

describe("reasons as stored", () => {
  it("round-trip in a fixed order and drop unknown words", () => {
    expect(formatReasons(["overdue", "urgent"])).toBe("urgent overdue");
    expect(parseReasons("overdue bogus urgent")).toEqual(["urgent", "overdue"]);
    expect(parseReasons("")).toEqual([]);
  });
});
