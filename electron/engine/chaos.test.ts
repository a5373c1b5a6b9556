import { afterEach, describe, expect, it } from "vitest";
import { fixtureLayer } from "../../feed/region-synthetic.js";
import { createFeedServer } from "../../feed/server.js";
import type { FeedServer } from "../../feed/server.js";
import type { Unit } from "../../shared/protocol/types.js";
import type { ConsoleEngine } from "./engine.js";
import { makeEngine, sqlite3, tempDir, until } from "./testing/harness.js";
import { join } from "node:path";

/*
 * The engine against the reference feed server (feed/) in chaos mode: drops,
 * stalls, repeats, reorders, malformed messages and real epoch changes, with
 * the simulation running fast and operator commands in between.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Applied = { kind: "snapshot" | "delta"; epoch: string; seq: number };

/** Records every snapshot and delta the replica applies, in order. */
function watch(engine: ConsoleEngine): Applied[] {
  const applied: Applied[] = [];
  const replica = engine.replica;
  const applySnapshot = replica.applySnapshot.bind(replica);
  const applyDelta = replica.applyDelta.bind(replica);
  replica.applySnapshot = (snapshot) => {
    applied.push({ kind: "snapshot", epoch: snapshot.epoch, seq: snapshot.seq });
    return applySnapshot(snapshot);
  };
  replica.applyDelta = (delta) => {
    applied.push({ kind: "delta", epoch: delta.epoch, seq: delta.seq });
    return applyDelta(delta);
  };
  return applied;
}

const withoutFix = ({ lastFix: _fix, ...unit }: Unit): Unit => unit;

describe("engine against the reference feed server in chaos mode", () => {
  it("after the chaos stops holds exactly the server's state, having applied every seq once and in order", async () => {
    const server: FeedServer = await createFeedServer({
      token: "secret",
      seed: 11,
      region: fixtureLayer({ communities: 2, side: 3 }),
      speed: 900,
      autopilot: true,
      warmupHours: 1,
      casesPerGridDay: 200,
      heartbeatMs: 150,
      tickMs: 40,
      positionsMs: 150,
      partLimits: { incidents: 7, units: 5 },
      chaos: { drop: 0.05, stallMs: 1500, repeat: 0.15, reorder: 0.15, malformed: 0.2 },
    });
    cleanups.push(() => server.close());
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const engine = makeEngine(server.url, dir, { timing: { stallAfterMs: 1000, snapshotTimeoutMs: 1500, gapWaitMs: 150, backoffBaseMs: 50, backoffMaxMs: 400, ackTimeoutMs: 800, retryBaseMs: 50, retryMaxMs: 300, pushMs: 30, positionsMs: 100, compactEveryMs: 1500 } });
    cleanups.push(() => engine.stop());
    const applied = watch(engine);
    await engine.start();

    const states = new Set<string>();
    engine.on("status", (status) => states.add(status.state));
    const sent: string[] = [];
    const commander = setInterval(() => {
      const open = [...engine.replica.incidents.values()].find((i) => i.status !== "closed" && i.status !== "rejected");
      if (!open) return;
      void engine.handlers.sendCommand({ type: "annotate", incidentId: open.id, payload: { note: `chaos ${sent.length}` } }).then((result) => {
        if (result.ok) sent.push(result.value.commandId);
      });
    }, 150);
    cleanups.push(() => clearInterval(commander));
    // Besides the random chaos, each kind of outage once for sure: a drop, a stall, an epoch change.
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(1500);
    server.dropConsoles();
    await pause(1500);
    // Stalled until the console says so: the feed stalls a session on its once-a-second chaos tick, which a loaded machine delays.
    server.setChaos({ stall: 1 });
    await until(() => states.has("stalled"), "a stall seen by the console", 15_000);
    server.setChaos({ stall: 0 });
    await pause(2400);
    server.changeEpoch();
    await pause(1500);
    clearInterval(commander);
    server.setChaos({ drop: 0, stall: 0, repeat: 0, reorder: 0, malformed: 0, epoch: 0 });

    await until(
      () => engine.status().state === "live" && engine.replica.meta.epoch === server.store.epoch && engine.replica.meta.lastSeq === server.store.seq && engine.outbox.list().every((e) => e.state === "conflict" || e.state === "rejected"),
      "caught up after the chaos",
      20_000,
    );
    const versions = new Map([...engine.replica.incidents].map(([id, incident]) => [id, incident.version]));
    expect(versions).toEqual(new Map([...server.store.incidents].map(([id, incident]) => [id, incident.version])));
    expect(new Map([...engine.replica.units].map(([id, unit]) => [id, withoutFix(unit)]))).toEqual(new Map([...server.store.units].map(([id, unit]) => [id, withoutFix(unit)])));

    // Within an epoch, each delta is the one after what was applied before it: no gap, no repeat.
    let position: { epoch: string; seq: number } | null = null;
    for (const step of applied) {
      if (step.kind === "delta") expect(step).toEqual({ kind: "delta", epoch: position?.epoch, seq: (position?.seq ?? -1) + 1 });
      position = { epoch: step.epoch, seq: step.seq };
    }
    expect(applied.filter((a) => a.kind === "delta").length).toBeGreaterThan(50);
    expect(new Set(applied.filter((a) => a.kind === "snapshot").map((a) => a.epoch)).size).toBeGreaterThanOrEqual(2);
    expect([...states]).toEqual(expect.arrayContaining(["live", "offline", "stalled"]));
    const dropped = engine.sync.dropped;
    expect(Object.keys(dropped).length).toBeGreaterThan(2);
    expect(sent.length).toBeGreaterThan(10);
    await engine.stop();
    expect(sqlite3(join(dir, "cache.sqlite"), "PRAGMA integrity_check")).toBe("ok");
    console.info("chaos run", { applied: applied.length, snapshots: applied.filter((a) => a.kind === "snapshot").length, states: [...states], dropped, commands: sent.length });
  }, 45_000);
});
