import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDelta } from "../shared/protocol/validate.js";
import type { Alert, Incident, Unit } from "../shared/protocol/types.js";
import type { FeedServer } from "./server.js";
import { connectConsole, connectTrainer, type Probe, startFeed } from "./test-support.js";

/* The /trainer namespace: scripted cases, department steps, SOS, pause and resume, chaos. */

let server: FeedServer;
let trainer: Probe;
let watcher: Probe;

beforeEach(async () => {
  server = await startFeed();
  trainer = connectTrainer(server.url);
  watcher = connectConsole(server.url);
  await watcher.next("hello");
  await watcher.request("subscribe", {});
});

afterEach(async () => {
  trainer.close();
  watcher.close();
  await server.close();
});

const eventsSeen = (probe: Probe) => probe.of("delta").flatMap((raw) => {
  const parsed = parseDelta(raw);
  return parsed.ok ? parsed.value.events : [];
});

describe("trainer", () => {
  it("inject creates the asked-for case in the asked-for grid, reported by a patrol member there, and consoles see it", async () => {
    const grid = server.sim.patrol.members[3]!.grid;
    const reply = await trainer.request<{ ok: true; incident: Incident }>("inject", { categoryCode: "0303", gridCode: grid.code, urgent: true });
    expect(reply.incident).toMatchObject({ status: "reported", gridCode: grid.code, priority: "urgent", source: "patrol", category: { code: "0303", minor: "消防通道堵塞" } });
    expect(reply.incident.reporter?.unitId).toMatch(new RegExp(`^U${grid.code}`));
    await watcher.next("delta", (raw) => JSON.stringify(raw).includes(reply.incident.id));
    // An urgent case also raises a warning for the wall.
    await watcher.next("delta", (raw) => JSON.stringify(raw).includes("紧急案件"));
  });

  it("inject refuses an unknown category or grid with a code", async () => {
    expect(await trainer.request("inject", { categoryCode: "9999" })).toMatchObject({ ok: false, code: "invalid" });
    expect(await trainer.request("inject", { categoryCode: "0101", gridCode: "110101009999999" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await trainer.request("inject", { categoryCode: 5 })).toMatchObject({ ok: false, code: "invalid" });
  });

  it("advance moves a case one department step and refuses cases no department holds", async () => {
    const { incident } = await trainer.request<{ incident: Incident }>("inject", { categoryCode: "0401", manual: true });
    expect(await trainer.request("advance", { incidentId: incident.id })).toMatchObject({ ok: false, code: "invalid" });
    expect(await trainer.request("advance", { incidentId: "missing" })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("archive ends the platform's tracking of a closed or rejected case now, and refuses an open one", async () => {
    const { incident } = await trainer.request<{ incident: Incident }>("inject", { categoryCode: "0401", manual: true });
    expect(await trainer.request("archive", { incidentId: incident.id })).toMatchObject({ ok: false, code: "invalid" });
    expect(await trainer.request("archive", { incidentId: "missing" })).toMatchObject({ ok: false, code: "not_found" });
    server.store.commit([{ type: "incident.upsert", incident: { ...incident, status: "rejected", version: incident.version + 1 } }]);
    expect(await trainer.request("archive", { incidentId: incident.id })).toMatchObject({ ok: true, incident: { id: incident.id, status: "rejected" } });
    await watcher.next("delta", (raw) => JSON.stringify(raw).includes('"incident.archived"'));
    expect(eventsSeen(watcher)).toContainEqual({ type: "incident.archived", id: incident.id, version: incident.version + 1 });
    expect(server.store.incidents.has(incident.id)).toBe(false);
  });

  it("sos puts a unit in sos and raises a critical alert with its position", async () => {
    const unitId = server.sim.patrol.members[0]!.unit.id;
    const reply = await trainer.request<{ ok: true; unit: Unit }>("sos", { unitId });
    expect(reply.unit).toMatchObject({ id: unitId, status: "sos" });
    await watcher.next("delta", (raw) => JSON.stringify(raw).includes('"critical"'));
    const alert = eventsSeen(watcher).find((e): e is { type: "alert"; alert: Alert } => e.type === "alert" && e.alert.level === "critical");
    expect(alert?.alert).toMatchObject({ unitId, level: "critical" });
    expect(alert?.alert.lon).toBeTypeOf("number");
  });

  it("pause freezes simulated time and resume restarts it; skip jumps ahead", async () => {
    await trainer.request("resume");
    const paused = await trainer.request<{ simTime: string; paused: boolean }>("pause");
    expect(paused.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect((await trainer.request<{ simTime: string }>("status")).simTime).toBe(paused.simTime);
    const skipped = await trainer.request<{ simTime: string }>("skip", { minutes: 90 });
    expect(Date.parse(skipped.simTime) - Date.parse(paused.simTime)).toBe(90 * 60_000);
    const resumed = await trainer.request<{ paused: boolean }>("resume");
    expect(resumed.paused).toBe(false);
  });

  it("chaos changes the settings live and refuses bad rates", async () => {
    expect(await trainer.request("chaos", { repeat: 0.5 })).toMatchObject({ ok: true, chaos: { repeat: 0.5 } });
    expect(server.chaos().repeat).toBe(0.5);
    expect(await trainer.request("chaos", { repeat: 5 })).toMatchObject({ ok: false, code: "invalid" });
  });
});
