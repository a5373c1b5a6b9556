import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import type { Socket } from "socket.io";
import type { Command, CommandResult, FeedEvent, Incident, Unit } from "../../../shared/protocol/types.js";
import { parseCommand } from "../../../shared/protocol/validate.js";

/*
 * A small, scriptable feed server for the engine's tests: PROTOCOL.md's
 * happy path plus hooks to misbehave on purpose (drop, repeat, withhold
 * snapshot parts, go silent). The reference feed server (feed/) is the
 * realistic one; this one makes each failure exact and repeatable.
 */

export type MiniFeedOptions = {
  token?: string;
  epoch?: string;
  heartbeatMs?: number;
  /** Incidents per snapshot part. */
  partSize?: number;
  /** Return false to withhold a snapshot part (to test incomplete snapshots). */
  sendPart?: (part: number, parts: number) => boolean;
  /** Return false to swallow a command without answering (to test ack timeouts). */
  answerCommand?: (command: Command, attempt: number) => boolean;
  /** Return true to refuse a command as the reference feed does over its rate (`invalid`, "rate limited"). */
  rateLimited?: (command: Command, attempt: number) => boolean;
  /** Makes the hello offer "tracks" and answers each `tracks` request with this (to test the backfill). */
  tracks?: (request: TracksRequest) => unknown;
  /** The Engine.IO transports the server offers (default both). */
  transports?: ("websocket" | "polling")[];
  /** WebSocket compression (permessage-deflate), off by default as in Socket.IO. */
  perMessageDeflate?: boolean;
  /** How far the platform's clock (hello and heartbeat serverTime, deltas' `at`) runs ahead of this machine's. */
  clockAheadMs?: number;
};

export type TracksRequest = { since: string; until: string; unitIds?: string[]; cursor?: string };

type Delta = { epoch: string; seq: number; at: string; events: FeedEvent[] };

export const iso = (ms = Date.now()): string => new Date(ms).toISOString().replace("Z", "+00:00");

export function makeIncident(id: string, version = 1, change: Partial<Incident> = {}): Incident {
  return {
    id,
    version,
    title: `case ${id}`,
    category: { code: "0101", major: "市容环境", minor: "暴露垃圾" },
    priority: "normal",
    status: "reported",
    source: "patrol",
    lon: 116.41,
    lat: 39.92,
    gridCode: "110101001001001",
    reworkCount: 0,
    createdAt: iso(Date.UTC(2026, 10, 22, 1)),
    updatedAt: iso(Date.UTC(2026, 10, 22, 1)),
    reporter: { name: "张三", phone: "13912345678" },
    history: [{ at: iso(Date.UTC(2026, 10, 22, 1)), action: "report", actor: "patrol" }],
    ...change,
  };
}

export function makeUnit(id: string, change: Partial<Unit> = {}): Unit {
  return { id, name: `员${id}`, role: "grid_manager", gridCode: "110101001001001", status: "on_patrol", phone: "13800001111", ...change };
}

const NEXT: Partial<Record<Command["type"], Incident["status"]>> = { register: "registered", reject: "rejected", dispatch: "dispatched", close: "closed", rework: "dispatched" };

export class MiniFeed {
  readonly incidents = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  readonly deltas: Delta[] = [];
  readonly subscribes: { epoch?: string; sinceSeq?: number }[] = [];
  /** Every command received, repeats included, in arrival order. */
  readonly received: Command[] = [];
  readonly applied = new Map<string, CommandResult>();
  epoch: string;
  silent = false;
  /** Connection attempts that reached the auth check. */
  authAttempts = 0;
  /** serverTime of every hello sent, and every tracks request, in order. */
  readonly hellos: string[] = [];
  readonly trackRequests: TracksRequest[] = [];
  /** The transport each console connected with, in order. */
  readonly transportsSeen: string[] = [];
  private io: Server;
  private httpServer = createServer();
  private heartbeat: NodeJS.Timeout | null = null;
  private subscribed = new Set<Socket>();
  private attempts = new Map<string, number>();
  url = "";

  constructor(private readonly options: MiniFeedOptions = {}) {
    this.epoch = options.epoch ?? "epoch-1";
    this.io = new Server(this.httpServer, {
      serveClient: false,
      ...(options.transports ? { transports: options.transports } : {}),
      ...(options.perMessageDeflate ? { perMessageDeflate: { threshold: 1024 } } : {}),
    });
    const nsp = this.io.of("/console");
    nsp.use((socket, next) => {
      this.authAttempts++;
      const auth = socket.handshake.auth as { token?: unknown; protocol?: unknown };
      if (auth.token !== (options.token ?? "secret")) return next(new Error("unauthorized"));
      if (auth.protocol !== 1) return next(new Error("protocol"));
      next();
    });
    nsp.on("connection", (socket) => this.onConnection(socket));
  }

  /** Calls `listener` with the URL of every HTTP request, before Socket.IO sees it. */
  onRequest(listener: (url: string) => void): void {
    this.httpServer.prependListener("request", (request) => listener(request.url ?? ""));
  }

  /** The platform's clock, ISO. */
  private now(): string {
    return iso(Date.now() + (this.options.clockAheadMs ?? 0));
  }

