import type { Bridge, BridgeCallName, BridgeCalls, BridgeEventName, BridgeEvents, ConnectionStatus, Result } from "../../../shared/bridge/contract.js";
import { BRIDGE_PATH, SECRET_META_NAME, SECRET_SUBPROTOCOL_PREFIX, WIRE_SUBPROTOCOL, decodeBinaryFrame, decodeWithAttachments, type Attachment } from "../../../shared/bridge/wire.js";
import { resync } from "./resync.js";

/*
 * The bridge over the web host's WebSocket. The page gets the per-launch
 * secret in a meta tag of index.html. When the host goes away (restart,
 * crash), calls in flight fail as `unavailable`, the view is told the
 * connection is being re-established, and the client keeps trying with
 * backoff; a restarted host has a new secret, so each attempt re-reads it from
 * a fresh index.html. Once back, the view is handed the whole current picture
 * as reset events, so nothing from the gap is missing. The same happens when
 * the host says `resync`: it dropped pushed events because this page fell too
 * far behind reading them, and kept the socket open.
 */

export type SocketHandlers = { onOpen(): void; onClose(): void; onMessage(data: string | ArrayBuffer): void };
export type SocketHandle = { send(text: string): void; close(): void };
export type WebBridgeEnvironment = {
  url: string;
  openSocket(url: string, protocols: string[], handlers: SocketHandlers): SocketHandle;
  /** The current secret: from the page at first, then from a fresh index.html after the host restarts. */
  readSecret(fresh: boolean): Promise<string>;
  schedule(run: () => void, ms: number): void;
  now(): number;
};

export type WebBridge = Bridge & { close(): void };

const CALL_TIMEOUT_WHILE_DOWN_MS = 15_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

type Pending = { resolve(result: Result<unknown>): void };
type Queued = { text: (id: number) => string; pending: Pending; queuedAt: number };

export function createWebBridge(env: WebBridgeEnvironment): { bridge: WebBridge; ready: Promise<void> } {
  const listeners = new Map<BridgeEventName, Set<(payload: never) => void>>();
  const inFlight = new Map<number, Pending>();
  let queue: Queued[] = [];
  let attachments: Attachment[] = [];
  let socket: SocketHandle | null = null;
  let open = false;
  let everOpened = false;
  let closed = false;
  let nextId = 1;
  let retryMs = RETRY_MIN_MS;
  let lastStatus: ConnectionStatus | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function emit<K extends BridgeEventName>(name: K, payload: BridgeEvents[K]): void {
    if (name === "status") lastStatus = payload as ConnectionStatus;
    for (const listener of listeners.get(name) ?? []) (listener as (p: BridgeEvents[K]) => void)(payload);
  }

  function fail(pending: Pending, message: string): void {
    pending.resolve({ ok: false, error: { code: "unavailable", message } });
  }

  function onMessage(data: string | ArrayBuffer): void {
    if (typeof data !== "string") {
      const frame = decodeBinaryFrame(data);
      if (frame?.kind === "positions") emit("positions", { data: frame.data });
      else if (frame?.kind === "attachment" || frame?.kind === "u32") attachments.push(frame.data);
      return;
    }
    const message = decodeWithAttachments(data, attachments) as { type?: string; id?: number; result?: Result<unknown>; name?: BridgeEventName; payload?: unknown };
    attachments = [];
    if (message.type === "reply" && typeof message.id === "number" && message.result) {
      inFlight.get(message.id)?.resolve(message.result);
      inFlight.delete(message.id);
    } else if (message.type === "event" && message.name) {
      emit(message.name, message.payload as BridgeEvents[typeof message.name]);
    } else if (message.type === "resync") {
      // The host dropped pushed events while this page was slow to read them: rebuild the picture.
      void resync(bridge, emit);
    }
  }

  function flushQueue(): void {
    const waiting = queue;
    queue = [];
    for (const entry of waiting) transmit(entry.text, entry.pending);
  }

  function transmit(text: (id: number) => string, pending: Pending): void {
    const id = nextId++;
    inFlight.set(id, pending);
    socket?.send(text(id));
  }

  async function connect(): Promise<void> {
    if (closed) return;
    let secret: string;
    try {
      secret = await env.readSecret(everOpened);
    } catch {
      retryLater();
      return;
    }
    socket = env.openSocket(env.url, [WIRE_SUBPROTOCOL, `${SECRET_SUBPROTOCOL_PREFIX}${secret}`], {
      onOpen() {
        const reconnected = everOpened;
        open = true;
        everOpened = true;
        retryMs = RETRY_MIN_MS;
        attachments = [];
        flushQueue();
        markReady();
        if (reconnected) void resync(bridge, emit);
      },
      onClose() {
        const wasOpen = open;
        open = false;
        socket = null;
        for (const pending of inFlight.values()) fail(pending, "lost the connection to the console host");
        inFlight.clear();
        if (wasOpen && lastStatus) {
          emit("status", { ...lastStatus, state: "connecting", since: new Date(env.now()).toISOString(), detail: "与控制台主机的连接中断，正在重连 / lost the console host, reconnecting" });
        }
        retryLater();
      },
      onMessage,
    });
  }

  function retryLater(): void {
    if (closed) return;
    const delay = retryMs * (0.75 + Math.random() * 0.5);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
    env.schedule(() => void connect(), delay);
    expireQueue();
  }

  function expireQueue(): void {
    const cutoff = env.now() - CALL_TIMEOUT_WHILE_DOWN_MS;
    const expired = queue.filter((entry) => entry.queuedAt <= cutoff);
    queue = queue.filter((entry) => entry.queuedAt > cutoff);
    for (const entry of expired) fail(entry.pending, "the console host is not reachable");
  }

  const bridge: WebBridge = {
    call<K extends BridgeCallName>(name: K, request: BridgeCalls[K]["request"]): Promise<Result<BridgeCalls[K]["response"]>> {
      return new Promise((resolve) => {
        const pending: Pending = { resolve: resolve as (result: Result<unknown>) => void };
        const text = (id: number) => JSON.stringify({ id, name, request });
        if (closed) fail(pending, "bridge closed");
        else if (open) transmit(text, pending);
        else queue.push({ text, pending, queuedAt: env.now() });
      });
    },
    on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    close() {
      closed = true;
      socket?.close();
      for (const entry of queue) fail(entry.pending, "bridge closed");
      queue = [];
    },
  };

  void connect();
  return { bridge, ready };
}

