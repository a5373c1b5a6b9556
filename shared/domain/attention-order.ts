import type { AttentionItem, AttentionTicker } from "../bridge/attention.js";
import { LEVEL_RANK } from "./attention.js";
import { toEpochMs } from "./time.js";

/*
 * The ticker's order of the attention list: waiting items first (critical,
 * warning, info; newest first within a level), then acknowledged ones, most
 * recently acknowledged first; the key breaks ties. `orderAttention` is the
 * reference (a sort of everything); `attentionTicker` is what the engine runs
 * on each change: one pass keeping the first few, each item's sort key read
 * once per item object.
 */

type SortKey = { acknowledged: boolean; rank: number; time: number; key: string };

const keys = new WeakMap<AttentionItem, SortKey>();

function sortKey(item: AttentionItem): SortKey {
  let key = keys.get(item);
  if (!key) {
    key = item.acknowledged
      ? { acknowledged: true, rank: 0, time: toEpochMs(item.acknowledged.at), key: item.key }
      : { acknowledged: false, rank: LEVEL_RANK[item.level], time: toEpochMs(item.at), key: item.key };
    keys.set(item, key);
  }
  return key;
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.acknowledged !== b.acknowledged) return a.acknowledged ? 1 : -1;
  // NaN (an unreadable time) falls through to the key, as in a sort by subtraction.
  return b.rank - a.rank || b.time - a.time || a.key.localeCompare(b.key);
}

/** The ticker's order of two items (negative: `a` first). */
export const compareAttention = (a: AttentionItem, b: AttentionItem): number => compareKeys(sortKey(a), sortKey(b));

/** Every item in the ticker's order (the reference for `attentionTicker`). */
export function orderAttention(items: Iterable<AttentionItem>): AttentionItem[] {
  return [...items].sort(compareAttention);
}

/** The first `limit` items in the ticker's order and the counts, in one pass: O(n log limit) for the n items. */
export function attentionTicker(items: Iterable<AttentionItem>, limit: number): AttentionTicker {
  const top: { item: AttentionItem; key: SortKey }[] = [];
  let total = 0;
  let waiting = 0;
  let criticalWaiting = 0;
  let criticalAlertWaiting = false;
  for (const item of items) {
    total++;
    if (!item.acknowledged) {
      waiting++;
      if (item.level === "critical") {
        criticalWaiting++;
        if (item.kind === "alert") criticalAlertWaiting = true;
      }
    }
    if (limit <= 0) continue;
    const key = sortKey(item);
    const last = top.at(-1);
    if (top.length === limit && last && compareKeys(key, last.key) >= 0) continue;
    // Binary search for the first entry that sorts after this one.
    let low = 0;
    let high = top.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(top[middle]!.key, key) <= 0) low = middle + 1;
      else high = middle;
    }
    top.splice(low, 0, { item, key });
    if (top.length > limit) top.pop();
  }
  return { items: top.map((entry) => entry.item), total, waiting, criticalWaiting, criticalAlertWaiting };
}
