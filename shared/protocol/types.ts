import type { z } from "zod";
import type * as s from "./schemas.js";

export type Priority = z.infer<typeof s.priority>;
export type IncidentStatus = z.infer<typeof s.incidentStatus>;
export type Incident = z.infer<typeof s.incident>;
export type Evaluation = NonNullable<Incident["evaluation"]>;
/** The 评价 rating: the reporter's verdict after closing. */
export type Rating = Evaluation["rating"];
export type HistoryEntry = z.infer<typeof s.historyEntry>;
export type Unit = z.infer<typeof s.unit>;
export type UnitRole = Unit["role"];
export type UnitStatus = Unit["status"];
export type UnitFix = z.infer<typeof s.unitFix>;
export type Alert = z.infer<typeof s.alert>;
export type AlertLevel = Alert["level"];
export type FeedEvent = z.infer<typeof s.feedEvent>;
export type Hello = z.infer<typeof s.hello>;
export type Snapshot = z.infer<typeof s.snapshot>;
export type Delta = z.infer<typeof s.delta>;
export type Fix = z.infer<typeof s.fix>;
export type TracksReply = z.infer<typeof s.tracksReply>;
/** A `tracks` reply as the console takes it (each fix checked), or "unknown": not connected, not answered in time, unreadable. */
export type TracksAnswer = { ok: true; fixes: Fix[]; next?: string } | { ok: false; code: "invalid" | "unavailable"; message: string } | "unknown";
export type TracksRequest = z.infer<typeof s.tracksRequest>;
export type Heartbeat = z.infer<typeof s.heartbeat>;
export type SubscribeRequest = z.infer<typeof s.subscribeRequest>;
export type SubscribeAck = z.infer<typeof s.subscribeAck>;
export type Command = z.infer<typeof s.command>;
export type CommandType = Command["type"];
export type CommandResult = z.infer<typeof s.commandResult>;
export type CommandResultCode = Extract<CommandResult, { ok: false }>["code"];
export type Operator = z.infer<typeof s.operator>;
export type CommandPayload<T extends CommandType> = Extract<Command, { type: T }>["payload"];

/** Positions frame after validation: fixes that failed are counted, not kept. */
export type PositionsFrame = { at: string; fixes: Fix[] };
