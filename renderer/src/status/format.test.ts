import { describe, expect, it } from "vitest";
import { toEpochMs } from "../../../shared/domain/time.js";
import { countWaiting, formatBytes, formatSince } from "./format.js";

describe("formatSince", () => {
  const now = toEpochMs("2026-11-23T00:20:00+08:00");

  it("shows only the Beijing time of day for a time earlier today", () => {
    expect(formatSince("2026-11-22T16:05:09.000Z", now)).toBe("00:05:09");
  });

  it("puts the date in front of a time before Beijing midnight", () => {
    expect(formatSince("2026-11-22T23:59:30+08:00", now)).toBe("11-22 23:59:30");
  });

  it("gives nothing for a missing or unreadable time", () => {
    expect(formatSince(null, now)).toBeNull();
    expect(formatSince("yesterday", now)).toBeNull();
  });
});

describe("formatBytes", () => {
  it("uses B, KB and MB", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("countWaiting", () => {
  it("counts queued and sending commands, not the ones the platform refused", () => {
    expect(countWaiting([{ state: "queued" }, { state: "sending" }, { state: "conflict" }, { state: "rejected" }])).toBe(2);
  });
});
