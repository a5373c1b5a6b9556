import type { Figure, Suite, SuiteContext } from "./lib.js";
import { cpuMsSince, profiled, round } from "./lib.js";
import { decodeWire, deliver, sleep, startEngineRig, wirePacket, yieldToLoop } from "./engine-rig.js";
import { incidentDeltas, positionFrames, world, type Scale } from "./fixtures.js";

/*
 * Ingest: how much of a core the engine spends keeping up with the feed, and
 * how fast it can go flat out, each against what it costs merely to decode
 * the same Socket.IO packets (the floor no client can go under).
 */

const FIXES_PER_FRAME = 10_000;
const DELTAS_PER_BURST = 100;

async function decodeCost(wires: readonly string[]): Promise<number> {
  await yieldToLoop();
  const before = process.cpuUsage();
  for (const wire of wires) decodeWire(wire);
  return cpuMsSince(before);
}

async function peak(context: SuiteContext, scale: Scale): Promise<Figure[]> {
  const w = await world(scale);
  const frameCount = context.quick ? 4 : 20;
  const deltaCount = context.quick ? 500 : 3000;
  // Peak is a warm figure: a first stretch of frames and deltas (not counted) lets V8 compile the engine's paths, as the decoder's are compiled by its own first pass.
  const warmFrames = context.quick ? 1 : 5;
  const warmDeltas = context.quick ? 100 : 1000;
  const start = Date.now();
  const allFrames = positionFrames(w.units, FIXES_PER_FRAME, warmFrames + frameCount, start).map((frame) => wirePacket("positions", frame));
  const allDeltas = incidentDeltas(w.incidents, w.epoch, 0, warmDeltas + deltaCount, start).map((delta) => wirePacket("delta", delta));
  const frames = allFrames.slice(warmFrames);
  const deltas = allDeltas.slice(warmDeltas);
  const fixes = FIXES_PER_FRAME * frameCount;

  await decodeCost(allFrames.slice(0, warmFrames));
  await decodeCost(allDeltas.slice(0, warmDeltas));
  const decodeFixesMs = await decodeCost(frames);
  const decodeDeltasMs = await decodeCost(deltas);

  const rig = await startEngineRig(w);
  try {
    // Decoded ahead: this figure is the engine's own work on what the socket hands it.
    const framePayloads = frames.map(decodeWire);
    const deltaPayloads = deltas.map(decodeWire);
    for (const wire of allFrames.slice(0, warmFrames)) {
      deliver(rig.engine, "positions", decodeWire(wire));
      await yieldToLoop();
    }
    for (let i = 0; i < warmDeltas; i++) {
      deliver(rig.engine, "delta", decodeWire(allDeltas[i] as string));
      if ((i + 1) % DELTAS_PER_BURST === 0) await yieldToLoop();
    }
    // The warm-up's cases into the database too: the first write after the cache opens grows sql.js's in-memory copy of the file (a copy of it whole, once a process).
    rig.engine.cache.incident("(settle)");
    await sleep(rig.engine.timing.positionsMs * 2 + rig.engine.timing.pushMs * 2);
    await sleep(300);
    let before = process.cpuUsage();
    let wall = performance.now();
    await profiled(`ingest-peak-fixes-${scale}`, async () => {
      for (const payload of framePayloads) {
        deliver(rig.engine, "positions", payload);
        await yieldToLoop();
      }
      // Two push periods: the batched positions push to views belongs to the cost.
      await sleep(rig.engine.timing.positionsMs * 2 + rig.engine.timing.pushMs);
    });
    const engineFixesMs = cpuMsSince(before);
    const fixesWallMs = performance.now() - wall;

    before = process.cpuUsage();
    wall = performance.now();
    await profiled(`ingest-peak-deltas-${scale}`, async () => {
      for (let i = 0; i < deltaPayloads.length; i++) {
        deliver(rig.engine, "delta", deltaPayloads[i]);
        if ((i + 1) % DELTAS_PER_BURST === 0) await yieldToLoop();
      }
      // Until the last delta is journaled, in the database and pushed to views.
      rig.engine.cache.incident("(settle)");
      await sleep(rig.engine.timing.pushMs * 2);
    });
    const engineDeltasMs = cpuMsSince(before);
    const deltasWallMs = performance.now() - wall;
    const applied = rig.engine.replica.meta.lastSeq;
    if (applied !== warmDeltas + deltaCount) throw new Error(`the engine applied ${applied} of ${warmDeltas + deltaCount} deltas`);

    const fixRate = fixes / (engineFixesMs / 1000);
    const fixDecodeRate = fixes / (decodeFixesMs / 1000);
    const deltaRate = deltaCount / (engineDeltasMs / 1000);
    const deltaDecodeRate = deltaCount / (decodeDeltasMs / 1000);
    return [
      {
        suite: "ingest",
        name: `peak position fixes, ${scale} (${w.units.length} units)`,
        value: Math.round(fixRate),
        unit: "fixes per CPU-second",
        reference: { name: "Socket.IO + JSON decode of the same frames", value: Math.round(fixDecodeRate), unit: "fixes per CPU-second" },
        ratio: round(fixRate / fixDecodeRate, 3),
        ratioMeaning: "engine rate / decode rate",
        target: "≥ 0.25",
        met: fixRate / fixDecodeRate >= 0.25,
        note: `${fixes} fixes in ${frameCount} frames, after ${warmFrames} warm-up frames not counted (both sides); ${Math.round(fixesWallMs)} ms wall`,
      },
      {
        suite: "ingest",
        name: `peak incident deltas, ${scale}`,
        value: Math.round(deltaRate),
        unit: "deltas per CPU-second",
        reference: { name: "Socket.IO + JSON decode of the same deltas", value: Math.round(deltaDecodeRate), unit: "deltas per CPU-second" },
        ratio: round(deltaRate / deltaDecodeRate, 3),
        ratioMeaning: "engine rate / decode rate",
        target: "≥ 0.25",
        met: deltaRate / deltaDecodeRate >= 0.25,
        note: `${deltaCount} deltas (one incident.upsert each), journaled with fsync and written to the database, after ${warmDeltas} warm-up deltas not counted (both sides); ${Math.round(deltasWallMs)} ms wall`,
      },
    ];
  } finally {
    await rig.stop();
  }
}

