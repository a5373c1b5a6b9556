import { afterEach, describe, expect, it, vi } from "vitest";
import { DeltaBuffer, estimateBytes, SummarisedLog } from "./feed-budget.js";
import { makeIncident } from "./testing/mini-feed.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("size estimate", () => {
  it("is within a few tens of percent of the JSON length of a delta, and stops counting past its limit", () => {
    const delta = { epoch: "e", seq: 7, at: "2026-11-20T10:00:00.000+08:00", events: Array.from({ length: 200 }, (_, n) => ({ type: "incident.upsert", incident: makeIncident(`I${n}`) })) };
    const json = JSON.stringify(delta).length;
    const estimate = estimateBytes(delta);
    expect(estimate).toBeGreaterThan(json * 0.7);
    expect(estimate).toBeLessThan(json * 1.5);
    expect(estimateBytes(delta, 1000)).toBeLessThan(2000);
  });
});

describe("delta buffer", () => {
  const delta = (seq: number, padding = 0) => ({ seq, note: "x".repeat(padding) });

  it("refuses a delta that would pass its byte or count cap, and keeps the sum of what it holds", () => {
    const buffer = new DeltaBuffer<{ seq: number; note: string }>({ count: 3, bytes: 2_500 });
    expect(buffer.add(delta(2, 1_000))).toBe(true);
    expect(buffer.add(delta(3, 1_000))).toBe(true);
    expect(buffer.add(delta(4, 1_000))).toBe(false);
    expect(buffer.size).toBe(2);
    expect(buffer.bytes).toBe(estimateBytes(delta(2, 1_000)) * 2);
    expect(buffer.add(delta(5))).toBe(true);
    expect(buffer.add(delta(6))).toBe(false);
    buffer.prune((d) => d.seq <= 3);
    expect(buffer.size).toBe(1);
    expect(buffer.bytes).toBe(estimateBytes(delta(5)));
    expect(buffer.highestSeq()).toBe(5);
  });
});

describe("summarised log", () => {
  it("says a reason once per window and then how many more came, whatever the flood", () => {
    vi.useFakeTimers();
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const log = new SummarisedLog((_level, message, fields) => lines.push(fields ? { message, fields } : { message }), 10_000);
    for (let n = 0; n < 10_000; n++) log.note("delta.invalid", "warn", "dropped a feed message", { reason: "delta.invalid", n });
    log.note("heartbeat.invalid", "warn", "dropped a feed message", { reason: "heartbeat.invalid" });
    expect(lines).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ message: "dropped a feed message (9999 more in the last 10 s)", fields: { more: 9_999, reason: "delta.invalid", n: 9_999 } });
    // Quiet for a window: the next one is said at once again.
    vi.advanceTimersByTime(10_000);
    log.note("delta.invalid", "warn", "dropped a feed message", { reason: "delta.invalid" });
    expect(lines).toHaveLength(4);
    log.note("delta.invalid", "warn", "dropped a feed message", { reason: "delta.invalid" });
    log.flush();
    expect(lines).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
  });
});
