import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { maskName, maskPhone, maskReporter } from "./masking.js";

describe("maskName", () => {
  it("keeps a one-character surname and hides each given-name character", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("王小明")).toBe("王**");
  });
  it("keeps both characters of a compound surname", () => {
    expect(maskName("欧阳娜娜")).toBe("欧阳**");
    expect(maskName("司马光")).toBe("司马*");
  });
  it("does not treat a two-character name as a compound surname", () => {
    expect(maskName("欧阳")).toBe("欧*");
  });
  it("hides a single-character name after it rather than showing it whole", () => {
    expect(maskName("李")).toBe("李*");
  });
  it("keeps only the initial of each Latin word", () => {
    expect(maskName("John Smith")).toBe("J*** S****");
  });
  it("never returns the original name of two or more characters", () => {
    fc.assert(fc.property(fc.string({ minLength: 2, maxLength: 12 }).filter((s) => s.trim().length >= 2 && !/[\s*]/.test(s.trim())), (name) => maskName(name) !== name.trim()));
  });
});

describe("maskPhone", () => {
  it("keeps the carrier prefix and the last four digits of a mobile number", () => {
    expect(maskPhone("13912345678")).toBe("139****5678");
  });
  it("ignores separators and the +86 country code", () => {
    expect(maskPhone("+86 139-1234-5678")).toBe("139****5678");
  });
  it("hides all but the last two digits of a short number", () => {
    expect(maskPhone("12345")).toBe("***45");
  });
  it("replaces the middle four digits of every 11-digit mobile number", () => {
    fc.assert(fc.property(fc.stringMatching(/^1\d{10}$/), (phone) => maskPhone(phone) === `${phone.slice(0, 3)}****${phone.slice(-4)}`));
  });
});

describe("maskReporter", () => {
  it("masks name and phone, keeps the unit id and flags the result as masked", () => {
    expect(maskReporter({ name: "张三", phone: "13912345678", unitId: "U-1" })).toEqual({ name: "张*", phone: "139****5678", unitId: "U-1", masked: true });
  });
});