async function sustained(context: SuiteContext, scale: Scale): Promise<Figure[]> {
  const w = await world(scale);
  const seconds = context.quick ? 3 : 30;
  const start = Date.now();
  const frames = positionFrames(w.units, FIXES_PER_FRAME, seconds, start).map((frame) => wirePacket("positions", frame));
  const deltas = incidentDeltas(w.incidents, w.epoch, 0, seconds * 1000, start).map((delta) => wirePacket("delta", delta));
  const rig = await startEngineRig(w);
  try {
    await sleep(500);
    // The decode share is measured apart on the same packets: a clock read around every packet would cost more than some packets.
    const decodeMs = (await decodeCost(frames)) + (await decodeCost(deltas));
    const decode = decodeWire;
    const before = process.cpuUsage();
    const began = performance.now();
    await profiled(`ingest-sustained-${scale}`, async () => {
      // One frame a second (as the feed sends them) and 1,000 deltas a second in bursts of 100, on the wall clock.
      for (let tenth = 0; tenth < seconds * 10; tenth++) {
        const due = began + tenth * 100;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (tenth % 10 === 0) deliver(rig.engine, "positions", decode(frames[tenth / 10] as string));
        for (let i = 0; i < DELTAS_PER_BURST; i++) deliver(rig.engine, "delta", decode(deltas[tenth * DELTAS_PER_BURST + i] as string));
      }
      const end = began + seconds * 1000;
      if (end > performance.now()) await sleep(end - performance.now());
    });
    const wallS = (performance.now() - began) / 1000;
    const totalMs = cpuMsSince(before);
    const engineCores = (totalMs - decodeMs) / 1000 / wallS;
    const decodeCores = decodeMs / 1000 / wallS;
    const lag = rig.engine.replica.meta.lastSeq;
    return [
      {
        suite: "ingest",
        name: `engine CPU at 10,000 fixes/s + 1,000 deltas/s, ${scale}`,
        value: round(engineCores, 3),
        unit: "cores",
        reference: { name: "decoding the same load (Socket.IO + JSON)", value: round(decodeCores, 3), unit: "cores" },
        ratio: round(engineCores / decodeCores, 2),
        ratioMeaning: "engine CPU / decode CPU",
        target: "< 0.1 core",
        met: engineCores < 0.1,
        note: `${seconds} s window; ${lag} of ${seconds * 1000} deltas applied by its end; with decode the process spent ${round(totalMs / 1000 / wallS, 3)} cores`,
      },
    ];
  } finally {
    await rig.stop();
  }
}

export const ingestSuite: Suite = {
  name: "ingest",
  title: "Ingest: position fixes and incident deltas",
  method: [
    "The engine runs in the bench process with a cache seeded from the reference feed's own roster and cases (`createFeedServer`, seed 7, 10:00 on a weekday) and no feed reachable.",
    "Positions frames (10,000 fixes each, every unit a few metres on, one second apart) and deltas (one `incident.upsert` each: a feed case moving one step, version + 1) are encoded as the exact packet strings a Socket.IO v4 server writes (`socket.io-parser` Encoder, Engine.IO type `4`).",
    "The engine is driven below the socket: the decoded payload goes into FeedSync's own `positions` / `delta` handlers, so `parsePositions` / `parseDeltaMessage`, the replica, the journal (fsynced), the database slices and the batched pushes to views run as in the console.",
    "**Reference**: decoding the same packet strings with `engine.io-parser` `decodePacket` + `socket.io-parser` `Decoder` (JSON included), in the same process and run.",
    "**Peak**: frames or bursts of 100 deltas back to back (yielding to the event loop between them), CPU time of the process (`process.cpuUsage`) until the last push to views; rates are per CPU-second so that a loaded machine does not flatter or hurt them. Warm: 5 frames and 1,000 deltas go through the engine first (the deltas on to the database: the first write after the cache opens grows sql.js's in-memory copy of the file, a copy of the whole file once a process, and the garbage collection that prompts: 0.2-0.5 s of CPU at city scale), and through the decoder before its measured pass, not counted (cold, V8's compilation of the parse path alone was ~17 µs a delta for the first few thousand and ~3 µs after). The engine has finished starting first (the region layer prepared in its worker, the grid counts and the situation filed).",
    "**Sustained**: one 10,000-fix frame a second and 1,000 deltas a second (bursts of 100 every 100 ms) on the wall clock for 30 s (three of the engine's 10-s compaction cycles; 10-s windows swung 0.05-0.14 cores run to run); the process's CPU over the window minus the CPU spent decoding is the engine's share of a core.",
  ].join("\n"),
  async run(context) {
    const scale: Scale = context.quick ? "district" : "city";
    context.log(`ingest: ${scale} world`);
    const figures = await peak(context, scale);
    context.log("ingest: sustained load");
    figures.push(...(await sustained(context, scale)));
    return figures;
  },
};
