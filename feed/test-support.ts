import { io, type Socket } from "socket.io-client";
import { NAMESPACE } from "../shared/protocol/limits.js";
import type { Command } from "../shared/protocol/types.js";
import { fixtureLayer } from "./region-synthetic.js";
import { createFeedServer, type FeedServer, type FeedServerOptions } from "./server.js";

/*
 * Helpers for the feed's own tests: a small still server and a plain
 * socket.io-client probe that records everything it is sent. The conformance
 * suite deliberately uses no console code, only the wire.
 */

export const TOKEN = "test-token";
export const TRAINER_TOKEN = "test-trainer-token";
export const START = Date.parse("2026-11-20T10:00:00+08:00");

export function startFeed(overrides: Partial<FeedServerOptions> = {}): Promise<FeedServer> {
  return createFeedServer({ token: TOKEN, trainerToken: TRAINER_TOKEN, seed: 7, region: fixtureLayer(), startAt: START, paused: true, ...overrides });
}

export type Received = { event: string; payload: unknown };

export class Probe {
  readonly received: Received[] = [];
  private waiters: { test: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      const entry = { event, payload };
      this.received.push(entry);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(entry)) return true;
        w.resolve(entry);
        return false;
      });
    });
  }

  of(event: string): unknown[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload);
  }

  /** The next matching message, including one already received after `fromIndex`. */
  next(event: string, test: (payload: unknown) => boolean = () => true, timeoutMs = 5000, fromIndex = 0): Promise<unknown> {
    const match = (r: Received) => r.event === event && test(r.payload);
    const already = this.received.slice(fromIndex).find(match);
    if (already) return Promise.resolve(already.payload);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ test: match, resolve: (r) => (clearTimeout(timer), resolve(r.payload)) });
    });
  }

  request<T>(event: string, payload?: unknown, timeoutMs = 5000): Promise<T> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
  }

  close(): void {
    this.socket.close();
  }
}

export function connectConsole(url: string, auth: Record<string, unknown> = { token: TOKEN, consoleId: "test-console", protocol: 1 }): Probe {
  return new Probe(io(`${url}${NAMESPACE}`, { auth, transports: ["websocket"], reconnection: false, forceNew: true }));
}

export function connectTrainer(url: string, token = TRAINER_TOKEN): Probe {
  return new Probe(io(`${url}/trainer`, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true }));
}

/** Resolves with the connect_error message, or "connected". */
export function connectOutcome(probe: Probe): Promise<string> {
  return new Promise((resolve) => {
    probe.socket.once("connect", () => resolve("connected"));
    probe.socket.once("connect_error", (error: Error) => resolve(error.message));
  });
}

export const until = async (condition: () => boolean, timeoutMs = 5000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

let commandCounter = 0;
export function command<T extends Command["type"]>(type: T, fields: Omit<Extract<Command, { type: T }>, "type" | "commandId" | "issuedAt" | "operator"> & { commandId?: string }): Command {
  return {
    commandId: fields.commandId ?? `cmd-${process.pid}-${++commandCounter}`,
    issuedAt: "2026-11-20T10:05:00.000+08:00",
    operator: { id: "op-1", name: "值班员甲" },
    type,
    ...fields,
  } as Command;
}
