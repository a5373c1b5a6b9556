import { describe, expect, it } from "vitest";
import { applyClicker, clickerAction, INITIAL_BRIEFING, PRESENTER_HOLD_MS, rotationDelayMs, rotationMs, SCENES } from "./control.js";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe("presentation clicker", () => {
  it("maps clicker and keyboard keys to next, previous and blank", () => {
    expect(["PageDown", "ArrowRight"].map((k) => clickerAction(key(k)))).toEqual(["next", "next"]);
    expect(["PageUp", "ArrowLeft"].map((k) => clickerAction(key(k)))).toEqual(["previous", "previous"]);
    expect(["b", "B", "."].map((k) => clickerAction(key(k)))).toEqual(["blank", "blank", "blank"]);
    expect(clickerAction(key("x"))).toBeNull();
    expect(clickerAction(key("PageDown", { ctrlKey: true }))).toBeNull();
  });

  it("wraps around at both ends and unblanks on a step", () => {
    const last = SCENES.length - 1;
    expect(applyClicker({ index: last, blank: false, driven: false }, "next", SCENES.length)).toEqual({ index: 0, blank: false, driven: true });
    expect(applyClicker({ index: 0, blank: false, driven: false }, "previous", SCENES.length)).toEqual({ index: last, blank: false, driven: true });
    expect(applyClicker({ index: 2, blank: true, driven: true }, "next", SCENES.length)).toEqual({ index: 3, blank: false, driven: true });
  });

  it("blanks on the blank key and unblanks on it again, staying on the scene", () => {
    const blanked = applyClicker({ index: 2, blank: false, driven: false }, "blank", SCENES.length);
    expect(blanked).toEqual({ index: 2, blank: true, driven: true });
    expect(applyClicker(blanked, "blank", SCENES.length)).toEqual({ index: 2, blank: false, driven: true });
  });

  it("rotates on the interval unattended, holds a scene the presenter chose, and stands still while blank", () => {
    expect(rotationDelayMs(INITIAL_BRIEFING, 20_000)).toBe(20_000);
    const stepped = applyClicker(INITIAL_BRIEFING, "next", SCENES.length);
    expect(rotationDelayMs(stepped, 20_000)).toBe(PRESENTER_HOLD_MS);
    expect(rotationDelayMs(stepped, 300_000)).toBe(300_000);
    // Once the hold runs out, the rotation is unattended again.
    expect(rotationDelayMs(applyClicker(stepped, "rotate", SCENES.length), 20_000)).toBe(20_000);
    expect(rotationDelayMs(applyClicker(INITIAL_BRIEFING, "blank", SCENES.length), 20_000)).toBeNull();
  });

  it("keeps the rotation interval within sane bounds", () => {
    expect(rotationMs(20)).toBe(20_000);
    expect(rotationMs(0)).toBe(5_000);
    expect(rotationMs(86_400)).toBe(600_000);
    expect(rotationMs(Number.NaN)).toBe(30_000);
  });
});
