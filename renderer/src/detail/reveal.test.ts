import { describe, expect, it } from "vitest";
import { detailMessages } from "./messages.js";
import { REVEAL_REASONS, REVEAL_SHOWN_MS, revealExpired, revealReason, type RevealReasonCode } from "./reveal.js";

const zh = detailMessages["zh-CN"];
const labels = Object.fromEntries(REVEAL_REASONS.map((code) => [code, zh[`reason_${code}`]])) as Record<RevealReasonCode, string>;

describe("the reason for a reveal", () => {
  it("is required: nothing chosen, or 'other' without words, gives none", () => {
    expect(revealReason("", "想看看", labels)).toBeNull();
    expect(revealReason("other", "   ", labels)).toBeNull();
  });

  it("is recorded in Chinese whatever the screen's language, with the operator's words after a common reason", () => {
    expect(revealReason("callback", "", labels)).toBe("回访核实");
    expect(revealReason("staffContact", "  张师傅\n 要电话 ", labels)).toBe("处置人员需联系报告人：张师傅 要电话");
    expect(revealReason("other", "市民再次来电", labels)).toBe("市民再次来电");
  });

  it("fits the bridge's limit for short text", () => {
    expect(revealReason("other", "字".repeat(500), labels)?.length).toBe(200);
  });

  it("has a label in both languages for every common reason", () => {
    for (const code of REVEAL_REASONS) {
      expect(detailMessages["zh-CN"][`reason_${code}`]).toMatch(/\S/);
      expect(detailMessages.en[`reason_${code}`]).toMatch(/\S/);
    }
  });
});

describe("a revealed reporter", () => {
  it("is masked again after a minute", () => {
    expect(revealExpired(1_000, 1_000 + REVEAL_SHOWN_MS - 1)).toBe(false);
    expect(revealExpired(1_000, 1_000 + REVEAL_SHOWN_MS)).toBe(true);
    expect(REVEAL_SHOWN_MS).toBe(60_000);
  });

  it("is masked at once should the clock go back", () => {
    expect(revealExpired(10_000, 9_000)).toBe(true);
  });
});
