import { describe, expect, it } from "vitest";
import { acknowledgedAt, attentionItem } from "../../../shared/domain/fixtures/attention-item.js";
import { criticalOf, freshItems, toneFor } from "./attention.js";

const item = attentionItem;
const acknowledged = acknowledgedAt;

describe("toneFor", () => {
  const sos = item("alert:sos", { kind: "alert" });
  const urgent = item("case:C2");

  it("sounds the critical tone for a waiting critical alert and the urgent tone for a waiting urgent case", () => {
    expect(toneFor(criticalOf([sos, urgent]), true, false)).toBe("critical");
    expect(toneFor(criticalOf([urgent]), true, false)).toBe("urgent");
  });

  it("stops once everything critical is acknowledged, and never sounds for warnings", () => {
    expect(toneFor(criticalOf([{ ...urgent, acknowledged: acknowledged("2026-11-23T10:01:00+08:00") }]), true, false)).toBeNull();
    expect(toneFor(criticalOf([item("case:late", { kind: "overdue-case", level: "warning" })]), true, false)).toBeNull();
  });

  it("stays silent when sound is off or the wall is in briefing mode", () => {
    expect(toneFor(criticalOf([sos]), false, false)).toBeNull();
    expect(toneFor(criticalOf([sos]), true, true)).toBeNull();
  });
});

describe("freshItems", () => {
  it("treats only waiting items not seen before as fresh", () => {
    const items = [item("alert:sos"), item("case:C2"), item("alert:note", { level: "info" }), item("case:done", { acknowledged: acknowledged("2026-11-23T10:01:00+08:00") })];
    expect(freshItems(items, new Set(["alert:sos", "case:C2"])).map((i) => i.key)).toEqual(["alert:note"]);
  });
});
