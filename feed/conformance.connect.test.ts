import { afterEach, describe, expect, it } from "vitest";
import { HEARTBEAT_INTERVAL_MS, LIMITS } from "../shared/protocol/limits.js";
import { parseDelta, parseHeartbeat, parseHello, parsePositions, parseSnapshot, parseSubscribeAck } from "../shared/protocol/validate.js";
import type { Delta, Hello, Snapshot, SubscribeAck } from "../shared/protocol/types.js";
import type { FeedServer } from "./server.js";
import { connectConsole, connectOutcome, connectTrainer, type Probe, startFeed, TOKEN, until } from "./test-support.js";

/*
 * PROTOCOL.md, connecting and the sequenced stream, checked on the wire with a
 * plain socket.io-client: auth, hello, snapshot parts, contiguous deltas,
 * resume, foreign epochs, heartbeat and positions.
 */

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function feed(options: Parameters<typeof startFeed>[0] = {}): Promise<FeedServer> {
  const server = await startFeed(options);
  open.push(server);
  return server;
}

function consoleOf(server: FeedServer, auth?: Record<string, unknown>): Probe {
  const probe = connectConsole(server.url, auth);
  open.push(probe);
  return probe;
}

async function hello(probe: Probe): Promise<Hello> {
  const parsed = parseHello(await probe.next("hello"));
  if (!parsed.ok) throw new Error(`bad hello: ${parsed.error.path} ${parsed.error.reason}`);
  return parsed.value;
}

async function subscribe(probe: Probe, request: Record<string, unknown> = {}): Promise<SubscribeAck> {
  const ack = parseSubscribeAck(await probe.request("subscribe", request));
  if (!ack.ok) throw new Error(`bad subscribe ack: ${ack.error.path}`);
  return ack.value;
}

const deltasOf = (probe: Probe): Delta[] =>
  probe.of("delta").map((raw) => {
    const parsed = parseDelta(raw);
    if (!parsed.ok) throw new Error(`bad delta: ${parsed.error.path} ${parsed.error.reason}`);
    return parsed.value;
  });

async function inject(server: FeedServer, count: number): Promise<void> {
  const trainer = connectTrainer(server.url);
  open.push(trainer);
  for (let i = 0; i < count; i++) {
    const reply = await trainer.request<{ ok: boolean }>("inject", { categoryCode: "0501" });
    expect(reply.ok).toBe(true);
  }
}

describe("auth", () => {
  it("refuses a wrong or missing token with connect_error unauthorized", async () => {
    const server = await feed();
    expect(await connectOutcome(consoleOf(server, { token: "nope", protocol: 1 }))).toBe("unauthorized");
    expect(await connectOutcome(consoleOf(server, { protocol: 1 }))).toBe("unauthorized");
  });

  it("refuses a protocol other than 1 with connect_error protocol", async () => {
    const server = await feed();
    expect(await connectOutcome(consoleOf(server, { token: TOKEN, protocol: 2 }))).toBe("protocol");
    expect(await connectOutcome(consoleOf(server, { token: TOKEN }))).toBe("protocol");
  });

  it("protects the trainer namespace with the same token", async () => {
    const server = await feed();
    const trainer = connectTrainer(server.url, "nope");
    open.push(trainer);
    expect(await connectOutcome(trainer)).toBe("unauthorized");
  });
});

