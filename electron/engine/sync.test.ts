import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleEngine } from "./engine.js";
import { MiniFeed, iso, makeIncident, makeUnit } from "./testing/mini-feed.js";
import type { MiniFeedOptions } from "./testing/mini-feed.js";
import { makeEngine, tempDir, until } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function live(options: MiniFeedOptions = {}, token = "secret"): Promise<{ server: MiniFeed; engine: ConsoleEngine }> {
  const server = new MiniFeed(options);
  await server.listen();
  cleanups.push(() => server.close());
  server.upsert(makeIncident("A", 1));
  server.publish([{ type: "unit.upsert", unit: makeUnit("U1") }]);
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const engine = makeEngine(server.url, dir, { token });
  cleanups.push(() => engine.stop());
  await engine.start();
  if (token === "secret") await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live and caught up");
  return { server, engine };
}

const caughtUp = (server: MiniFeed, engine: ConsoleEngine) => () => engine.replica.meta.lastSeq === server.seq;

describe("feed sync", () => {
  it("resubscribes from its last seq when a delta is missing, and applies the rest in order", async () => {
    const { server, engine } = await live();
    const before = server.subscribes.length;
    server.upsert(makeIncident("B", 1), false);
    server.upsert(makeIncident("C", 1));
    await until(caughtUp(server, engine), "gap filled");
    expect(server.subscribes.slice(before)).toEqual([{ epoch: "epoch-1", sinceSeq: 2 }]);
    expect([...engine.replica.incidents.keys()].sort()).toEqual(["A", "B", "C"]);
  });

  it("applies reordered deltas in seq order without a resubscribe when the hole fills quickly", async () => {
    const { server, engine } = await live();
    const before = server.subscribes.length;
    const first = server.upsert(makeIncident("A", 2), false);
    const second = server.upsert(makeIncident("A", 3, { status: "registered" }), false);
    server.emitRaw("delta", second);
    server.emitRaw("delta", first);
    await until(caughtUp(server, engine), "both applied");
    expect(engine.replica.incidents.get("A")?.version).toBe(3);
    expect(server.subscribes.length).toBe(before);
  });

  it("ignores a repeated delta and counts it", async () => {
    const { server, engine } = await live();
    const delta = server.upsert(makeIncident("A", 2));
    server.emitRaw("delta", delta);
    server.upsert(makeIncident("B", 1));
    await until(caughtUp(server, engine), "caught up");
    expect(engine.sync.dropped["delta.repeat"]).toBe(1);
    expect(engine.replica.incidents.get("A")?.version).toBe(2);
  });

  it("never lets an older version of a case replace a newer one", async () => {
    const { server, engine } = await live();
    server.upsert(makeIncident("A", 5, { status: "dispatched" }));
    server.upsert(makeIncident("A", 4, { status: "registered" }));
    await until(caughtUp(server, engine), "caught up");
    expect(engine.replica.incidents.get("A")).toMatchObject({ version: 5, status: "dispatched" });
  });

  it("drops invalid messages one by one with a reason and still applies the ones after them", async () => {
    const { server, engine } = await live();
    server.emitRaw("delta", { epoch: "epoch-1", seq: server.seq + 1, at: iso(), events: [{ type: "incident.upsert", incident: { ...makeIncident("X", 1), lon: 999 } }] });
    server.emitRaw("delta", "garbage");
    server.emitRaw("heartbeat", { serverTime: "yesterday", headSeq: -1 });
    server.emitRaw("positions", { at: iso(), fixes: [["U1", 500, 39.9, Date.now(), null, null, null], ["U1", 116.4, 39.9, Date.now(), null, null, null]] });
    server.publish([{ type: "incident.upsert", incident: makeIncident("B", 1) }]);
    server.emitRaw("delta", { epoch: "epoch-1", seq: server.seq + 1, at: iso(), events: [{ type: "weather.update", rain: true }, { type: "incident.upsert", incident: makeIncident("C", 1) }] });
    await until(() => engine.replica.incidents.has("C"), "valid messages after the bad ones");
    expect(engine.replica.incidents.has("X")).toBe(false);
    expect(engine.replica.incidents.has("B")).toBe(true);
    expect(engine.replica.fixes.get("U1")?.lon).toBe(116.4);
    expect(engine.sync.dropped).toMatchObject({ "delta.invalid": 2, "heartbeat.invalid": 1, "positions.fix_invalid": 1, "delta.unknown_event": 1 });
    const diagnostics = await engine.handlers.getDiagnostics({});
    expect(diagnostics.ok && diagnostics.value.dropped["delta.invalid"]).toBe(2);
  });

  it("drops a stray snapshot part that nobody asked for and keeps applying deltas", async () => {
    const { server, engine } = await live();
    server.emitRaw("snapshot", { epoch: "epoch-1", seq: server.seq + 1_000_000, part: 1, parts: 3, incidents: [makeIncident("GHOST", 1)], units: [] });
    server.emitRaw("incident.teleported", { id: "A", to: "mars" });
    server.upsert(makeIncident("B", 1));
    await until(caughtUp(server, engine), "the delta after the stray part");
    expect(engine.replica.incidents.has("GHOST")).toBe(false);
    expect(engine.sync.dropped).toMatchObject({ "snapshot.unsolicited": 1, "event.unknown": 1 });
  });

  it("answers a delta from a foreign epoch with a full resync", async () => {
    const { server, engine } = await live();
    const before = server.subscribes.length;
    server.emitRaw("delta", { epoch: "epoch-other", seq: server.seq + 1, at: iso(), events: [{ type: "incident.upsert", incident: makeIncident("Z", 1) }] });
    await until(() => server.subscribes.length > before && engine.status().state === "live", "resubscribed");
    expect(server.subscribes.at(-1)).toEqual({});
    expect(engine.replica.incidents.has("Z")).toBe(false);
    expect(engine.sync.dropped["delta.foreign_epoch"]).toBe(1);
  });

  it("replaces the whole picture on a new server epoch", async () => {
    const { server, engine } = await live();
    server.epoch = "epoch-2";
    server.incidents.clear();
    server.deltas.length = 0;
    server.upsert(makeIncident("N", 1));
    server.disconnectAll();
    await until(() => engine.replica.meta.epoch === "epoch-2" && engine.status().state === "live", "the new epoch");
    expect([...engine.replica.incidents.keys()]).toEqual(["N"]);
  });

  it("applies a snapshot only when every part arrived, and abandons and re-asks for one that never completes", async () => {
    let withhold = true;
    const { server, engine } = await live({ partSize: 1, sendPart: (part) => !(withhold && part === 2) });
    server.upsert(makeIncident("B", 1));
    await until(caughtUp(server, engine), "caught up");
    server.epoch = "epoch-2";
    server.deltas.length = 0;
    server.upsert(makeIncident("A", 7, { status: "registered" }));
    const before = server.subscribes.length;
    server.disconnectAll();
    await until(() => server.subscribes.length > before, "the resubscribe after reconnecting");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(engine.replica.meta.epoch).toBe("epoch-1");
    expect(engine.replica.incidents.get("A")?.version).toBe(1);
    withhold = false;
    await until(() => engine.replica.meta.epoch === "epoch-2", "the snapshot after it was asked again", 4000);
    expect(engine.replica.incidents.get("A")?.version).toBe(7);
    expect(engine.sync.dropped["snapshot.incomplete"]).toBe(1);
    expect([...engine.replica.incidents.keys()].sort()).toEqual(["A", "B"]);
  });

  it("says stalled when heartbeats stop with the socket open, and live when they resume", async () => {
    const { server, engine } = await live();
    server.silent = true;
    await until(() => engine.status().state === "stalled", "stalled", 3000);
    server.silent = false;
    await until(() => engine.status().state === "live", "live again", 3000);
  });

  it("resubscribes when a heartbeat shows deltas it never received", async () => {
    const { server, engine } = await live();
    server.upsert(makeIncident("B", 1), false);
    await until(caughtUp(server, engine), "caught up from the heartbeat");
    expect(server.subscribes.at(-1)).toEqual({ epoch: "epoch-1", sinceSeq: 2 });
  });

  it("reports an auth failure as unauthorized and does not retry it in a loop", async () => {
    const { server, engine } = await live({}, "wrong");
    await until(() => engine.status().state === "unauthorized", "unauthorized");
    expect(engine.status().detail).toMatch(/token/);
    expect(engine.status().reason).toMatchObject({ code: "token_refused" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.authAttempts).toBe(1);
  });

  it("goes offline when the connection drops and comes back live by itself", async () => {
    const { server, engine } = await live();
    const states: string[] = [];
    engine.on("status", (status) => states.push(status.state));
    server.disconnectAll();
    await until(() => states.includes("offline") && engine.status().state === "live", "offline then live");
    server.upsert(makeIncident("B", 1));
    await until(caughtUp(server, engine), "deltas after the reconnect");
  });
});