  get seq(): number {
    return this.deltas.at(-1)?.seq ?? 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.httpServer.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.httpServer.address() as AddressInfo).port}`;
    this.heartbeat = setInterval(() => {
      if (this.silent) return;
      for (const socket of this.subscribed) socket.emit("heartbeat", { serverTime: this.now(), headSeq: this.seq });
    }, this.options.heartbeatMs ?? 200);
    return this.url;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await new Promise<void>((resolve) => void this.io.close(() => resolve()));
  }

  /** Raw emit to every subscribed console: for malformed or out-of-order messages. */
  emitRaw(event: string, payload: unknown): void {
    for (const socket of this.subscribed) socket.emit(event, payload);
  }

  disconnectAll(): void {
    for (const socket of this.subscribed) socket.disconnect(true);
  }

  /** Records a delta (state changes applied here) and sends it unless `send` is false. */
  publish(events: FeedEvent[], send = true): Delta {
    for (const event of events) {
      if (event.type === "incident.upsert") this.incidents.set(event.incident.id, event.incident);
      if (event.type === "incident.archived") this.incidents.delete(event.id);
      if (event.type === "unit.upsert") this.units.set(event.unit.id, event.unit);
    }
    const delta: Delta = { epoch: this.epoch, seq: this.seq + 1, at: this.now(), events };
    this.deltas.push(delta);
    if (send && !this.silent) this.emitRaw("delta", delta);
    return delta;
  }

  upsert(incident: Incident, send = true): Delta {
    return this.publish([{ type: "incident.upsert", incident }], send);
  }

  private onConnection(socket: Socket): void {
    const serverTime = this.now();
    this.hellos.push(serverTime);
    // With compression negotiated, "websocket+permessage-deflate".
    const extensions = (socket.conn.transport as { socket?: { extensions?: unknown } }).socket?.extensions;
    this.transportsSeen.push(typeof extensions === "string" && extensions !== "" ? `${socket.conn.transport.name}+${extensions}` : socket.conn.transport.name);
    const capabilities = this.options.tracks ? { capabilities: ["tracks"] } : {};
    socket.emit("hello", { protocol: 1, epoch: this.epoch, serverTime, scope: { districtCode: "110101" }, headSeq: this.seq, ...capabilities });
    socket.on("tracks", (request: TracksRequest, ack: (answer: unknown) => void) => {
      this.trackRequests.push(request);
      ack(this.options.tracks?.(request) ?? { ok: false, code: "unavailable", message: "no tracks here" });
    });
    socket.on("subscribe", (request: { epoch?: string; sinceSeq?: number }, ack: (answer: unknown) => void) => {
      this.subscribes.push(request);
      this.subscribed.add(socket);
      const resume = request.epoch === this.epoch && typeof request.sinceSeq === "number" && request.sinceSeq <= this.seq;
      ack({ ok: true, mode: resume ? "deltas" : "snapshot", headSeq: this.seq });
      if (resume) {
        for (const delta of this.deltas) if (delta.seq > (request.sinceSeq ?? 0)) socket.emit("delta", delta);
      } else {
        this.sendSnapshot(socket);
      }
    });
    socket.on("command", (raw: unknown, ack: (answer: unknown) => void) => {
      const parsed = parseCommand(raw);
      if (!parsed.ok) return ack({ ok: false, code: "invalid", message: parsed.error.reason });
      const command = parsed.value;
      this.received.push(command);
      const attempt = (this.attempts.get(command.commandId) ?? 0) + 1;
      this.attempts.set(command.commandId, attempt);
      if (this.options.answerCommand && !this.options.answerCommand(command, attempt)) return;
      if (this.options.rateLimited?.(command, attempt)) return ack({ ok: false, code: "invalid", message: "rate limited" });
      ack(this.apply(command));
    });
    socket.on("disconnect", () => this.subscribed.delete(socket));
  }

  private sendSnapshot(socket: Socket): void {
    const incidents = [...this.incidents.values()];
    const size = this.options.partSize ?? 1000;
    const parts = Math.max(1, Math.ceil(incidents.length / size));
    for (let part = 1; part <= parts; part++) {
      if (this.options.sendPart && !this.options.sendPart(part, parts)) continue;
      socket.emit("snapshot", { epoch: this.epoch, seq: this.seq, part, parts, incidents: incidents.slice((part - 1) * size, part * size), units: part === 1 ? [...this.units.values()] : [] });
    }
  }

  private apply(command: Command): CommandResult {
    const previous = this.applied.get(command.commandId);
    if (previous) return previous.ok ? { ...previous, duplicate: true } : previous;
    let result: CommandResult;
    if (command.type === "report") {
      const id = `R${this.incidents.size + 1}`;
      const incident = makeIncident(id, 1, { clientRef: command.payload.clientRef, title: command.payload.title, source: "console" });
      this.upsert(incident);
      result = { ok: true, incident };
    } else {
      const current = this.incidents.get(command.incidentId);
      if (!current) result = { ok: false, code: "not_found", message: "no such case" };
      else if (command.expectedVersion !== undefined && command.expectedVersion < current.version) result = { ok: false, code: "conflict", message: "the case moved on", incident: current };
      else {
        const incident: Incident = { ...current, version: current.version + 1, status: NEXT[command.type] ?? current.status, history: [...current.history, { at: iso(), action: command.type, actor: command.operator.name }] };
        this.upsert(incident);
        result = { ok: true, incident };
      }
    }
    this.applied.set(command.commandId, result);
    return result;
  }
}
