import { describe, expect, it } from "vitest";
import { beijingParts, formatClock, formatDate, startOfBeijingDay, toBeijingIso } from "./time.js";

describe("Beijing time", () => {
  it("prints an instant as Beijing wall time with a +08:00 offset", () => {
    expect(toBeijingIso(Date.parse("2026-11-22T01:30:00.250Z"))).toBe("2026-11-22T09:30:00.250+08:00");
  });

  it("floors fractional milliseconds so the ISO string stays valid", () => {
    const iso = toBeijingIso(Date.parse("2026-11-22T01:30:00.000Z") + 123.789);
    expect(iso).toBe("2026-11-22T09:30:00.123+08:00");
    expect(Number.isFinite(Date.parse(iso))).toBe(true);
  });

  it("rolls the date over at Beijing midnight, not UTC midnight", () => {
    const ms = Date.parse("2026-11-22T16:30:00Z");
    expect(formatDate(ms)).toBe("2026-11-23");
    expect(formatClock(ms)).toBe("00:30:00");
    expect(beijingParts(ms).weekday).toBe(1);
  });

  it("finds the start of the Beijing day containing an instant", () => {
    const ms = Date.parse("2026-11-22T16:30:00Z");
    expect(startOfBeijingDay(ms)).toBe(Date.parse("2026-11-22T16:00:00Z"));
    expect(startOfBeijingDay(Date.parse("2026-11-22T15:59:59.999Z"))).toBe(Date.parse("2026-11-21T16:00:00Z"));
  });
});
