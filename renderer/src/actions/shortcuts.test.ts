import { describe, expect, it } from "vitest";
import { moveCursor, shortcutFor, type KeyLike } from "./shortcuts.js";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe("shortcutFor", () => {
  it("maps queue movement, open and search keys", () => {
    expect(shortcutFor(key("ArrowDown"), false)).toEqual({ kind: "next" });
    expect(shortcutFor(key("j"), false)).toEqual({ kind: "next" });
    expect(shortcutFor(key("K"), false)).toEqual({ kind: "previous" });
    expect(shortcutFor(key("Enter"), false)).toEqual({ kind: "open" });
    expect(shortcutFor(key("/"), false)).toEqual({ kind: "search" });
  });

  it("maps each case action letter, in either case", () => {
    expect(["r", "x", "d", "u", "c", "w", "n"].map((k) => shortcutFor(key(k), false))).toEqual(
      ["register", "reject", "dispatch", "urge", "close", "rework", "annotate"].map((action) => ({ kind: "action", action })),
    );
    expect(shortcutFor(key("D"), false)).toEqual({ kind: "action", action: "dispatch" });
  });

  it("lets letters reach a text field but still honours Escape and F2 there", () => {
    expect(shortcutFor(key("d"), true)).toBeNull();
    expect(shortcutFor(key("Enter"), true)).toBeNull();
    expect(shortcutFor(key("Escape"), true)).toEqual({ kind: "escape" });
    expect(shortcutFor(key("F2"), true)).toEqual({ kind: "report" });
  });

  it("leaves browser and system chords alone", () => {
    expect(shortcutFor(key("r", { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(key("c", { metaKey: true }), false)).toBeNull();
    expect(shortcutFor(key("q"), false)).toBeNull();
  });
});

describe("moveCursor", () => {
  it("steps through the list and stops at both ends", () => {
    const ids = ["a", "b", "c"];
    expect(moveCursor(ids, null, 1)).toBe("a");
    expect(moveCursor(ids, "a", 1)).toBe("b");
    expect(moveCursor(ids, "c", 1)).toBe("c");
    expect(moveCursor(ids, "a", -1)).toBe("a");
    expect(moveCursor(ids, "gone", -1)).toBe("a");
    expect(moveCursor([], "a", 1)).toBeNull();
  });
});
