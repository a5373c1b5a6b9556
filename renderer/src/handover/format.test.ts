import { describe, expect, it } from "vitest";
import { minutesBetween, shortTime } from "./format.js";

describe("handover times", () => {
  it("are shown in Beijing time whatever offset they were written with", () => {
    expect(shortTime("2026-11-22T01:30:00.000Z")).toBe("11-22 09:30");
    expect(shortTime("2026-11-22T09:30:00.000+08:00")).toBe("11-22 09:30");
    expect(shortTime("not a time")).toBe("not a time");
  });

  it("count a stretch in whole minutes, a short one as one", () => {
    expect(minutesBetween("2026-11-22T09:00:00+08:00", "2026-11-22T09:44:40+08:00")).toBe(45);
    expect(minutesBetween("2026-11-22T09:00:00+08:00", "2026-11-22T09:00:10+08:00")).toBe(1);
  });
});
