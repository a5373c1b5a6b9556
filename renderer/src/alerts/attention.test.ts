import { describe, expect, it } from "vitest";
import { acknowledgedAt, attentionItem } from "../../../shared/domain/fixtures/attention-item.js";
import { criticalOf, freshItems, markSeen, nothingSeen, toneFor } from "./attention.js";

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
    const seen = nothingSeen();
    markSeen([item("alert:sos"), item("case:C2")], seen);
    const items = [item("alert:sos"), item("case:C2"), item("alert:note", { level: "info" }), item("case:done", { acknowledged: acknowledged("2026-11-23T10:01:00+08:00") })];
    expect(freshItems(items, seen).map((i) => i.key)).toEqual(["alert:note"]);
  });

  it("does not take an older item that moves up into the ticker's first items for news", () => {
    const seen = nothingSeen();
    const shown = [item("case:new", { at: "2026-11-23T10:05:00+08:00" }), item("case:mid", { at: "2026-11-23T10:03:00+08:00" })];
    expect(freshItems(shown, seen).map((i) => i.key)).toEqual(["case:new", "case:mid"]);
    markSeen(shown, seen);
    // case:new acknowledged and gone from the first items; an older urgent case moves up; a new one arrives.
    const next = [item("case:newest", { at: "2026-11-23T10:06:00+08:00" }), item("case:mid", { at: "2026-11-23T10:03:00+08:00" }), item("case:old", { at: "2026-11-23T09:00:00+08:00" })];
    expect(freshItems(next, seen).map((i) => i.key)).toEqual(["case:newest"]);
    // Per level: the first warning shown is news whatever the criticals' times.
    expect(freshItems([item("case:late", { level: "warning", at: "2026-11-23T08:00:00+08:00" })], seen).map((i) => i.key)).toEqual(["case:late"]);
  });
});
