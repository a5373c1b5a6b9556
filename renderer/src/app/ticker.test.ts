import { afterEach, describe, expect, it, vi } from "vitest";
import { SecondTicker } from "./ticker.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("SecondTicker", () => {
  it("runs one interval for all subscribers and stops it when the last one leaves", () => {
    vi.useFakeTimers();
    let clock = 1000;
    const ticker = new SecondTicker(() => clock);
    const seen: number[] = [];
    const offA = ticker.subscribe(() => seen.push(ticker.getNow()));
    const offB = ticker.subscribe(() => seen.push(ticker.getNow()));
    expect(vi.getTimerCount()).toBe(1);
    clock = 2000;
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([2000, 2000]);
    // `read` is the clock now, between ticks too (a form's default deadline); `getNow` the last tick's.
    clock = 2500;
    expect(ticker.read()).toBe(2500);
    expect(ticker.getNow()).toBe(2000);
    offA();
    expect(vi.getTimerCount()).toBe(1);
    offB();
    expect(vi.getTimerCount()).toBe(0);
  });
});
