import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Encoder, Decoder, PacketType } from "socket.io-parser";
import { decodePacket } from "engine.io-parser";
import { Cache } from "../electron/engine/cache.js";
import { ConsoleEngine } from "../electron/engine/engine.js";
import type { CacheOp } from "../electron/engine/model.js";
import { SETTINGS } from "../electron/engine/testing/harness.js";
import { consoleCityLayer } from "./city-layer.js";
import type { World } from "./fixtures.js";
import { REPO } from "./processes.js";

/*
 * The engine with a cached picture of a feed world and no feed reachable,
 * driven below the socket: payloads go into FeedSync's own event handlers
 * (what socket.io-client calls after decoding), so validation, the replica,
 * the journal, the database slices and the batched pushes to views all run
 * as in the console, with the region layer a console at that scale loads
 * (patrol coverage locates every fix in it). Nothing listens on the feed URL, so the socket costs
 * one refused connection per backoff step and nothing else.
 */

export type EngineRig = { engine: ConsoleEngine; dataDir: string; pushed: { positions: number; incidents: number }; stop(): Promise<void> };

export async function seedCache(dataDir: string, world: World, incidents = world.incidents): Promise<void> {
  const { cache } = await Cache.open(dataDir, () => undefined);
  const ops: CacheOp[] = [];
  for (const incident of incidents) ops.push({ op: "incident", incident });
  world.units.forEach((unit, slot) => {
    const { lastFix: _fix, ...rest } = unit;
    ops.push({ op: "unit", unit: rest, slot });
  });
  ops.push({ op: "meta", meta: { epoch: world.epoch, lastSeq: 0, dataAsOf: new Date().toISOString() } });
  cache.write(ops);
  const fixes = world.units.flatMap((unit, slot) =>
    unit.lastFix ? [{ unitId: unit.id, slot, lon: unit.lastFix.lon, lat: unit.lastFix.lat, at: unit.lastFix.at, heading: unit.lastFix.heading ?? null, speed: unit.lastFix.speed ?? null, accuracy: unit.lastFix.accuracy ?? null }] : [],
  );
  await cache.close(fixes);
}

/** The region layer a console at this scale loads: Dongcheng's for street and district, the ~30,000-grid one for city. */
function regionLayerFor(world: World): unknown {
  if (world.scale === "city") return consoleCityLayer(30_000).layer;
  return JSON.parse(readFileSync(path.join(REPO, "resources", "region", "dongcheng.geojson"), "utf8")) as unknown;
}

export async function startEngineRig(world: World): Promise<EngineRig> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-engine-"));
  await seedCache(dataDir, world);
  // Port 9 (discard) is closed on loopback: the engine stays offline, as on a console with no network.
  const engine = new ConsoleEngine({ feedUrl: "http://127.0.0.1:9", token: "bench", consoleId: "bench", dataDir, settings: SETTINGS, regionLayer: regionLayerFor(world), timing: { backoffBaseMs: 5_000, backoffMaxMs: 30_000 } });
  await engine.start();
  await startedUp(engine);
  const pushed = { positions: 0, incidents: 0 };
  engine.on("positions", (batch) => void (pushed.positions += batch.data.length / 6));
  engine.on("incidents", (change) => void (pushed.incidents += change.upserts.length));
  return {
    engine,
    dataDir,
    pushed,
    async stop() {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Until the work a start leaves running is done: the region layer prepared (a worker thread, a second
 * of CPU at city scale), the grid counts and the situation filed in slices. A figure of the engine at
 * work would otherwise count part of its start.
 */
async function startedUp(engine: ConsoleEngine): Promise<void> {
  const until = Date.now() + 120_000;
  while (!engine.gridCounts.ready || engine.situation.loading) {
    if (Date.now() > until) throw new Error("the engine did not finish starting within 120 s");
    await sleep(50);
  }
}

/** What socket.io-client does with a decoded event: the handler FeedSync registered for it. */
export function deliver(engine: ConsoleEngine, event: "positions" | "delta", payload: unknown): void {
  // Element access reaches FeedSync's private handlers: the bench drives the exact code a socket event runs.
  if (event === "positions") engine.sync["onPositions"](payload);
  else engine.sync["onDelta"](payload);
}

/** The packet string a Socket.IO v4 server writes on a WebSocket for `event` on /console (Engine.IO "4" + Socket.IO EVENT). */
export function wirePacket(event: string, payload: unknown): string {
  const [encoded] = new Encoder().encode({ type: PacketType.EVENT, nsp: "/console", data: [event, payload] });
  if (typeof encoded !== "string") throw new Error("socket.io-parser encoded a JSON event as binary");
  return `4${encoded}`;
}

/** The raw decode a client does before any handler runs: Engine.IO packet, Socket.IO packet, JSON. Returns the payload. */
export function decodeWire(wire: string): unknown {
  const packet = decodePacket(wire);
  if (packet.type !== "message" || typeof packet.data !== "string") throw new Error("not an Engine.IO text message");
  let payload: unknown;
  const decoder = new Decoder();
  decoder.on("decoded", (decoded: { data?: unknown[] }) => {
    payload = decoded.data?.[1];
  });
  decoder.add(packet.data);
  decoder.destroy();
  return payload;
}

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
