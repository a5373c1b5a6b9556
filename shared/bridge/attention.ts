import type { AttentionReason } from "../domain/attention.js";
import type { AlertLevel, Operator } from "../protocol/types.js";

/*
 * The attention list as it crosses the bridge. The engine keeps it (every
 * open urgent case, every overdue case, the feed's alerts) with the
 * acknowledgements, so every page shows the same list and a restart keeps it.
 */

export type AttentionKind = "urgent-case" | "overdue-case" | "alert";

export type Acknowledgement = { by: Operator; at: string };

export type AttentionItem = {
  /** `case:<incident id>` or `alert:<alert id>`: the item's identity, and what `acknowledgeAttention` names. */
  key: string;
  kind: AttentionKind;
  level: AlertLevel;
  /** Why a case is on the list (empty for a feed alert). */
  reasons: AttentionReason[];
  title: string;
  body?: string;
  /** When it began to need attention (ISO): an urgent case's creation, the deadline an overdue case missed, an alert's time. */
  at: string;
  incidentId?: string;
  unitId?: string;
  /** The feed's alerts folded into this item (an alert about a case on the list), acknowledged with it. */
  alertIds: string[];
  /** Who acknowledged it and when; absent while it waits for someone. */
  acknowledged?: Acknowledgement;
};

export type AttentionChanges = { upserts: AttentionItem[]; removed: string[]; reset: boolean };

/**
 * What the bottom ticker shows, as the engine keeps it: the first items of the
 * list in the ticker's order (shared/domain/attention-order.ts) and the counts
 * it needs, so a page neither holds nor sorts the whole list (tens of
 * thousands of overdue cases at city scale).
 */
export type AttentionTicker = {
  /** The first items in the ticker's order, at most ATTENTION_TICKER_ITEMS. */
  items: AttentionItem[];
  /** Items on the list, acknowledged ones included. */
  total: number;
  /** Items nobody has acknowledged. */
  waiting: number;
  /** Of those, critical ones; and whether any of them is a feed alert (the sharper tone). */
  criticalWaiting: number;
  criticalAlertWaiting: boolean;
};

/** How many items the ticker's view carries: the ticker is one line along the bottom (a column on wide walls). */
export const ATTENTION_TICKER_ITEMS = 60;
