import type { CallerSession, HandoverRecord, OutboxState } from "../../shared/bridge/contract.js";
import type { AttentionReason } from "../../shared/domain/attention.js";
import type { KpiDay } from "../../shared/domain/kpi-days.js";
import type { Alert, AlertLevel, Command, Incident, Operator, Unit } from "../../shared/protocol/types.js";

/*
 * What the engine keeps: the replica of the platform's state, the outbox, and
 * the cache operations that persist them. One op list is both a journal record
 * and a batch of SQL writes, so replaying the journal and writing live run the
 * same code.
 */

export type Meta = { epoch: string | null; lastSeq: number; dataAsOf: string | null };

export type CommandFailure = { code: string; message: string; incident?: Incident };

export type StoredCommand = {
  command: Command;
  /** Send order; increases with every command made. */
  position: number;
  state: OutboxState;
  attempts: number;
  failure?: CommandFailure;
};

/** Latest fix of a unit, heading/speed/accuracy null when the terminal did not say. */
export type StoredFix = {
  unitId: string;
  lon: number;
  lat: number;
  at: number;
  heading: number | null;
  speed: number | null;
  accuracy: number | null;
};

export type Visit = { day: string; gridCode: string; unitId: string; hour: number };

export type StoredAlert = { alert: Alert; acknowledged: boolean };

/** An acknowledgement of an attention item: the condition the operator saw, who, and when (ISO). */
export type StoredAcknowledgement = { key: string; level: AlertLevel; reasons: AttentionReason[]; operator: Operator; at: string };
/** Why an acknowledgement stopped holding: the item got worse, or it left the list (its case resolved). */
export type AcknowledgementEnd = "worse" | "resolved";

export type CacheOp =
  /** A complete snapshot replaces the live picture: live cases not in it are kept as history. */
  | { op: "reset" }
  | { op: "incident"; incident: Incident }
  | { op: "archive"; id: string; version: number }
  | { op: "unit"; unit: Unit; slot: number }
  | { op: "alert"; alert: Alert }
  | { op: "alertAck"; id: string }
  | { op: "meta"; meta: Meta }
  | { op: "outboxPut"; entry: StoredCommand }
  | { op: "outboxDel"; commandId: string }
  /** `session`: the page that asked (shared/bridge/contract.ts); absent in records written before it was kept, and for a call made without a shell. */
  | { op: "reveal"; at: string; operator: Operator; incidentId: string; reason: string | null; session?: CallerSession }
  | { op: "ack"; ack: StoredAcknowledgement }
  | { op: "ackEnd"; key: string; at: string; why: AcknowledgementEnd }
  /** 交接班: a handover record (its `acknowledged` is kept by `handoverAck`), and the next operator taking it over. */
  | { op: "handover"; record: HandoverRecord }
  | { op: "handoverAck"; id: string; by: Operator; at: string }
  /** A Beijing day's KPI aggregate (kpi-days.ts), written once; and where the console's case history begins (ISO). */
  | { op: "kpiDay"; day: KpiDay; at: string }
  | { op: "kpiSince"; at: string };

export type LoadedCache = {
  meta: Meta;
  incidents: Incident[];
  units: { unit: Unit; slot: number }[];
  fixes: StoredFix[];
  outbox: StoredCommand[];
  alerts: StoredAlert[];
  visits: Visit[];
  /** The acknowledgements that hold now (not ended). */
  acknowledgements?: StoredAcknowledgement[];
};
