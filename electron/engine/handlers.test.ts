import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleEngine } from "./engine.js";
import { MiniFeed, iso, makeIncident, makeUnit } from "./testing/mini-feed.js";
import { makeEngine, tempDir, until } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HISTORY = [
  { at: "2026-11-22T09:00:00.000+08:00", action: "report", actor: "patrol" },
  { at: "2026-11-22T09:05:00.000+08:00", action: "register", actor: "op" },
  { at: "2026-11-22T09:10:00.000+08:00", action: "dispatch", actor: "op" },
  { at: "2026-11-22T10:00:00.000+08:00", action: "respond", actor: "dept" },
  { at: "2026-11-22T10:30:00.000+08:00", action: "rework", actor: "op" },
  { at: "2026-11-22T10:31:00.000+08:00", action: "dispatch", actor: "op" },
];

async function live(revealAllowed?: boolean): Promise<{ server: MiniFeed; engine: ConsoleEngine }> {
  const server = new MiniFeed();
  await server.listen();
  cleanups.push(() => server.close());
  server.upsert(makeIncident("A", 4, { status: "dispatched", history: HISTORY }));
  server.publish([{ type: "unit.upsert", unit: makeUnit("U1", { gridCode: "G1" }) }]);
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const engine = makeEngine(server.url, dir, revealAllowed === undefined ? {} : { revealAllowed });
  cleanups.push(() => engine.stop());
  await engine.start();
  await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live");
  return { server, engine };
}

describe("bridge handlers", () => {
  it("answers malformed requests with invalid instead of throwing", async () => {
    const { engine } = await live();
    const bad: unknown[] = [null, 42, { id: 7 }, { id: "" }, { id: "x".repeat(65) }];
    for (const request of bad) {
      const result = await engine.handlers.getIncident(request as { id: string });
      expect(result).toMatchObject({ ok: false, error: { code: "invalid" } });
    }
    expect(await engine.handlers.sendCommand({ type: "explode", payload: {} } as never)).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await engine.handlers.sendCommand({ type: "reject", incidentId: "A", payload: { reason: "  " } })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await engine.handlers.getCoverage({ days: 1000 })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(engine.outbox.list()).toEqual([]);
  });

  it("gives the full case with its history and the reporter masked", async () => {
    const { engine } = await live();
    const result = await engine.handlers.getIncident({ id: "A" });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.history).toHaveLength(HISTORY.length);
    expect(result.value.reporter).toEqual({ name: "张*", phone: "139****5678", masked: true });
    expect(await engine.handlers.getIncident({ id: "nope" })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("derives milestones from the history, the latest dispatch after a rework", async () => {
    const { engine } = await live();
    expect(engine.incidentView("A")?.milestones).toEqual({
      registered: "2026-11-22T09:05:00.000+08:00",
      dispatched: "2026-11-22T10:31:00.000+08:00",
      responded: "2026-11-22T10:00:00.000+08:00",
      reworked: "2026-11-22T10:30:00.000+08:00",
    });
  });

  it("reveals the reporter only after recording who asked, when and why", async () => {
    const { engine } = await live();
    const result = await engine.handlers.revealReporter({ incidentId: "A", reason: "回访" });
    expect(result).toEqual({ ok: true, value: { name: "张三", phone: "13912345678" } });
    expect(engine.cache.reveals("A")).toEqual([{ at: expect.stringMatching(/\+08:00$/), operatorId: "op-1", reason: "回访" }]);
  });

  it("refuses to reveal without a reason, and records nothing", async () => {
    const { engine } = await live();
    expect(await engine.handlers.revealReporter({ incidentId: "A", reason: "   " })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await engine.handlers.revealReporter({ incidentId: "A" } as { incidentId: string; reason: string })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(engine.cache.reveals("A")).toEqual([]);
  });

  it("refuses to reveal on a screen where revealing is not allowed, and records nothing", async () => {
    const { engine } = await live(false);
    expect(await engine.handlers.revealReporter({ incidentId: "A", reason: "回访" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(engine.cache.reveals("A")).toEqual([]);
  });

  it("acknowledges an alert once and drops it from the list views get", async () => {
    const { server, engine } = await live();
    server.publish([{ type: "alert", alert: { id: "AL1", at: iso(), level: "critical", title: "SOS", unitId: "U1" } }]);
    await until(() => engine.alerts().length === 1, "the alert");
    expect(engine.alerts().map((a) => a.id)).toEqual(["AL1"]);
    expect(await engine.handlers.acknowledgeAlert({ id: "AL1" })).toEqual({ ok: true, value: { acknowledged: true } });
    expect(await engine.handlers.acknowledgeAlert({ id: "AL1" })).toEqual({ ok: true, value: { acknowledged: false } });
    expect(engine.alerts()).toEqual([]);
  });

  it("counts a patrol visit once a stay reaches 5 minutes, once per unit, grid and hour", async () => {
    const { server, engine } = await live();
    const twoHoursAgo = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    const offsets = [0, 60_000, 360_000, 1_200_000, 2_400_000, 3_600_000];
    for (const [index, offset] of offsets.entries()) server.emitRaw("positions", { at: iso(), fixes: [["U1", 116.4 + index * 1e-4, 39.9, twoHoursAgo + offset, null, null, null]] });
    await until(() => engine.replica.fixes.get("U1")?.at === twoHoursAgo + 3_600_000, "all fixes");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await engine.handlers.getCoverage({ days: 2 });
    if (!result.ok) throw new Error(result.error.message);
    const visits = Object.values(result.value.visitsByDay).reduce((sum, grids) => sum + (grids["G1"] ?? 0), 0);
    expect(visits).toBe(2);
  });

  it("reports diagnostics: seqs, epoch, sizes and the outbox", async () => {
    const { server, engine } = await live();
    const result = await engine.handlers.getDiagnostics({});
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ epoch: "epoch-1", lastSeq: server.seq, headSeq: server.seq, incidents: 1, units: 1, outbox: [] });
    expect(result.value.journalBytes).toBeGreaterThan(0);
  });
});
