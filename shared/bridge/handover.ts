import type { ConnectionState, OutboxState } from "./contract.js";
import type { Acknowledgement, AttentionKind } from "./attention.js";
import type { AlertLevel, CommandType, IncidentStatus, Operator } from "../protocol/types.js";

/*
 * 交接班: the outgoing operator's note with the shift's record, assembled by
 * the engine (electron/engine/handover.ts) from what it keeps, stored in the
 * cache and shown to the next operator until acknowledged. Times are ISO.
 */

/** A case in the record: what it was and when it entered the list (opened, closed, or the deadline it missed). */
export type HandoverCase = { id: string; title: string; status: IncidentStatus; at: string };

/** A list cut to its first entries; `total` counts them all. */
export type HandoverList<T> = { total: number; items: T[] };

export type HandoverCommand = { commandId: string; type: CommandType; incidentId?: string; issuedAt: string; state: OutboxState; summary: string };

/** An attention item as it stood during the shift, with every acknowledgement of it made in the shift. */
export type HandoverAttention = {
  key: string;
  kind: AttentionKind;
  level: AlertLevel;
  title: string;
  at: string;
  incidentId?: string;
  /** Still on the list when the note was written. */
  open: boolean;
  acknowledgements: Acknowledgement[];
};

/** A stretch without live data: `to` absent while it still lasted when the note was written. */
export type HandoverOutage = { state: Exclude<ConnectionState, "live" | "connecting">; from: string; to?: string };

export type HandoverRecord = {
  id: string;
  /** The shift: from the previous handover (or the console's start) to when the note was written. */
  from: string;
  to: string;
  by: Operator;
  note: string;
  opened: HandoverList<HandoverCase>;
  closed: HandoverList<HandoverCase>;
  overdue: HandoverList<HandoverCase>;
  outbox: HandoverList<HandoverCommand>;
  attention: HandoverList<HandoverAttention>;
  outages: HandoverList<HandoverOutage>;
  /** Who took the shift over, and when; absent while the record waits for them. */
  acknowledged?: Acknowledgement;
};

/** The longest list a record keeps of each kind; the totals count the rest. */
export const HANDOVER_LIST_LIMIT = 200;
export const HANDOVER_NOTE_LIMIT = 4000;