describe("hello and snapshot", () => {
  it("sends a valid hello first, with the epoch, scope and head seq", async () => {
    const server = await feed();
    const probe = consoleOf(server);
    const first = await hello(probe);
    expect(probe.received[0]?.event).toBe("hello");
    expect(first).toMatchObject({ protocol: 1, epoch: server.store.epoch, headSeq: server.store.seq, scope: { districtCode: "110101" } });
  });

  it("sends no snapshot and no delta before subscribe", async () => {
    const server = await feed();
    const probe = consoleOf(server);
    await hello(probe);
    await inject(server, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(probe.of("delta")).toHaveLength(0);
    expect(probe.of("snapshot")).toHaveLength(0);
  });

  it("answers a first subscribe with a snapshot in numbered parts within the part limits that add up to the state", async () => {
    const server = await feed({ partLimits: { incidents: 2, units: 10 } });
    await inject(server, 5);
    const probe = consoleOf(server);
    await hello(probe);
    const ack = await subscribe(probe);
    expect(ack).toEqual({ ok: true, mode: "snapshot", headSeq: server.store.seq });
    await until(() => probe.of("snapshot").length >= 3);
    const parts = probe.of("snapshot").map((raw) => {
      const parsed = parseSnapshot(raw);
      if (!parsed.ok) throw new Error(parsed.error.path);
      return parsed.value;
    });
    const expectedParts = Math.max(Math.ceil(server.store.incidents.size / 2), Math.ceil(server.store.units.size / 10));
    expect(parts.map((p: Snapshot) => p.part)).toEqual(Array.from({ length: expectedParts }, (_, i) => i + 1));
    for (const part of parts) {
      expect(part).toMatchObject({ epoch: server.store.epoch, seq: ack.headSeq, parts: expectedParts });
      expect(part.incidents.length).toBeLessThanOrEqual(2);
      expect(part.units.length).toBeLessThanOrEqual(10);
    }
    expect(new Set(parts.flatMap((p) => p.incidents.map((i) => i.id)))).toEqual(new Set(server.store.incidents.keys()));
    expect(parts.flatMap((p) => p.units).length).toBe(server.store.units.size);
  });

  it("keeps the default part limits of the contract", async () => {
    const server = await feed();
    expect(server.store.snapshotParts().every((p) => p.incidents.length <= LIMITS.incidentsPerPart && p.units.length <= LIMITS.unitsPerPart)).toBe(true);
  });
});

describe("the delta stream", () => {
  it("follows a snapshot with live deltas whose seq grows by exactly one", async () => {
    const server = await feed();
    const probe = consoleOf(server);
    await hello(probe);
    const ack = await subscribe(probe);
    await inject(server, 4);
    await until(() => probe.of("delta").length >= 4);
    const seqs = deltasOf(probe).map((d) => d.seq);
    expect(seqs).toEqual(seqs.map((_, i) => ack.headSeq + 1 + i));
    expect(deltasOf(probe).every((d) => d.epoch === server.store.epoch)).toBe(true);
  });

  it("resumes after a disconnect with exactly the missed deltas, then the live ones, when the epoch matches", async () => {
    const server = await feed();
    const first = consoleOf(server);
    await hello(first);
    await subscribe(first);
    await inject(server, 2);
    await until(() => first.of("delta").length >= 2);
    const lastSeq = deltasOf(first).at(-1)!.seq;
    first.close();
    await inject(server, 3);
    const second = consoleOf(server);
    await hello(second);
    const ack = await subscribe(second, { epoch: server.store.epoch, sinceSeq: lastSeq });
    expect(ack.mode).toBe("deltas");
    const missed = server.store.seq - lastSeq;
    expect(missed).toBeGreaterThanOrEqual(3);
    await until(() => second.of("delta").length >= missed);
    await inject(server, 1);
    await until(() => deltasOf(second).at(-1)?.seq === server.store.seq);
    expect(second.of("snapshot")).toHaveLength(0);
    const seqs = deltasOf(second).map((d) => d.seq);
    expect(seqs).toEqual(seqs.map((_, i) => lastSeq + 1 + i));
  });

  it("answers a foreign epoch, a seq no longer held, or a seq from the future with a snapshot", async () => {
    const server = await feed({ retainDeltas: 2 });
    await inject(server, 6);
    for (const request of [{ epoch: "some-other-epoch", sinceSeq: 1 }, { epoch: server.store.epoch, sinceSeq: 0 }, { epoch: server.store.epoch, sinceSeq: server.store.seq + 5 }]) {
      const probe = consoleOf(server);
      await hello(probe);
      expect((await subscribe(probe, request)).mode).toBe("snapshot");
      await probe.next("snapshot");
      probe.close();
    }
  });

  it("after an epoch change disconnects consoles, greets them with the new epoch and sends a snapshot for the old one", async () => {
    const server = await feed();
    const probe = consoleOf(server);
    const before = await hello(probe);
    await subscribe(probe);
    const disconnected = new Promise((resolve) => probe.socket.once("disconnect", resolve));
    const trainer = connectTrainer(server.url);
    open.push(trainer);
    await trainer.request("epoch");
    await disconnected;
    const again = consoleOf(server);
    const after = await hello(again);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.headSeq).toBe(0);
    expect((await subscribe(again, { epoch: before.epoch, sinceSeq: before.headSeq })).mode).toBe("snapshot");
  });
});

describe("heartbeat and positions", () => {
  it("sends a heartbeat with the head seq at the configured interval, every 5 s by default", async () => {
    expect(HEARTBEAT_INTERVAL_MS).toBe(5000);
    const server = await feed({ heartbeatMs: 50 });
    const probe = consoleOf(server);
    await hello(probe);
    await until(() => probe.of("heartbeat").length >= 3);
    const beat = parseHeartbeat(probe.of("heartbeat")[0]);
    expect(beat.ok && beat.value.headSeq).toBe(server.store.seq);
  });

  it("keeps the 5 s heartbeat when no interval is given", async () => {
    const server = await feed();
    const probe = consoleOf(server);
    await hello(probe);
    await probe.next("heartbeat", () => true, 8000);
    const first = Date.now();
    await probe.next("heartbeat", () => true, 8000, probe.received.length);
    expect(Date.now() - first).toBeGreaterThan(4000);
    expect(Date.now() - first).toBeLessThan(7000);
  }, 20_000);

  it("batches unsequenced fixes into positions frames, only to subscribed consoles", async () => {
    const server = await feed({ paused: false, speed: 60, positionsMs: 100 });
    const idle = consoleOf(server);
    const probe = consoleOf(server);
    await hello(idle);
    await hello(probe);
    await subscribe(probe);
    await probe.next("positions", () => true, 5000);
    await new Promise((r) => setTimeout(r, 300));
    const frames = probe.of("positions").map((raw) => parsePositions(raw));
    expect(frames.every((f) => f.ok && f.dropped === 0)).toBe(true);
    const units = new Set(server.store.units.keys());
    for (const frame of frames) {
      if (!frame.ok) continue;
      const ids = frame.value.fixes.map((f) => f[0]);
      expect(ids.every((id) => units.has(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(idle.of("positions")).toHaveLength(0);
  });
});
