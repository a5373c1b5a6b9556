import { describe, expect, it } from "vitest";
import { sendFailureText } from "./failure.js";
import { actionMessages } from "./messages.js";

describe("sendFailureText: what a form says when a command was not accepted", () => {
  it("says the outcome is unknown (never 未能提交) when the engine died while taking it", () => {
    const error = { code: "unknown_outcome", message: "the console's engine stopped while answering sendCommand" } as const;
    const zh = sendFailureText(actionMessages["zh-CN"], error);
    expect(zh).toBe("结果未知：引擎重启时此操作可能已保存，请先查看待发指令/案件处理过程，勿重复提交");
    expect(zh).not.toMatch(/未能提交/);
    expect(sendFailureText(actionMessages.en, error)).toMatch(/^Outcome unknown: .*before submitting it again$/);
  });

  it("says not submitted, with the reason, for a refusal that certainly did not take effect", () => {
    expect(sendFailureText(actionMessages["zh-CN"], { code: "unavailable", message: "engine restarting" })).toBe("未能提交：engine restarting");
    expect(sendFailureText(actionMessages.en, { code: "invalid", message: "bad note" })).toBe("Not submitted: bad note");
  });
});
