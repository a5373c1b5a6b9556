import { createHash, timingSafeEqual } from "node:crypto";
import type { Namespace, Socket } from "socket.io";
import { PROTOCOL_VERSION } from "../shared/protocol/limits.js";
import { subscribeRequest } from "../shared/protocol/schemas.js";
import type { CommandResult, Hello, SubscribeAck, TracksReply } from "../shared/protocol/types.js";
import { toBeijingIso } from "../shared/domain/time.js";
import type { FeedStore } from "./store.js";
import type { ConsoleSession } from "./session.js";
import { type RateLimit, RATE_LIMITED, TokenBucket } from "./limits.js";

/*
 * The `/console` namespace of PROTOCOL.md: token and protocol checks at the
 * handshake, hello first, subscribe (resume or snapshot), commands.
 */

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time token check (hashing first makes the lengths equal). */
export function tokenMatches(expected: string, given: unknown): boolean {
  return typeof given === "string" && timingSafeEqual(digest(expected), digest(given));
}

/** Handshake check shared by both namespaces: `connect_error` "unauthorized" or "protocol". */
export function authenticate(namespace: Namespace, token: string, options: { requireProtocol: boolean }): void {
  namespace.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; protocol?: unknown };
    if (!tokenMatches(token, auth.token)) return next(new Error("unauthorized"));
    if (options.requireProtocol && auth.protocol !== PROTOCOL_VERSION) return next(new Error("protocol"));
    next();
  });
}

/** Socket.IO passes the ack as the last argument, and an event sent with only a callback has no payload. */
export function splitArgs(args: unknown[]): { payload: unknown; ack: (value: unknown) => void } {
  const last = args[args.length - 1];
  const ack = typeof last === "function" ? (last as (value: unknown) => void) : () => undefined;
  const payload = typeof last === "function" ? (args.length > 1 ? args[0] : undefined) : args[0];
  return { payload, ack };
}

export type ConsoleDeps = {
  store: FeedStore;
  now: () => number;
  scope: Hello["scope"];
  sessions: Set<ConsoleSession>;
  newSession: (socket: Socket) => ConsoleSession;
  handleCommand: (raw: unknown) => CommandResult;
  /** The first result of a command already applied (with `duplicate: true`), else undefined: cheap, so never rate limited. */
  answerRepeat: (raw: unknown) => CommandResult | undefined;
  /** Per socket; over it a command is refused unread (limits.ts). */
  commandRate: RateLimit;
  /** Per socket; over it the socket is disconnected (limits.ts). */
  subscribeRate: RateLimit;
  /** Answers `tracks`; absent: the server has no tracks, says none in hello and refuses the request as `unavailable`. */
  handleTracks?: (raw: unknown) => TracksReply;
};

export function serveConsoles(namespace: Namespace, deps: ConsoleDeps): void {
  namespace.on("connection", (socket) => {
    const session = deps.newSession(socket);
    deps.sessions.add(session);
    socket.on("disconnect", () => {
      session.reset();
      deps.sessions.delete(session);
    });
    const hello: Hello = { protocol: 1, epoch: deps.store.epoch, serverTime: toBeijingIso(deps.now()), scope: deps.scope, headSeq: deps.store.seq };
    if (deps.handleTracks) hello.capabilities = ["tracks"];
    socket.emit("hello", hello);

    const subscribes = new TokenBucket(deps.subscribeRate);
    socket.on("subscribe", (...args: unknown[]) => {
      if (!subscribes.take()) {
        socket.disconnect(true);
        return;
      }
      const { payload, ack } = splitArgs(args);
      const request = subscribeRequest.safeParse(payload ?? {});
      // A malformed request is answered with a snapshot, which a server may always send.
      const deltas = request.success ? deps.store.deltasSince(request.data.epoch, request.data.sinceSeq) : null;
      session.reset();
      const answer: SubscribeAck = { ok: true, mode: deltas ? "deltas" : "snapshot", headSeq: deps.store.seq };
      ack(answer);
      // Synchronous from here: no delta can be committed between the catch-up and going live.
      if (deltas) for (const delta of deltas) session.sendDirect("delta", delta);
      else for (const part of deps.store.snapshotParts()) session.sendDirect("snapshot", part);
      session.subscribed = true;
    });

    const commands = new TokenBucket(deps.commandRate);
    socket.on("command", (...args: unknown[]) => {
      const { payload, ack } = splitArgs(args);
      // A console retrying after a lost ack gets its answer even over the rate.
      ack(deps.answerRepeat(payload) ?? (commands.take() ? deps.handleCommand(payload) : RATE_LIMITED));
    });

    socket.on("tracks", (...args: unknown[]) => {
      const { payload, ack } = splitArgs(args);
      const unavailable: TracksReply = { ok: false, code: "unavailable", message: "this server keeps no tracks" };
      ack(deps.handleTracks ? deps.handleTracks(payload) : unavailable);
    });
  });
}
