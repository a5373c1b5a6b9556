import type { CaseAction } from "../../../shared/domain/lifecycle.js";

/*
 * The keyboard map of the operator's desk, as a pure function so the whole
 * map is tested and shown as hints from one place.
 */

export type Shortcut =
  | { kind: "next" }
  | { kind: "previous" }
  | { kind: "open" }
  | { kind: "search" }
  | { kind: "escape" }
  | { kind: "report" }
  | { kind: "action"; action: CaseAction };

export type KeyLike = { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean };

export const ACTION_KEYS: Record<CaseAction, string> = {
  register: "R",
  reject: "X",
  dispatch: "D",
  urge: "U",
  close: "C",
  rework: "W",
  annotate: "N",
  evaluate: "E",
};

const BY_LETTER = new Map(Object.entries(ACTION_KEYS).map(([action, key]) => [key.toLowerCase(), action as CaseAction]));

/**
 * `typing` is true while focus is in a text field: then only Escape and F2
 * act, so letters reach the field.
 */
export function shortcutFor(event: KeyLike, typing: boolean): Shortcut | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  if (event.key === "Escape") return { kind: "escape" };
  if (event.key === "F2") return { kind: "report" };
  if (typing) return null;
  switch (event.key) {
    case "ArrowDown":
    case "j":
    case "J":
      return { kind: "next" };
    case "ArrowUp":
    case "k":
    case "K":
      return { kind: "previous" };
    case "Enter":
      return { kind: "open" };
    case "/":
      return { kind: "search" };
  }
  const action = BY_LETTER.get(event.key.toLowerCase());
  return action ? { kind: "action", action } : null;
}

/** The id after or before `current` in `ids`, staying at the ends; the first id when nothing is current. */
export function moveCursor(ids: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index === -1) return ids[0] ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, index + step))] ?? null;
}
