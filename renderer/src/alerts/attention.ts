import type { AttentionItem, AttentionTicker } from "../../../shared/bridge/attention.js";
import type { AlertLevel } from "../../../shared/protocol/types.js";
import { toEpochMs } from "../../../shared/domain/time.js";

/*
 * When the bottom ticker sounds. The list itself (what is on it, who
 * acknowledged what) and its order are the engine's (electron/engine/attention.ts,
 * shared/domain/attention-order.ts), shared by every page. Pure, so the rules
 * are tested without a DOM.
 */

/** While an unacknowledged critical item is on the list, its tone repeats this often (escalation until someone acknowledges). */
export const REPEAT_TONE_MS = 30_000;

/** What a ticker has shown: the items' keys, and per level the newest `at` among them. */
export type Seen = { keys: Set<string>; newest: Map<AlertLevel, number> };

export const nothingSeen = (): Seen => ({ keys: new Set(), newest: new Map() });

/**
 * Waiting items to flash and sound for once: not shown before, and newer than every item of their level shown
 * before. The ticker holds the list's first items only, in order of level then newest first, so an older item
 * that moves up into it as others are acknowledged is not news (at city scale it would sound at every
 * acknowledgement); a critical one still sounds with the repeating tone while it waits.
 */
export const freshItems = (items: readonly AttentionItem[], seen: Seen): AttentionItem[] =>
  items.filter((item) => !item.acknowledged && !seen.keys.has(item.key) && toEpochMs(item.at) > (seen.newest.get(item.level) ?? -Infinity));

/** Notes `items` as shown. */
export function markSeen(items: readonly AttentionItem[], seen: Seen): void {
  for (const item of items) {
    seen.keys.add(item.key);
    const at = toEpochMs(item.at);
    if (at > (seen.newest.get(item.level) ?? -Infinity)) seen.newest.set(item.level, at);
  }
}

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
