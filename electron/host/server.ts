import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket, type RawData } from "ws";
import { BRIDGE_EVENTS, type BridgeEventName, type BridgeEvents, type BridgeHandlers, type CallerSession, type CallerView } from "../../shared/bridge/contract.js";
import {
  BRIDGE_PATH,
  SECRET_SUBPROTOCOL_PREFIX,
  WIRE_SUBPROTOCOL,
  encodeBinaryFrame,
  encodeWithAttachments,
  type ServerMessage,
} from "../../shared/bridge/wire.js";
import { DEFAULT_BACKLOG_LIMITS, SocketBacklog, type BacklogLimits } from "./backlog.js";
import { isBridgeCallName } from "../../shared/bridge/schemas.js";
import { KEY_PARAM, accessCookieHeader, accessFromKey, hasAccessCookie, howToOpenPage, keyedUrl, withoutKey, type Access } from "./access.js";
import { newCallerSession, viewOfSearch } from "./caller-session.js";
import { dispatchCall } from "./dispatch.js";
import type { Log } from "./log.js";
import { LOOPBACK_HOST, assertLoopbackBind, isAllowedHost, isAllowedOrigin, newSecret, secretsMatch, securityHeaders } from "./security.js";
import { FORBIDDEN_ON_BRIEFING, briefingEvent, briefingReply, mayCall, roleOfPageRequest, type PageRole } from "./roles.js";
import { loadStatic } from "./static.js";
import { tileRoute } from "./tiles.js";
import { exportRoute } from "./export-pdf.js";
import type { MbtilesReader } from "../engine/mbtiles.js";

/*
 * The web host: the built console over HTTP and the bridge over one WebSocket
 * per page, on loopback only. It is a second shell around the same engine as
 * Electron's main process, for browsers and for the end-to-end tests.
 */

export type BridgeSource = {
  readonly handlers: BridgeHandlers;
  on<K extends BridgeEventName>(event: K, listener: (payload: BridgeEvents[K]) => void): () => void;
  /** An engine that is restarted after a crash (electron/engine/worker/supervisor.ts): every page is told to resynchronise once the new one is up. */
  onRestarted?(listener: () => void): () => void;
};

export type WebHostOptions = {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  rendererDir: string;
  bridge: BridgeSource;
  log: Log;
  /** Fixed secret for tests; a random one per launch otherwise. */
  secret?: string;
  /** Who may open the host at all (./access.ts): the data dir's key; a random one per launch when absent (tests). */
  access?: Access;
  /** The briefing page's secret (./roles.ts), fixed for tests; a random one per launch otherwise. */
  briefingSecret?: string;
  /** The configured tile server's origin (`tileServerOrigin`): the one remote origin the CSP lets the page reach. */
  tileOrigin?: string;
  /** Smaller limits for tests; see ./backlog.ts. */
  backlogLimits?: BacklogLimits;
  /** The offline base map (mapTilesFile), served at /tiles/<secret>/<z>/<x>/<y> (./tiles.ts). */
  tiles?: MbtilesReader;
  /** The configured `browser`, which prints the briefing export (./export-pdf.ts). */
  pdfBrowser?: string;
};

export type WebHost = {
  readonly port: number;
  /** What a browser opens: the root with the key (`?key=…`); other parameters (view=briefing) are added to it. */
  readonly url: string;
  /** http://127.0.0.1:<port>, no key. */
  readonly origin: string;
  /** `name=value` of the access cookie, for clients without a cookie jar (tests). */
  readonly cookie: string;
  /**
   * A URL like `url` whose key works once, within LAUNCH_URL_TTL_MS: for a
   * browser this process starts itself, whose command line every local user
   * can read (`npm start`). Used or expired, it opens nothing.
   */
  launchUrl(): string;
  readonly secret: string;
  readonly briefingSecret: string;
  close(): Promise<void>;
};

