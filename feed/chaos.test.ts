import { afterEach, describe, expect, it } from "vitest";
import { parseDelta, parseHeartbeat, parsePositions, parseSnapshot } from "../shared/protocol/validate.js";
import type { Delta } from "../shared/protocol/types.js";
import { MALFORMED_KINDS, mergeChaos, NO_CHAOS } from "./chaos.js";
import type { FeedServer } from "./server.js";
import { connectConsole, connectTrainer, type Probe, startFeed, until } from "./test-support.js";

/*
 * Chaos distorts what a connection is sent and never the server's own state:
 * every malformed kind fails the shared parsers, repeats and reorders still
 * carry every seq, drops and stalls happen, and the retained delta stream
 * stays contiguous throughout.
 */

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function subscribed(options: Parameters<typeof startFeed>[0] = {}): Promise<{ server: FeedServer; probe: Probe; trainer: Probe }> {
  const server = await startFeed(options);
  const probe = connectConsole(server.url);
  const trainer = connectTrainer(server.url);
  open.push(server, probe, trainer);
  await probe.next("hello");
  await probe.request("subscribe", {});
  await probe.next("snapshot");
  return { server, probe, trainer };
}

const validDeltas = (probe: Probe): Delta[] => probe.of("delta").flatMap((raw) => {
  const parsed = parseDelta(raw);
  return parsed.ok ? [parsed.value] : [];
});

const PARSERS: Record<string, (raw: unknown) => { ok: boolean; dropped?: number }> = {
  delta: parseDelta,
  snapshot: parseSnapshot,
  heartbeat: parseHeartbeat,
  positions: parsePositions,
};

describe("malformed messages", () => {
  it.each(MALFORMED_KINDS)("%s breaks the contract in a way a console can tell", async (kind) => {
    const { server, probe, trainer } = await subscribed();
    const before = probe.received.length;
    expect(await trainer.request("malformed", { kind })).toEqual({ ok: true, sent: 1 });
    await until(() => probe.received.length > before);
    const { event, payload } = probe.received[before]!;
    const parse = PARSERS[event];
    if (kind === "delta-foreign-epoch") {
      // Well-formed, but from a sequence space this console never joined.
      expect(parseDelta(payload).ok).toBe(true);
      expect((payload as Delta).epoch).not.toBe(server.store.epoch);
    } else if (kind === "snapshot-incomplete") {
      // Well-formed part 1 of a snapshot whose other parts never come.
      const part = parseSnapshot(payload);
      expect(part.ok && part.value.part === 1 && part.value.parts > 1 && part.value.seq !== server.store.seq).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      expect(probe.of("snapshot").filter((raw) => (raw as { seq: number }).seq === (payload as { seq: number }).seq)).toHaveLength(1);
    } else if (event === "positions") {
      // A frame is kept with its bad fixes dropped one by one.
      expect(parsePositions(payload)).toMatchObject({ ok: true, dropped: 4, value: { fixes: [] } });
    } else if (parse) {
      expect(parse(payload).ok).toBe(false);
    } else {
      expect(kind).toBe("unknown-event");
      expect(Object.keys(PARSERS)).not.toContain(event);
    }
  });

  it("never sends malformed messages to a console that has not subscribed", async () => {
    const { trainer, server } = await subscribed();
    const idle = connectConsole(server.url);
    open.push(idle);
    await idle.next("hello");
    await trainer.request("malformed", {});
    await new Promise((r) => setTimeout(r, 50));
    expect(idle.received.map((r) => r.event)).toEqual(["hello"]);
  });
});

describe("distorted live stream", () => {
  it("with repeat and reorder every seq still arrives, some twice or late, and the server's stream stays contiguous", async () => {
    const { server, probe, trainer } = await subscribed({ chaos: { repeat: 0.5, reorder: 0.5, malformed: 0.3 } });
    for (let i = 0; i < 12; i++) await trainer.request("inject", { categoryCode: "0502" });
    await until(() => new Set(validDeltas(probe).map((d) => d.seq)).size === server.store.seq, 10_000);
    const seqs = validDeltas(probe).map((d) => d.seq);
    expect(seqs.length).toBeGreaterThan(server.store.seq);
    expect(seqs.some((seq, i) => i > 0 && seq < seqs[i - 1]!)).toBe(true);
    const retained = server.store.retained().map((d) => d.seq);
    expect(retained).toEqual(retained.map((_, i) => i + 1));
  });

  it("with extend, deltas carry unknown fields and an unknown event type around the real events and seq", async () => {
    const { server, probe, trainer } = await subscribed({ chaos: { extend: 1 } });
    await trainer.request("inject", { categoryCode: "0401" });
    await until(() => probe.of("delta").length >= 1);
    const sent = probe.of("delta") as { seq: number; "x-trace"?: string; events: { type: string }[] }[];
    const real = server.store.retained();
    for (const delta of sent) {
      expect(delta["x-trace"]).toBe(`t-${delta.seq}`);
      expect(delta.events.at(-1)?.type).toBe("incident.merged");
      // Known fields dropped by the shared schema: what remains is exactly the real delta.
      const known = parseDelta({ ...delta, events: delta.events.filter((e) => e.type !== "incident.merged") });
      expect(known.ok && known.value).toEqual(real.find((d) => d.seq === delta.seq));
    }
  });

  it("drop closes connections and stall silences one, heartbeats included", async () => {
    const dropped = await subscribed();
    const gone = new Promise((resolve) => dropped.probe.socket.once("disconnect", resolve));
    dropped.server.setChaos({ drop: 1 });
    await gone;

    const stalled = await subscribed({ heartbeatMs: 50 });
    await stalled.probe.next("heartbeat");
    stalled.server.setChaos({ stall: 1, stallMs: 8000 });
    const lastBeatAt = () => Math.max(...stalled.probe.received.map((r, i) => (r.event === "heartbeat" ? i : -1)));
    // Wait for the chaos clock (once a second) to stall the connection: heartbeats (every 50 ms) stop.
    let seen = lastBeatAt();
    let quietSince = Date.now();
    while (Date.now() - quietSince < 400) {
      await new Promise((r) => setTimeout(r, 20));
      if (lastBeatAt() !== seen) [seen, quietSince] = [lastBeatAt(), Date.now()];
    }
    stalled.server.setChaos({ stall: 0 });
    const beats = stalled.probe.received.filter((r) => r.event === "heartbeat").length;
    await new Promise((r) => setTimeout(r, 500));
    // Silent while stalled, the socket still open.
    expect(stalled.probe.socket.connected).toBe(true);
    expect(stalled.probe.received.filter((r) => r.event === "heartbeat").length).toBe(beats);
  });

  it("refuses chaos rates outside 0..1 and unknown settings", () => {
    expect(mergeChaos(NO_CHAOS, { drop: 2 })).toMatchObject({ ok: false });
    expect(mergeChaos(NO_CHAOS, { explode: 1 })).toMatchObject({ ok: false });
    expect(mergeChaos(NO_CHAOS, { repeat: 0.25, stallMs: 30_000 })).toEqual({ ok: true, value: { ...NO_CHAOS, repeat: 0.25, stallMs: 30_000 } });
  });
});
