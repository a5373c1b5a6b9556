import { describe, expect, it } from "vitest";
import { computeSituation } from "../../../shared/domain/situation.js";
import { INCIDENTS, NOW } from "../../../shared/domain/fixtures/kpi-fixture.js";
import type { BridgeEvents, ConnectionStatus, InitialState } from "../../../shared/bridge/contract.js";
import { SECRET_SUBPROTOCOL_PREFIX, encodeBinaryFrame, encodeWithAttachments } from "../../../shared/bridge/wire.js";
import { createWebBridge, type SocketHandlers } from "./web.js";

/** A scripted host: records what the client sends and lets the test drive the socket. */
function harness(secrets: string[]) {
  const sockets: { protocols: string[]; handlers: SocketHandlers; sent: string[]; closed: boolean }[] = [];
  const timers: (() => void)[] = [];
  let clock = 0;
  const created = createWebBridge({
    url: "ws://127.0.0.1:1/bridge",
    openSocket(_url, protocols, handlers) {
      const socket = { protocols, handlers, sent: [] as string[], closed: false };
      sockets.push(socket);
      return { send: (text) => socket.sent.push(text), close: () => (socket.closed = true) };
    },
    readSecret: async (fresh) => (fresh ? (secrets.shift() ?? "none") : "first"),
    schedule: (run) => void timers.push(run),
    now: () => clock,
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    ...created,
    sockets,
    settle,
    advance(ms: number) {
      clock += ms;
    },
    async fireTimers() {
      const due = timers.splice(0);
      for (const run of due) run();
      await settle();
    },
    reply(socketIndex: number, id: number, value: unknown) {
      const { text, attachments } = encodeWithAttachments({ type: "reply", id, result: { ok: true, value } });
      const socket = sockets[socketIndex];
      for (const data of attachments) socket?.handlers.onMessage(toArrayBuffer(encodeBinaryFrame(data instanceof Uint32Array ? "u32" : "attachment", data)));
      socket?.handlers.onMessage(text);
    },
  };
}

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

const status: ConnectionStatus = { state: "live", since: "2026-11-22T09:30:00.000+08:00", dataAsOf: "2026-11-22T09:30:00.000+08:00", epoch: "e1", lastSeq: 5 };

describe("web bridge client", () => {
  it("offers the page's secret as a subprotocol and matches replies to calls by id", async () => {
    const h = harness([]);
    await h.settle();
    expect(h.sockets[0]?.protocols).toContain(`${SECRET_SUBPROTOCOL_PREFIX}first`);
    const early = h.bridge.call("getIncident", { id: "A-1" });
    h.sockets[0]?.handlers.onOpen();
    await h.ready;
    const sent = JSON.parse(h.sockets[0]?.sent[0] ?? "{}") as { id: number; name: string; request: unknown };
    expect(sent).toMatchObject({ name: "getIncident", request: { id: "A-1" } });
    h.reply(0, sent.id, { id: "A-1" });
    await expect(early).resolves.toEqual({ ok: true, value: { id: "A-1" } });
  });

  it("delivers binary position frames to positions listeners as Float64Arrays", async () => {
    const h = harness([]);
    await h.settle();
    h.sockets[0]?.handlers.onOpen();
    const got: BridgeEvents["positions"][] = [];
    h.bridge.on("positions", (batch) => got.push(batch));
    h.sockets[0]?.handlers.onMessage(toArrayBuffer(encodeBinaryFrame("positions", new Float64Array([3, 116.4, 39.9, 1, 2, 3]))));
    expect(Array.from(got[0]?.data ?? [])).toEqual([3, 116.4, 39.9, 1, 2, 3]);
  });

  it("fails calls in flight when the host goes away and says it is reconnecting", async () => {
    const h = harness(["second"]);
    await h.settle();
    h.sockets[0]?.handlers.onOpen();
    const statuses: ConnectionStatus[] = [];
    h.bridge.on("status", (s) => statuses.push(s));
    h.sockets[0]?.handlers.onMessage(JSON.stringify({ type: "event", name: "status", payload: status }));
    const pending = h.bridge.call("getDiagnostics", {});
    h.sockets[0]?.handlers.onClose();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(statuses.at(-1)).toMatchObject({ state: "connecting", dataAsOf: status.dataAsOf });
  });

  it("reconnects with a fresh secret and replays the whole picture as reset events", async () => {
    const h = harness(["second"]);
    await h.settle();
    h.sockets[0]?.handlers.onOpen();
    h.sockets[0]?.handlers.onClose();
    const incidents: BridgeEvents["incidents"][] = [];
    const positions: BridgeEvents["positions"][] = [];
    h.bridge.on("incidents", (c) => incidents.push(c));
    h.bridge.on("positions", (p) => positions.push(p));
    await h.fireTimers();
    expect(h.sockets[1]?.protocols).toContain(`${SECRET_SUBPROTOCOL_PREFIX}second`);
    h.sockets[1]?.handlers.onOpen();
    const request = JSON.parse(h.sockets[1]?.sent[0] ?? "{}") as { id: number; name: string };
    expect(request.name).toBe("getInitialState");
    const initial: Partial<InitialState> = { status, alerts: [], outbox: [] };
    h.reply(1, request.id, initial);
    await h.settle();
    expect(incidents).toEqual([{ upserts: [], removed: [], reset: true }]);
    // Then the staff, in a reply of their own.
    const rosterRequest = JSON.parse(h.sockets[1]?.sent[1] ?? "{}") as { id: number; name: string };
    expect(rosterRequest.name).toBe("getRoster");
    h.reply(1, rosterRequest.id, { units: [], positions: { data: new Float64Array([0, 1, 2, 3, 4, 5]) } });
    await h.settle();
    expect(Array.from(positions[0]?.data ?? [])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("rebuilds the picture from getInitialState on the same socket when the host says resync", async () => {
    const h = harness([]);
    await h.settle();
    h.sockets[0]?.handlers.onOpen();
    const incidents: BridgeEvents["incidents"][] = [];
    const walls: BridgeEvents["wall"][] = [];
    h.bridge.on("incidents", (c) => incidents.push(c));
    h.bridge.on("wall", (w) => walls.push(w));
    h.sockets[0]?.handlers.onMessage(JSON.stringify({ type: "resync" }));
    const request = JSON.parse(h.sockets[0]?.sent[0] ?? "{}") as { id: number; name: string };
    expect(request.name).toBe("getInitialState");
    // The wall's push was taken back while this page's events were dropped: the rebuilt picture says so.
    const initial: Partial<InitialState> = { status, alerts: [], outbox: [], wall: { push: null } };
    h.reply(0, request.id, initial);
    await h.settle();
    expect(incidents).toEqual([{ upserts: [], removed: [], reset: true }]);
    expect(walls).toEqual([{ push: null }]);
    expect(h.sockets).toHaveLength(1);
    expect(h.sockets[0]?.closed).toBe(false);
  });

  it("replays the map's grid counts on resync, their Uint32Arrays through u32 attachment frames", async () => {
    const h = harness([]);
    await h.settle();
    h.sockets[0]?.handlers.onOpen();
    const counts: BridgeEvents["gridCounts"][] = [];
    h.bridge.on("gridCounts", (c) => counts.push(c));
    h.sockets[0]?.handlers.onMessage(JSON.stringify({ type: "resync" }));
    const request = JSON.parse(h.sockets[0]?.sent[0] ?? "{}") as { id: number; name: string };
    const gridCounts = { layer: "3:9f", at: 5, open: new Uint32Array([1, 0, 7]), overdue: new Uint32Array([0, 0, 2]) };
    const initial: Partial<InitialState> = { status, alerts: [], outbox: [], gridCounts };
    h.reply(0, request.id, initial);
    await h.settle();
    expect(counts).toHaveLength(1);
    expect(counts[0]?.open).toBeInstanceOf(Uint32Array);
    expect([...(counts[0]?.open ?? [])]).toEqual([1, 0, 7]);
    expect([...(counts[0]?.overdue ?? [])]).toEqual([0, 0, 2]);
    expect(counts[0]?.layer).toBe("3:9f");
  });

  it("replays the engine's situation on resync, so the KPI panels show the figures the page missed", async () => {
    const h = harness([]);
    await h.settle();
    h.sockets[0]?.handlers.onOpen();
    const situations: BridgeEvents["situation"][] = [];
    h.bridge.on("situation", (s) => situations.push(s));
    h.sockets[0]?.handlers.onMessage(JSON.stringify({ type: "resync" }));
    const request = JSON.parse(h.sockets[0]?.sent[0] ?? "{}") as { id: number; name: string };
    const situation = computeSituation(new Map(INCIDENTS.map((c) => [c.id, c])), new Map(), null, new Map(), NOW);
    const initial: Partial<InitialState> = { status, alerts: [], outbox: [], situation };
    h.reply(0, request.id, initial);
    await h.settle();
    expect(situations).toEqual([situation]);
    expect(situations[0]?.summary.today.closed).toBe(2);
  });

  it("gives up on a call queued while the host is unreachable after 15 s", async () => {
    const h = harness([]);
    await h.settle();
    const queued = h.bridge.call("getDiagnostics", {});
    h.advance(16_000);
    h.sockets[0]?.handlers.onClose();
    await expect(queued).resolves.toMatchObject({ ok: false, error: { code: "unavailable" } });
  });
});
