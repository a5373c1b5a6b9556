/*
 * The presentation clicker, as pure functions. Clickers send PageDown/PageUp
 * for next/previous and "b" or "." to blank the screen (PowerPoint's keys);
 * arrow keys do the same from a keyboard.
 */

export const SCENES = ["overview", "hotSpots", "ledger", "ranking", "coverage", "patrols", "notable"] as const;
export type SceneId = (typeof SCENES)[number];

export type ClickerAction = "next" | "previous" | "blank";

export function clickerAction(event: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): ClickerAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (event.key) {
    case "PageDown":
    case "ArrowRight":
    case "ArrowDown":
    case " ":
      return "next";
    case "PageUp":
    case "ArrowLeft":
    case "ArrowUp":
      return "previous";
    case "b":
    case "B":
    case ".":
      return "blank";
    default:
      return null;
  }
}

/** `driven`: the presenter has used the clicker, so the wall holds each scene longer (see rotationDelayMs). */
export type BriefingState = { index: number; blank: boolean; driven: boolean };

export const INITIAL_BRIEFING: BriefingState = { index: 0, blank: false, driven: false };

/** Steps wrap around: a briefing loops, and the clicker never gets stuck at an end. */
export function applyClicker(state: BriefingState, action: ClickerAction | "rotate", count: number): BriefingState {
  switch (action) {
    case "blank":
      return { ...state, blank: !state.blank, driven: true };
    case "next":
      return { index: (state.index + 1) % count, blank: false, driven: true };
    case "previous":
      return { index: (state.index - 1 + count) % count, blank: false, driven: true };
    case "rotate":
      return { index: (state.index + 1) % count, blank: false, driven: false };
  }
}

/** Seconds per scene: the setting, kept between 5 s and 10 min so a bad value neither flickers nor freezes the wall. */
export function rotationMs(intervalSeconds: number | undefined): number {
  const seconds = intervalSeconds !== undefined && Number.isFinite(intervalSeconds) ? intervalSeconds : 30;
  return Math.min(600, Math.max(5, seconds)) * 1000;
}

/**
 * While a presenter is stepping with the clicker, the wall must not move on
 * in the middle of what they are saying: after a manual step the scene holds
 * for at least two minutes, then the unattended rotation resumes.
 */
export const PRESENTER_HOLD_MS = 120_000;

export function rotationDelayMs(state: BriefingState, intervalMs: number): number | null {
  if (state.blank) return null;
  return state.driven ? Math.max(intervalMs, PRESENTER_HOLD_MS) : intervalMs;
}
