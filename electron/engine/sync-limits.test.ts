import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleEngine, EngineTiming } from "./engine.js";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import { FAST, makeEngine, tempDir, until } from "./testing/harness.js";

/* What a feed can make the console hold or write, whatever it sends: log lines, buffered bytes, resubscribes. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Line = { level: string; message: string; fields?: Record<string, unknown> };

async function live(timing: Partial<EngineTiming>): Promise<{ server: MiniFeed; engine: ConsoleEngine; lines: Line[] }> {
  const server = new MiniFeed();
  await server.listen();
  cleanups.push(() => server.close());
  server.upsert(makeIncident("A", 1));
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const lines: Line[] = [];
  const engine = makeEngine(server.url, dir, { timing: { ...FAST, ...timing }, log: (level, message, fields) => void lines.push(fields ? { level, message, fields } : { level, message }) });
  cleanups.push(() => engine.stop());
  await engine.start();
  await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live and caught up");
  return { server, engine, lines };
}

const caughtUp = (server: MiniFeed, engine: ConsoleEngine) => () => engine.replica.meta.lastSeq === server.seq;
const padded = (id: string) => makeIncident(id, 1, { description: "占".repeat(4000) });

describe("feed limits in the console", () => {
  it("logs a flood of malformed messages in a bounded number of lines with counts, and counts every one", async () => {
    const windowMs = 300;
    const { server, engine, lines } = await live({ dropLogWindowMs: windowMs });
    const started = Date.now();
    for (let n = 0; n < 3_000; n++) {
      server.emitRaw("delta", { epoch: 1, seq: "x" });
      server.emitRaw("heartbeat", { serverTime: 5 });
      server.emitRaw("made.up", { n });
    }
    server.upsert(makeIncident("B", 1));
    await until(caughtUp(server, engine), "the delta after the flood applied");
    await until(() => engine.sync.dropped["event.unknown"] === 3_000, "every message counted");
    expect(engine.sync.dropped["delta.invalid"]).toBe(3_000);
    expect(engine.sync.dropped["heartbeat.invalid"]).toBe(3_000);
    // Every line said is either the first of a window or a window's count.
    await new Promise((resolve) => setTimeout(resolve, windowMs * 2));
    const dropLines = lines.filter((line) => line.message.startsWith("dropped a feed message"));
    const windows = Math.ceil((Date.now() - started) / windowMs) + 1;
    expect(dropLines.length).toBeLessThanOrEqual(3 * windows);
    expect(dropLines.length).toBeLessThan(60);
    const told = (reason: string) => dropLines.filter((line) => line.fields?.reason === reason).reduce((sum, line) => sum + (typeof line.fields?.more === "number" ? line.fields.more : 1), 0);
    for (const reason of ["delta.invalid", "heartbeat.invalid", "event.unknown"]) expect(told(reason)).toBe(3_000);
  });

  it("never buffers more delta bytes than its cap: past it drops them, asks for a snapshot and catches up", async () => {
    const cap = 300_000;
    const { server, engine, lines } = await live({ bufferedDeltaBytes: cap });
    const before = server.subscribes.length;
    server.upsert(makeIncident("hole", 1), false);
    let most = 0;
    for (let n = 0; n < 40; n++) {
      server.publish(Array.from({ length: 20 }, (_, k) => ({ type: "incident.upsert" as const, incident: padded(`P${n}-${k}`) })));
      most = Math.max(most, engine.sync.heldBytes.buffered);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(caughtUp(server, engine), "caught up after the snapshot", 10_000);
    most = Math.max(most, engine.sync.heldBytes.buffered);
    expect(most).toBeLessThanOrEqual(cap);
    expect(engine.sync.heldBytes.buffered).toBe(0);
    expect(server.subscribes.slice(before)).toContainEqual({});
    expect(engine.replica.incidents.has("hole")).toBe(true);
    expect(engine.replica.incidents.has("P39-19")).toBe(true);
    expect(lines.filter((line) => line.message.startsWith("buffered deltas passed their cap")).length).toBeGreaterThanOrEqual(1);
    // Counted for the diagnostics as well as logged.
    expect(engine.sync.dropped["delta.buffer_full"]).toBeGreaterThanOrEqual(1);
  });

  it("backs off when gaps keep coming, and catches up once they stop", async () => {
    const { server, engine } = await live({ gapWaitMs: 50, backoffMaxMs: 1_600 });
    const times: number[] = [];
    const record = server.subscribes.push.bind(server.subscribes);
    server.subscribes.push = (...requests) => (times.push(Date.now() - started), record(...requests));
    const started = Date.now();
    while (Date.now() - started < 2_500) {
      // A hole each time: one delta never sent, the next one sent.
      server.upsert(makeIncident("A", server.seq + 10), false);
      server.upsert(makeIncident("A", server.seq + 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(caughtUp(server, engine), "caught up once the gaps stop", 5_000);
    // Without the backoff: a resubscribe every ~70 ms, over 30 in this time.
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThanOrEqual(8);
    const spacings = times.slice(1).map((at, n) => at - times[n]!);
    for (const [n, spacing] of spacings.slice(0, 3).entries()) expect(spacing).toBeGreaterThanOrEqual(100 * 2 ** n - 5);
  });

  it("drops a snapshot past its byte cap and asks again, backing off, holding no more than the cap meanwhile", async () => {
    const server = new MiniFeed({ partSize: 5 });
    await server.listen();
    cleanups.push(() => server.close());
    for (let n = 0; n < 40; n++) server.upsert(padded(`S${n}`));
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const cap = 100_000;
    const lines: Line[] = [];
    const engine = makeEngine(server.url, dir, { timing: { ...FAST, snapshotBytes: cap, gapWaitMs: 50, backoffMaxMs: 1_600 }, log: (level, message) => void lines.push({ level, message }) });
    cleanups.push(() => engine.stop());
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, engine.sync.heldBytes.snapshot)), 1);
    cleanups.push(() => clearInterval(sampler));
    await engine.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(engine.replica.incidents.size).toBe(0);
    expect(most).toBeLessThanOrEqual(cap);
    // Asked on hello, then after waits of about 0.05, 0.1, 0.2, 0.4, 0.8 s: not a snapshot per part, nor one per gap wait.
    expect(server.subscribes.length).toBeGreaterThanOrEqual(3);
    expect(server.subscribes.length).toBeLessThanOrEqual(7);
    expect(lines.filter((line) => line.message.startsWith("a snapshot passed its byte cap")).length).toBe(1);
    expect(engine.sync.dropped["snapshot.too_large"]).toBeGreaterThanOrEqual(1);
  });

  it("sends a command refused as rate limited again later instead of showing it rejected", async () => {
    const server = new MiniFeed({ rateLimited: (_command, attempt) => attempt <= 2 });
    await server.listen();
    cleanups.push(() => server.close());
    server.upsert(makeIncident("A", 1));
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const engine = makeEngine(server.url, dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live");
    const sent = await engine.handlers.sendCommand({ type: "register", incidentId: "A", payload: {} });
    if (!sent.ok) throw new Error(sent.error.message);
    await until(() => engine.outbox.list().length === 0, "applied after the refusals");
    expect(server.received.filter((command) => command.commandId === sent.value.commandId)).toHaveLength(3);
    expect(server.incidents.get("A")?.status).toBe("registered");
  });
});