/** The bridge for a page served by the web host. Resolves once the first connection is open. */
export async function connectWebBridge(): Promise<Bridge> {
  const pageSecret = document.querySelector<HTMLMetaElement>(`meta[name="${SECRET_META_NAME}"]`)?.content;
  if (!pageSecret) throw new Error("this page was not served by the console's web host (no bridge secret)");
  const { bridge, ready } = createWebBridge({
    url: `ws://${location.host}${BRIDGE_PATH}${viewQuery(location.search)}`,
    openSocket: openBrowserSocket,
    readSecret: async (fresh) => (fresh ? fetchSecret() : pageSecret),
    schedule: (run, ms) => void setTimeout(run, ms),
    now: () => Date.now(),
  });
  await ready;
  return bridge;
}

/** The page's view (`?view=patrols`), told to the host when the bridge opens: it records it with the page's session (electron/host/caller-session.ts), for the audit only. */
function viewQuery(search: string): string {
  const view = new URLSearchParams(search).get("view");
  return view === null ? "" : `?view=${encodeURIComponent(view)}`;
}

/*
 * The page's own address, query and all: the host hands the briefing page
 * (`?view=briefing`) a secret that cannot reveal personal data, and a briefing
 * page must come back with that one, not the operator's (electron/host/roles.ts).
 */
async function fetchSecret(): Promise<string> {
  const own = new URL(location.href);
  own.hash = "";
  const response = await fetch(own, { cache: "no-store" });
  const html = await response.text();
  const served = new DOMParser().parseFromString(html, "text/html");
  if (servedAnotherBuild(served)) {
    // The console was upgraded while this page ran: its code may not speak the new engine's bridge (a wall PC left open
    // for weeks would fail on every reconnect until someone reloads it), so it loads the build now served.
    location.reload();
    return new Promise<string>(() => undefined);
  }
  const meta = served.querySelector<HTMLMetaElement>(`meta[name="${SECRET_META_NAME}"]`);
  if (!meta?.content) throw new Error("no bridge secret in index.html");
  // Kept where the page's other same-origin requests read it too (the base map's tiles, map/layers/base-map.ts).
  document.querySelector<HTMLMetaElement>(`meta[name="${SECRET_META_NAME}"]`)?.setAttribute("content", meta.content);
  return meta.content;
}

/** Whether index.html now loads another script than the one this page runs (a build's file names carry its content hash). */
function servedAnotherBuild(served: Document): boolean {
  const entry = (doc: Document) => doc.querySelector<HTMLScriptElement>('script[type="module"][src]')?.getAttribute("src") ?? null;
  const now = entry(served);
  const running = entry(document);
  return now !== null && running !== null && now !== running;
}

function openBrowserSocket(url: string, protocols: string[], handlers: SocketHandlers): SocketHandle {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = "arraybuffer";
  ws.onopen = () => handlers.onOpen();
  ws.onclose = () => handlers.onClose();
  ws.onmessage = (event: MessageEvent<string | ArrayBuffer>) => handlers.onMessage(event.data);
  return { send: (text) => ws.send(text), close: () => ws.close() };
}
