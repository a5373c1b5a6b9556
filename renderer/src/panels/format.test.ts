import { describe, expect, it } from "vitest";
import { describeChange, fitName, formatValue } from "./format.js";
import { panelMessages } from "./messages.js";

const zh = panelMessages["zh-CN"];

describe("KPI formatting", () => {
  it("shows a missing value as a dash, never as zero", () => {
    expect(formatValue(null, "rate")).toBe("—");
    expect(formatValue(0, "rate")).toBe("0.0%");
    expect(formatValue(2 / 3, "rate")).toBe("66.7%");
    expect(formatValue(15.41667, "hours")).toBe("15.4");
    expect(formatValue(3, "count")).toBe("3");
  });

  it("marks a change with an arrow and a sign, and says whether it is good news", () => {
    expect(describeChange(3, "count", "down", zh)).toEqual({ arrow: "▲", text: "+3", tone: "worse", words: "升 3，变差" });
    expect(describeChange(-0.05, "rate", "up", zh)).toEqual({ arrow: "▼", text: "−5.0 个百分点", tone: "worse", words: "降 5.0 个百分点，变差" });
    expect(describeChange(-2, "count", "down", zh).tone).toBe("better");
    expect(describeChange(2, "count", "neither", zh).tone).toBe("neutral");
  });

  it("calls a change that rounds to nothing flat, and a missing comparison no history", () => {
    expect(describeChange(0.0001, "rate", "up", zh)).toEqual({ arrow: "＝", text: "0", tone: "neutral", words: "持平" });
    expect(describeChange(null, "count", "up", zh)).toEqual({ arrow: "", text: "—", tone: "neutral", words: "历史数据不足" });
  });
});

describe("bar names", () => {
  it("keeps a name that fits, and cuts a longer one with an ellipsis to the width it has, counting CJK as one em and Latin as less", () => {
    expect(fitName("东华门街道", 6)).toBe("东华门街道");
    expect(fitName("建国门东大街社区居委会", 8)).toBe("建国门东大街社…");
    expect(Array.from(fitName("建国门东大街社区居委会", 8)).length).toBeLessThanOrEqual(8);
    expect(fitName("Jianguomen East Street Community", 12)).toBe("Jianguomen East St…");
  });
});
