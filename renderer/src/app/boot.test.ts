import { describe, expect, it } from "vitest";
import { describeError, initialLanguage, isBriefingView, isPatrolsView } from "./boot.js";

describe("initialLanguage", () => {
  it("prefers the operator's stored choice, then the deployment's setting, then Chinese", () => {
    expect(initialLanguage("en", "zh-CN")).toBe("en");
    expect(initialLanguage(null, "en")).toBe("en");
    expect(initialLanguage("fr", undefined)).toBe("zh-CN");
    expect(initialLanguage(null, "de")).toBe("zh-CN");
  });
});

describe("isPatrolsView", () => {
  it("opens the patrol screen only for view=patrols", () => {
    expect(isPatrolsView("?view=patrols")).toBe(true);
    expect(isPatrolsView("?key=abc&view=patrols")).toBe(true);
    expect(isPatrolsView("?view=briefing")).toBe(false);
    expect(isPatrolsView("")).toBe(false);
  });
});

describe("isBriefingView", () => {
  it("opens briefing mode only for view=briefing", () => {
    expect(isBriefingView("?view=briefing")).toBe(true);
    expect(isBriefingView("?x=1&view=briefing")).toBe(true);
    expect(isBriefingView("?view=operator")).toBe(false);
    expect(isBriefingView("")).toBe(false);
  });
});

describe("describeError", () => {
  it("reads the message of errors and strings and names anything else unknown", () => {
    expect(describeError(new Error("socket closed"))).toBe("socket closed");
    expect(describeError("refused")).toBe("refused");
    expect(describeError(42)).toBe("unknown error");
  });
});
