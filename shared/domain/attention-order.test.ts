import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acknowledgedAt, attentionItem } from "./fixtures/attention-item.js";
import { attentionTicker, orderAttention } from "./attention-order.js";

const item = attentionItem;
const acknowledged = acknowledgedAt;

describe("the ticker's order of the attention list", () => {
  it("lists waiting items first, critical before warning before info, newest first within a level, then the acknowledged ones", () => {
    const items = [
      item("case:ack-old", { acknowledged: acknowledged("2026-11-23T10:01:00+08:00") }),
      item("alert:info", { kind: "alert", level: "info", at: "2026-11-23T10:05:00+08:00" }),
      item("case:late", { kind: "overdue-case", level: "warning", reasons: ["overdue"] }),
      item("alert:sos-old", { kind: "alert", at: "2026-11-23T09:00:00+08:00" }),
      item("case:new", { at: "2026-11-23T09:30:00+08:00" }),
      item("case:ack-new", { acknowledged: acknowledged("2026-11-23T10:02:00+08:00") }),
    ];
    const order = ["case:new", "alert:sos-old", "case:late", "alert:info", "case:ack-new", "case:ack-old"];
    expect(orderAttention(items).map((i) => i.key)).toEqual(order);
    const ticker = attentionTicker(items, 3);
    expect(ticker.items.map((i) => i.key)).toEqual(order.slice(0, 3));
    expect(ticker).toMatchObject({ total: 6, waiting: 4, criticalWaiting: 2, criticalAlertWaiting: true });
  });

  it("keeps, in one pass, the same first items as sorting everything, and counts the whole list", () => {
    const minute = fc.integer({ min: 0, max: 40 }).map((m) => `2026-11-23T10:${String(m).padStart(2, "0")}:00+08:00`);
    const arbitraryItem = fc.record({
      id: fc.integer({ min: 0, max: 60 }),
      kind: fc.constantFrom("urgent-case" as const, "overdue-case" as const, "alert" as const),
      level: fc.constantFrom("critical" as const, "warning" as const, "info" as const),
      at: minute,
      acknowledgedAt: fc.option(minute, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryItem, { maxLength: 80 }), fc.integer({ min: 0, max: 12 }), (raw, limit) => {
        const byKey = new Map(raw.map((r) => [`k:${r.id}`, item(`k:${r.id}`, { kind: r.kind, level: r.level, at: r.at, ...(r.acknowledgedAt ? { acknowledged: acknowledged(r.acknowledgedAt) } : {}) })]));
        const items = [...byKey.values()];
        const ticker = attentionTicker(items, limit);
        expect(ticker.items).toEqual(orderAttention(items).slice(0, limit));
        const waiting = items.filter((i) => !i.acknowledged);
        expect(ticker.total).toBe(items.length);
        expect(ticker.waiting).toBe(waiting.length);
        expect(ticker.criticalWaiting).toBe(waiting.filter((i) => i.level === "critical").length);
        expect(ticker.criticalAlertWaiting).toBe(waiting.some((i) => i.level === "critical" && i.kind === "alert"));
      }),
      { numRuns: 300 },
    );
  });
});
