import type { AttentionItem } from "../../../shared/bridge/attention.js";
import { LEVEL_RANK } from "../../../shared/domain/attention.js";
import { toEpochMs } from "../../../shared/domain/time.js";

/*
 * How the bottom ticker orders the engine's attention list and when it
 * sounds. The list itself (what is on it, who acknowledged what) is the
 * engine's (electron/engine/attention.ts), shared by every page. Pure, so the
 * rules are tested without a DOM.
 */

/** While an unacknowledged critical item is on the list, its tone repeats this often (escalation until someone acknowledges). */
export const REPEAT_TONE_MS = 30_000;

/** Waiting items first (critical, warning, info; newest first within a level), then acknowledged ones, most recently acknowledged first. */
export function orderAttention(items: Iterable<AttentionItem>): AttentionItem[] {
  return [...items].sort((a, b) => {
    if (!a.acknowledged !== !b.acknowledged) return a.acknowledged ? 1 : -1;
    if (a.acknowledged && b.acknowledged) return toEpochMs(b.acknowledged.at) - toEpochMs(a.acknowledged.at) || a.key.localeCompare(b.key);
    return LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || toEpochMs(b.at) - toEpochMs(a.at) || a.key.localeCompare(b.key);
  });
}

export const waiting = (items: readonly AttentionItem[]): AttentionItem[] => items.filter((item) => !item.acknowledged);

/** Waiting items whose key is not in `seen`: the ones to flash and sound for once. */
export const freshItems = (items: readonly AttentionItem[], seen: ReadonlySet<string>): AttentionItem[] =>
  items.filter((item) => !item.acknowledged && !seen.has(item.key));

export type Tone = "critical" | "urgent";

/** Silent when the setting is off and always in briefing mode (visitors in the room); critical outranks urgent; warnings and info are silent. */
export function toneFor(items: readonly AttentionItem[], soundOn: boolean, briefing: boolean): Tone | null {
  if (!soundOn || briefing) return null;
  const open = items.filter((item) => !item.acknowledged && item.level === "critical");
  if (open.length === 0) return null;
  return open.some((item) => item.kind === "alert") ? "critical" : "urgent";
}
