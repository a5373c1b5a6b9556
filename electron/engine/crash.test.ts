import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "./cache.js";
import { MiniFeed, makeIncident, makeUnit } from "./testing/mini-feed.js";
import { makeEngine, sqlite3, tempDir, until } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SCRIPT = join(fileURLToPath(new URL(".", import.meta.url)), "testing", "engine-process.ts");

function spawnEngine(feedUrl: string, dataDir: string): { child: ChildProcessWithoutNullStreams; lines: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, feedUrl, dataDir], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, lines };
}

describe("hard kill", () => {
  it("loses nothing applied or queued: after SIGKILL mid-burst and a restart, cache and platform agree and every command arrived exactly once", async () => {
    const server = new MiniFeed({ heartbeatMs: 100 });
    await server.listen();
    cleanups.push(() => server.close());
    for (let i = 0; i < 40; i++) server.upsert(makeIncident(`I${i}`, 1));
    for (let i = 0; i < 10; i++) server.publish([{ type: "unit.upsert", unit: makeUnit(`U${i}`) }]);
    const { dir, remove } = tempDir();
    cleanups.push(remove);

    const { child, lines } = spawnEngine(server.url, dir);
    await until(() => lines.some((l) => l["status"] === "live"), "the child engine live", 15_000);

    let round = 0;
    const burst = setInterval(() => {
      round++;
      const id = `I${round % 40}`;
      const current = server.incidents.get(id);
      server.upsert(makeIncident(id, (current?.version ?? 0) + 1, { status: round % 2 ? "registered" : "dispatched" }));
      server.publish([{ type: "unit.upsert", unit: makeUnit(`U${round % 10}`, { status: round % 3 ? "on_patrol" : "busy" }) }]);
    }, 2);
    cleanups.push(() => clearInterval(burst));
    const refs = Array.from({ length: 30 }, (_, i) => `crash-ref-${i}`);
    for (const clientRef of refs) {
      child.stdin.write(`${JSON.stringify({ type: "report", payload: { clientRef, title: `上报 ${clientRef}`, categoryCode: "0101", priority: "normal", lon: 116.4, lat: 39.9 } })}\n`);
    }
    const initialSeq = server.seq;
    const shown = () => Math.max(...lines.map((l) => (typeof l["lastSeq"] === "number" ? l["lastSeq"] : 0)));
    await until(() => lines.filter((l) => "queued" in l).length >= 10 && shown() > initialSeq + 20, "commands journaled and deltas shown mid-burst", 15_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    clearInterval(burst);
    const queued = lines.filter((l) => "queued" in l).map((l) => String(l["clientRef"]));

    expect(sqlite3(join(dir, "cache.sqlite"), "PRAGMA integrity_check")).toBe("ok");
    const shownSeq = shown();
    // Inspected in a copy, so the restart below replays the very files the kill left.
    const copy = tempDir();
    cleanups.push(copy.remove);
    cpSync(dir, copy.dir, { recursive: true });
    const { cache } = await Cache.open(copy.dir, () => undefined);
    const survived = cache.load();
    await cache.close();
    expect(survived.meta.lastSeq).toBeGreaterThanOrEqual(shownSeq);
    for (const ref of queued) expect(survived.outbox.some((e) => e.command.type === "report" && e.command.payload.clientRef === ref) || [...server.incidents.values()].some((i) => i.clientRef === ref), ref).toBe(true);

    const engine = makeEngine(server.url, dir);
    cleanups.push(() => engine.stop());
    await engine.start();
    await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq && engine.outbox.list().length === 0, "caught up with an empty outbox", 15_000);

    const arrivals = (ref: string) => [...server.incidents.values()].filter((i) => i.clientRef === ref).length;
    for (const ref of queued) expect(arrivals(ref), ref).toBe(1);
    for (const ref of refs) expect(arrivals(ref), ref).toBeLessThanOrEqual(1);
    const versions = (map: Map<string, { version: number }>) => Object.fromEntries([...map].map(([id, i]) => [id, i.version]));
    expect(versions(engine.replica.incidents)).toEqual(versions(server.incidents));
    expect(Object.fromEntries(engine.replica.units)).toEqual(Object.fromEntries([...server.units].map(([id, u]) => [id, u])));
  }, 40_000);
});