const MAX_CALL_BYTES = 1 << 20;
const LAUNCH_URL_TTL_MS = 120_000;
const PING_INTERVAL_MS = 15_000;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const bindHost = options.host ?? LOOPBACK_HOST;
  assertLoopbackBind(bindHost);
  const secret = options.secret ?? newSecret();
  const briefingSecret = options.briefingSecret ?? newSecret();
  if (secretsMatch(secret, briefingSecret)) throw new Error("the briefing secret must differ from the operator secret");
  const secretOf: Record<PageRole, string> = { operator: secret, briefing: briefingSecret };
  const { log, bridge } = options;
  const access = options.access ?? accessFromKey(newSecret());
  let port = 0;
  const origin = () => `http://${LOOPBACK_HOST}:${port}`;
  /** One-time keys (launchUrl) and when each stops working. */
  const launchKeys = new Map<string, number>();
  const takeLaunchKey = (offered: string): boolean => {
    const until = launchKeys.get(offered);
    launchKeys.delete(offered);
    return until !== undefined && Date.now() <= until;
  };
  const answerExport = exportRoute({ secrets: () => [secret, briefingSecret], handoverSecrets: () => [secret], consoleUrl: () => keyedUrl(origin(), access), browser: options.pdfBrowser, log });

  const server = http.createServer((request, response) => {
    const headers = securityHeaders(port, options.tileOrigin);
    if (!isAllowedHost(request.headers.host, port)) {
      response.writeHead(421, { ...headers, "Content-Type": "text/plain; charset=utf-8" }).end("misdirected request\n");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...headers, Allow: "GET, HEAD" }).end();
      return;
    }
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const urlPath = url.pathname;
    // The key, wherever it is in the query: swapped for the cookie, and the same address without it (./access.ts).
    const offeredKey = url.searchParams.get(KEY_PARAM);
    if (offeredKey !== null && (secretsMatch(access.key, offeredKey) || takeLaunchKey(offeredKey))) {
      response.writeHead(303, { ...headers, Location: withoutKey(url), "Set-Cookie": accessCookieHeader(access), "Cache-Control": "no-store" }).end();
      return;
    }
    if (offeredKey !== null || !hasAccessCookie(request.headers.cookie, access)) {
      const page = howToOpenPage();
      response.writeHead(403, { ...headers, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Length": String(page.length) });
      response.end(request.method === "HEAD" ? undefined : page);
      return;
    }
    if (urlPath === BRIDGE_PATH) {
      response.writeHead(426, { ...headers, Upgrade: "websocket" }).end();
      return;
    }
    if (answerTile(request, response, headers, urlPath)) return;
    if (answerExport(request, response, headers, url)) return;
    // The page's capability is fixed here, by the URL it is served at (./roles.ts).
    loadStatic(options.rendererDir, urlPath, secretOf[roleOfPageRequest(url.search)]).then(
      (file) => {
        response.writeHead(file.status, { ...headers, ...file.headers, "Content-Length": String(file.body.length) });
        response.end(request.method === "HEAD" ? undefined : file.body);
      },
      (error: unknown) => {
        log("error", "static file failed", { path: urlPath, error: String(error) });
        response.writeHead(500, headers).end();
      },
    );
  });

  /** A base map tile (./tiles.ts); false for every other path. Only requests with the access cookie get here. */
  function answerTile(request: http.IncomingMessage, response: http.ServerResponse, headers: Record<string, string>, urlPath: string): boolean {
    let tile: ReturnType<typeof tileRoute>;
    try {
      tile = tileRoute(options.tiles, urlPath);
    } catch (error) {
      log("error", "base map tile failed", { error: String(error) });
      response.writeHead(500, headers).end();
      return true;
    }
    if (tile === null) return false;
    const body = request.method === "HEAD" || tile.status === 204 ? undefined : tile.body;
    response.writeHead(tile.status, { ...headers, ...tile.headers, ...(tile.status === 204 ? {} : { "Content-Length": String(tile.body.length) }) });
    response.end(body);
    return true;
  }

  const backlogLimits = options.backlogLimits ?? DEFAULT_BACKLOG_LIMITS;
  /** Every open socket with its backlog (./backlog.ts: replies always go, pushed events are bounded). */
  const sockets = new Map<WebSocket, SocketBacklog>();
  const alive = new WeakSet<WebSocket>();
  /** Fixed when the socket is accepted, from the secret it presented; never from anything the page sends later. */
  const roles = new WeakMap<WebSocket, PageRole>();
  /** The page's session, made by this host when the socket is accepted (./caller-session.ts) and passed with each of its calls. */
  const sessions = new WeakMap<WebSocket, CallerSession>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CALL_BYTES,
    handleProtocols: (protocols) => (protocols.has(WIRE_SUBPROTOCOL) ? WIRE_SUBPROTOCOL : false),
  });

  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, reason: string) => {
      log("warn", "bridge connection refused", { reason });
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\nConnection: close\r\n\r\n`);
    };
    const upgradeUrl = new URL(request.url ?? "/", "http://127.0.0.1");
    const urlPath = upgradeUrl.pathname;
    if (urlPath !== BRIDGE_PATH) return refuse(404, "not the bridge path");
    if (!isAllowedHost(request.headers.host, port)) return refuse(421, "host header");
    if (!isAllowedOrigin(request.headers.origin, port)) return refuse(403, "origin");
    if (!hasAccessCookie(request.headers.cookie, access)) return refuse(401, "no access cookie (open the console's printed URL)");
    const offered = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    if (!offered.includes(WIRE_SUBPROTOCOL)) return refuse(400, "subprotocol");
    const offeredSecret = offered.find((p) => p.startsWith(SECRET_SUBPROTOCOL_PREFIX))?.slice(SECRET_SUBPROTOCOL_PREFIX.length);
    const role: PageRole | null = secretsMatch(secret, offeredSecret) ? "operator" : secretsMatch(briefingSecret, offeredSecret) ? "briefing" : null;
    if (role === null) return refuse(401, "secret");
    // The view is what the page says it shows (`/bridge?view=patrols`), kept for the record only; the role comes from the secret.
    const view = role === "briefing" ? "briefing" : viewOfSearch(upgradeUrl.search);
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, role, view));
  });

  function accept(ws: WebSocket, role: PageRole, view: CallerView): void {
    sockets.set(ws, new SocketBacklog(backlogLimits));
    roles.set(ws, role);
    sessions.set(ws, newCallerSession(role, view));
    alive.add(ws);
    ws.on("pong", () => alive.add(ws));
    ws.on("close", () => sockets.delete(ws));
    ws.on("error", (error) => log("warn", "bridge socket error", { error: error.message }));
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, "binary calls are not accepted");
        return;
      }
      void answer(ws, rawText(data));
    });
  }

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      ws.close(1007, "not JSON");
      return;
    }
    if (!isCallEnvelope(message)) {
      ws.close(1008, "not a bridge call");
      return;
    }
    const role = roles.get(ws) ?? "briefing";
    if (role !== "operator" && isBridgeCallName(message.name) && !mayCall(role, message.name)) {
      log("warn", "bridge call refused: not allowed for this page", { name: message.name, role });
      send(ws, { type: "reply", id: message.id, result: { ok: false, error: { code: "forbidden", message: FORBIDDEN_ON_BRIEFING } } });
      return;
    }
    const result = await dispatchCall(bridge.handlers, message.name, message.request, sessions.get(ws), log);
    send(ws, { type: "reply", id: message.id, result: role === "briefing" && isBridgeCallName(message.name) ? briefingReply(message.name, result) : result });
  }

  /** `encoded` lets a push made for many pages be encoded once for all of them (broadcast). */
  function send(ws: WebSocket, message: ServerMessage, encoded: () => Frame[] = () => framesOf(message)): void {
    const backlog = sockets.get(ws);
    if (!backlog || ws.readyState !== ws.OPEN) return;
    // Behind: pushed events are dropped (the page will resynchronise), so skip encoding them.
    if (message.type !== "reply" && backlog.isBehind) return;
    const frames = encoded();
    if (message.type === "reply") {
      for (const frame of frames) {
        const bytes = frame.data.byteLength;
        if (backlog.replySent(bytes) && !ws.isPaused) ws.pause();
        ws.send(frame.data, { binary: frame.binary }, () => {
          // A page taking a long reply in is alive even while its pongs wait behind the paused reads.
          alive.add(ws);
          if (backlog.replyWritten(bytes) && ws.isPaused) ws.resume();
        });
      }
      return;
    }
    const bytes = frames.reduce((sum, frame) => sum + frame.data.byteLength, 0);
    if (backlog.admitPush("event", bytes) === "drop") {
      log("warn", "bridge socket too far behind; dropping pushed events until it drains, then resynchronising the page", { pendingBytes: backlog.pushedBytes });
      return;
    }
    for (const frame of frames) {
      const frameBytes = frame.data.byteLength;
      ws.send(frame.data, { binary: frame.binary }, () => pushWritten(ws, backlog, frameBytes));
    }
  }

  function pushPositions(ws: WebSocket, frame: Uint8Array): void {
    const backlog = sockets.get(ws);
    if (!backlog || ws.readyState !== ws.OPEN) return;
    if (backlog.admitPush("positions", frame.byteLength) === "drop") return;
    ws.send(frame, { binary: true }, () => pushWritten(ws, backlog, frame.byteLength));
  }

  function pushWritten(ws: WebSocket, backlog: SocketBacklog, bytes: number): void {
    alive.add(ws);
    if (backlog.pushWritten(bytes)) send(ws, { type: "resync" });
  }

  function broadcast<K extends BridgeEventName>(name: K, payload: BridgeEvents[K]): void {
    if (name === "positions") {
      const frame = encodeBinaryFrame("positions", (payload as BridgeEvents["positions"]).data);
      for (const ws of sockets.keys()) pushPositions(ws, frame);
      return;
    }
    // A briefing page gets its own copy, made once per push (./roles.ts); each copy is JSON-encoded once, for every page of its role.
    let briefing: BridgeEvents[K] | undefined;
    const encoded = new Map<PageRole, Frame[]>();
    for (const ws of sockets.keys()) {
      const role: PageRole = roles.get(ws) === "briefing" ? "briefing" : "operator";
      const message: ServerMessage = { type: "event", name, payload: role === "briefing" ? (briefing ??= briefingEvent(name, payload)) : payload };
      send(ws, message, () => {
        let frames = encoded.get(role);
        if (!frames) encoded.set(role, (frames = framesOf(message)));
        return frames;
      });
    }
  }

  const unsubscribe = BRIDGE_EVENTS.map((name) => bridge.on(name, (payload) => broadcast(name, payload)));
  // The pages missed whatever the old engine was pushing when it died, and the new one pushes only changes: each page reloads the whole picture (renderer/src/bridge/resync.ts).
  const offRestarted = bridge.onRestarted?.(() => {
    log("info", "the engine is back after a restart: asking every page to resynchronise", { pages: sockets.size });
    for (const ws of sockets.keys()) send(ws, { type: "resync" });
  });

  const pinger = setInterval(() => {
    for (const ws of sockets.keys()) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, bindHost, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  log("info", "web host listening", { port });

  let closing: Promise<void> | null = null;
  return {
    port,
    url: keyedUrl(origin(), access),
    origin: origin(),
    cookie: `${access.cookieName}=${access.cookieValue}`,
    launchUrl() {
      const key = newSecret();
      const now = Date.now();
      for (const [old, until] of launchKeys) if (until < now) launchKeys.delete(old);
      launchKeys.set(key, now + LAUNCH_URL_TTL_MS);
      const url = new URL("/", origin());
      url.searchParams.set(KEY_PARAM, key);
      return url.href;
    },
    secret,
    briefingSecret,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pinger);
        for (const off of unsubscribe) off();
        offRestarted?.();
        for (const ws of sockets.keys()) ws.close(1001, "console host stopping");
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

type Frame = { data: Uint8Array; binary: boolean };

/** A message as WebSocket frames: its typed arrays as binary attachment frames, then its JSON (shared/bridge/wire.ts). */
function framesOf(message: ServerMessage): Frame[] {
  const { text, attachments } = encodeWithAttachments(message);
  const frames: Frame[] = attachments.map((data) => ({ data: encodeBinaryFrame(data instanceof Uint32Array ? "u32" : "attachment", data), binary: true }));
  frames.push({ data: Buffer.from(text, "utf8"), binary: false });
  return frames;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

function isCallEnvelope(value: unknown): value is { id: number; name: unknown; request: unknown } {
  if (typeof value !== "object" || value === null) return false;
  const id = (value as { id?: unknown }).id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 && "name" in value;
}
