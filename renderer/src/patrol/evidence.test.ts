import { describe, expect, it } from "vitest";
import type { PatrolEvidence } from "../../../shared/bridge/contract.js";
import { describeEvidence, distance, duration, evidenceLabel, gap, matchedShare, type EvidenceContext } from "./evidence.js";
import { patrolMessages } from "./messages.js";

/** 2026-12-05 (Saturday), Beijing time. */
const at = (hhmm: string, day = "2026-12-05") => Date.parse(`${day}T${hhmm}:00+08:00`);
const NOW = at("15:00");
const names: Record<string, string> = { u2: "张三" };
const context = (language: "zh-CN" | "en", placeOf?: EvidenceContext["placeOf"]): EvidenceContext => ({
  text: patrolMessages[language],
  now: NOW,
  nameOf: (id) => names[id] ?? id,
  ...(placeOf ? { placeOf } : {}),
});

const stationary: PatrolEvidence = { reason: "stationary", from: at("09:12"), to: at("11:40"), lon: 116.4, lat: 39.9, radiusM: 18 };
const speed: PatrolEvidence = { reason: "speed", from: at("10:05"), to: at("10:05") + 40_000, lon: 116.4, lat: 39.9, toLon: 116.42, toLat: 39.9, distanceM: 1800, seconds: 40, speedMps: 45 };
const twin: PatrolEvidence = { reason: "twin", from: at("08:30"), to: at("11:40"), lon: 116.4, lat: 39.9, otherUnitId: "u2", meanGapM: 6.2, sharedMinutes: 190 };
const replay: PatrolEvidence = { reason: "replay", from: at("09:00"), to: at("11:00"), lon: 116.4, lat: 39.9, sourceDay: "2026-12-04", medianGapM: 4, matchedMinutes: 110 };

describe("evidence in plain words (zh-CN)", () => {
  it("says when, how far and how long a device stood still, and where", () => {
    expect(describeEvidence(stationary, context("zh-CN", () => "东华门第3网格"))).toBe("09:12–11:40 在同一点 18 米内未移动（2 小时 28 分），位于东华门第3网格");
  });

  it("leaves the place out where the point lies in no known grid", () => {
    expect(describeEvidence(stationary, context("zh-CN", () => undefined))).toBe("09:12–11:40 在同一点 18 米内未移动（2 小时 28 分）");
  });

  it("words a jump with its gap, distance and speed after the fixes' accuracy", () => {
    expect(describeEvidence(speed, context("zh-CN"))).toBe("10:05 两次定位相隔 40 秒移动 1.8 公里，折合 45 米/秒（约 162 公里/小时，已扣除定位误差）");
  });

  it("names the twin partner, how long they went together and how far apart", () => {
    expect(describeEvidence(twin, context("zh-CN"))).toBe("08:30–11:40 与 张三 的设备同行 3 小时 10 分，平均相距 6 米");
  });

  it("names the day a replayed track repeats and the share that matched", () => {
    expect(describeEvidence(replay, context("zh-CN"))).toBe("09:00–11:00 的轨迹与 12月4日 同一时段的轨迹重合 92%（1 小时 50 分，相距中位数 4 米）");
  });

  it("names the day of a finding that is not from today", () => {
    const yesterday = { ...stationary, from: at("09:12", "2026-12-04"), to: at("11:40", "2026-12-04") };
    expect(describeEvidence(yesterday, context("zh-CN"))).toMatch(/^12月4日 09:12–11:40 /);
  });

  it("labels each finding on the map in a few words", () => {
    const c = context("zh-CN");
    expect([stationary, speed, twin, replay].map((e) => evidenceLabel(e, c))).toEqual(["静止 2 小时 28 分", "45 米/秒", "与 张三 同行", "重放 12月4日"]);
  });
});

describe("evidence in plain words (en)", () => {
  it("words every kind of finding in English, in Beijing time", () => {
    const c = context("en", () => "Grid 3");
    expect(describeEvidence(stationary, c)).toBe("09:12–11:40 stayed within 18 m of one spot (2 h 28 min), in Grid 3");
    expect(describeEvidence(speed, c)).toBe("10:05 two fixes 40 s apart, 1.8 km covered: 45 m/s (about 162 km/h) after allowing for fix accuracy, in Grid 3");
    expect(describeEvidence(twin, c)).toBe("08:30–11:40 moved with 张三's device for 3 h 10 min, 6 m apart on average");
    expect(describeEvidence(replay, c)).toBe("09:00–11:00 the track repeats the same hours of Dec 4: 92% matched (1 h 50 min), median 4 m apart");
  });

  it("names another day in English", () => {
    const earlier = { ...speed, from: at("10:05", "2026-11-30") };
    expect(describeEvidence(earlier, context("en"))).toMatch(/^Nov 30, 10:05 /);
  });
});

describe("figures", () => {
  const zh = patrolMessages["zh-CN"];
  it("gives metres below a kilometre and kilometres to one decimal above", () => {
    expect([distance(0.4, zh), distance(999.4, zh), distance(1000, zh), distance(1850, zh), distance(12_345, zh)]).toEqual(["0 米", "999 米", "1 公里", "1.9 公里", "12.3 公里"]);
  });

  it("gives seconds, minutes, and hours with minutes", () => {
    expect([duration(40_000, zh), duration(48 * 60_000, zh), duration(180 * 60_000, zh), duration(148 * 60_000, zh)]).toEqual(["40 秒", "48 分钟", "3 小时", "2 小时 28 分"]);
  });

  it("gives a gap between fixes in seconds, then minutes and seconds", () => {
    expect([gap(40, zh), gap(119, zh), gap(180, zh), gap(200, zh)]).toEqual(["40 秒", "119 秒", "3 分钟", "3 分 20 秒"]);
  });

  it("never claims more than all of a replayed span", () => {
    expect(matchedShare({ from: 0, to: 60 * 60_000, matchedMinutes: 75 })).toBe(100);
    expect(matchedShare({ from: 0, to: 0, matchedMinutes: 5 })).toBe(100);
    expect(matchedShare({ from: 0, to: 100 * 60_000, matchedMinutes: 33 })).toBe(33);
  });
});
