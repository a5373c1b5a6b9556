import type { AttentionItem, AttentionTicker } from "../../../shared/bridge/attention.js";

/*
 * When the bottom ticker sounds. The list itself (what is on it, who
 * acknowledged what) and its order are the engine's (electron/engine/attention.ts,
 * shared/domain/attention-order.ts), shared by every page. Pure, so the rules
 * are tested without a DOM.
 */

/** While an unacknowledged critical item is on the list, its tone repeats this often (escalation until someone acknowledges). */
export const REPEAT_TONE_MS = 30_000;

/** Waiting items whose key is not in `seen`: the ones to flash and sound for once. */
export const freshItems = (items: readonly AttentionItem[], seen: ReadonlySet<string>): AttentionItem[] =>
  items.filter((item) => !item.acknowledged && !seen.has(item.key));

export type Tone = "critical" | "urgent";

type Critical = Pick<AttentionTicker, "criticalWaiting" | "criticalAlertWaiting">;

/** The waiting critical items among `items` (the ticker's view counts the whole list's itself). */
export function criticalOf(items: readonly AttentionItem[]): Critical {
  const open = items.filter((item) => !item.acknowledged && item.level === "critical");
  return { criticalWaiting: open.length, criticalAlertWaiting: open.some((item) => item.kind === "alert") };
}

/** Silent when the setting is off and always in briefing mode (visitors in the room); critical outranks urgent; warnings and info are silent. */
export function toneFor(critical: Critical, soundOn: boolean, briefing: boolean): Tone | null {
  if (!soundOn || briefing || critical.criticalWaiting === 0) return null;
  return critical.criticalAlertWaiting ? "critical" : "urgent";
}
