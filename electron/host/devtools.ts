import type WebSocket from "ws";

/*
 * Calls over a bare Chrome DevTools socket: each command gets an id, and its
 * reply (matched by id) settles it. Used by the web host's PDF export
 * (./headless-print.ts) and by the benchmarks (bench/cdp.ts), which both
 * keep away from any driver whose observers would distort what they measure.
 */

type Reply = { id?: number; result?: unknown; error?: { message: string } };

/** How a failed call is reported: the browser refused it, or its socket closed with the call unanswered. */
export type DevToolsFailure = (kind: "refused" | "closed", message: string) => Error;

export class DevToolsSocket {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly socket: WebSocket,
    failure: DevToolsFailure = (_kind, message) => new Error(message),
  ) {
    socket.on("message", (data) => {
      const reply = JSON.parse(String(data)) as Reply;
      if (reply.id === undefined) return;
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if (reply.error) pending.reject(failure("refused", `DevTools: ${reply.error.message}`));
      else pending.resolve(reply.result);
    });
    socket.on("close", () => {
      for (const pending of this.waiting.values()) pending.reject(failure("closed", "the browser closed its DevTools socket"));
      this.waiting.clear();
    });
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }
}
