import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommandResult, parseDelta } from "../shared/protocol/validate.js";
import type { CommandResult, Incident } from "../shared/protocol/types.js";
import type { FeedServer } from "./server.js";
import { command, connectConsole, connectTrainer, type Probe, startFeed, until } from "./test-support.js";

/*
 * PROTOCOL.md, commands: every type with its lifecycle move, conflict,
 * invalid, not_found, at-most-once with duplicate:true, report with the
 * echoed clientRef, and every accepted command broadcast as a delta.
 */

let server: FeedServer;
let operator: Probe;
let watcher: Probe;
let trainer: Probe;

beforeEach(async () => {
  server = await startFeed();
  operator = connectConsole(server.url);
  watcher = connectConsole(server.url);
  trainer = connectTrainer(server.url);
  for (const probe of [operator, watcher]) {
    await probe.next("hello");
    await probe.request("subscribe", {});
  }
});

afterEach(async () => {
  for (const probe of [operator, watcher, trainer]) probe.close();
  await server.close();
});

async function send(cmd: unknown): Promise<CommandResult> {
  const parsed = parseCommandResult(await operator.request("command", cmd));
  if (!parsed.ok) throw new Error(`bad command result: ${parsed.error.path} ${parsed.error.reason}`);
  return parsed.value;
}

async function accepted(cmd: unknown): Promise<Incident> {
  const result = await send(cmd);
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
  return result.incident;
}

async function newCase(): Promise<Incident> {
  const reply = await trainer.request<{ ok: true; incident: Incident }>("inject", { categoryCode: "0501", manual: true });
  return reply.incident;
}

/** A case taken through register and dispatch to the given status. */
async function caseIn(status: "registered" | "dispatched" | "processing" | "responded"): Promise<Incident> {
  let incident = await newCase();
  incident = await accepted(command("register", { incidentId: incident.id, expectedVersion: incident.version, payload: {} }));
  if (status === "registered") return incident;
  incident = await accepted(command("dispatch", { incidentId: incident.id, expectedVersion: incident.version, payload: { departmentId: "D01" } }));
  if (status === "dispatched") return incident;
  incident = (await trainer.request<{ incident: Incident }>("advance", { incidentId: incident.id })).incident;
  if (status === "processing") return incident;
  return (await trainer.request<{ incident: Incident }>("advance", { incidentId: incident.id })).incident;
}

const broadcast = (probe: Probe, id: string, version: number) =>
  probe.next("delta", (raw) => {
    const delta = parseDelta(raw);
    return delta.ok && delta.value.events.some((e) => e.type === "incident.upsert" && e.incident.id === id && e.incident.version === version);
  });

describe("lifecycle moves", () => {
  it("register moves reported to registered, bumps the version, and reaches every console as a delta", async () => {
    const incident = await newCase();
    const after = await accepted(command("register", { incidentId: incident.id, expectedVersion: incident.version, payload: { note: "属实" } }));
    expect(after).toMatchObject({ status: "registered", version: incident.version + 1 });
    expect(after.history.at(-1)).toMatchObject({ action: "register", actor: "值班员甲", note: "属实" });
    await broadcast(watcher, incident.id, after.version);
    await broadcast(operator, incident.id, after.version);
  });

  it("reject needs a non-empty reason and moves reported to rejected", async () => {
    const incident = await newCase();
    const empty = await send(command("reject", { incidentId: incident.id, payload: { reason: "  " } }));
    expect(empty).toMatchObject({ ok: false, code: "invalid" });
    expect(!empty.ok && empty.message).toMatch(/^payload\.reason/);
    expect(await accepted(command("reject", { incidentId: incident.id, payload: { reason: "重复上报" } }))).toMatchObject({ status: "rejected" });
  });

  it("dispatch names the department and sets deadlines from the category unless given", async () => {
    const registered = await caseIn("registered");
    const unknown = await send(command("dispatch", { incidentId: registered.id, payload: { departmentId: "D99" } }));
    expect(unknown).toMatchObject({ ok: false, code: "invalid" });
    const dispatched = await accepted(command("dispatch", { incidentId: registered.id, payload: { departmentId: "D01" } }));
    expect(dispatched).toMatchObject({ status: "dispatched", department: { id: "D01", name: "街道城管执法队" } });
    // 占道经营: respond within 4 h, close within 24 h of dispatch.
    const at = Date.parse(dispatched.updatedAt);
    expect(Date.parse(dispatched.respondBy!) - at).toBe(4 * 3600_000);
    expect(Date.parse(dispatched.closeBy!) - at).toBe(24 * 3600_000);
    const other = await caseIn("registered");
    const given = await accepted(command("dispatch", { incidentId: other.id, payload: { departmentId: "D05", respondBy: "2026-11-20T12:00:00.000+08:00", closeBy: "2026-11-21T12:00:00.000+08:00" } }));
    expect(given).toMatchObject({ respondBy: "2026-11-20T12:00:00.000+08:00", closeBy: "2026-11-21T12:00:00.000+08:00" });
  });

  it("urge keeps the status on dispatched and processing cases and is refused on others", async () => {
    for (const status of ["dispatched", "processing"] as const) {
      const incident = await caseIn(status);
      const urged = await accepted(command("urge", { incidentId: incident.id, expectedVersion: incident.version, payload: { note: "请尽快处置" } }));
      expect(urged).toMatchObject({ status, version: incident.version + 1 });
    }
    const registered = await caseIn("registered");
    expect(await send(command("urge", { incidentId: registered.id, expectedVersion: registered.version, payload: { note: "快" } }))).toMatchObject({ ok: false, code: "invalid" });
  });

  it("close moves responded to closed; rework sends it back to dispatched and counts the rework", async () => {
    const first = await caseIn("responded");
    expect(await accepted(command("close", { incidentId: first.id, payload: { note: "核查属实" } }))).toMatchObject({ status: "closed" });
    const second = await caseIn("responded");
    const reworked = await accepted(command("rework", { incidentId: second.id, payload: { reason: "现场仍有摊贩" } }));
    expect(reworked).toMatchObject({ status: "dispatched", reworkCount: 1 });
    expect(await send(command("rework", { incidentId: second.id, expectedVersion: reworked.version, payload: { reason: "again" } }))).toMatchObject({ ok: false, code: "invalid" });
  });

  it("annotate works in any status, closed included, without changing it", async () => {
    const incident = await caseIn("responded");
    const closed = await accepted(command("close", { incidentId: incident.id, payload: { note: "ok" } }));
    expect(await accepted(command("annotate", { incidentId: incident.id, payload: { note: "回访满意" } }))).toMatchObject({ status: "closed", version: closed.version + 1 });
  });
});

describe("evaluate", () => {
  it("records the reporter's rating on a closed case without moving it, refuses it before closing, and answers a second one with conflict", async () => {
    const incident = await caseIn("responded");
    const open = await send(command("evaluate", { incidentId: incident.id, expectedVersion: incident.version, payload: { rating: "satisfied" } }));
    expect(open).toMatchObject({ ok: false, code: "invalid" });
    const closed = await accepted(command("close", { incidentId: incident.id, payload: { note: "核查属实" } }));
    const bad = await send({ ...command("evaluate", { incidentId: incident.id, payload: { rating: "satisfied" } }), payload: { rating: "great" } });
    expect(bad).toMatchObject({ ok: false, code: "invalid" });
    expect(!bad.ok && bad.message).toMatch(/^payload\.rating/);

    const evaluated = await accepted(command("evaluate", { incidentId: incident.id, expectedVersion: closed.version, payload: { rating: "basically_satisfied", note: "处理及时" } }));
    expect(evaluated).toMatchObject({ status: "closed", version: closed.version + 1, evaluation: { rating: "basically_satisfied", note: "处理及时" } });
    expect(Date.parse(evaluated.evaluation!.at)).toBe(Date.parse(evaluated.updatedAt));
    expect(evaluated.history.at(-1)).toMatchObject({ action: "evaluate", actor: "值班员甲", note: "基本满意：处理及时" });
    await broadcast(watcher, incident.id, evaluated.version);

    const again = await send(command("evaluate", { incidentId: incident.id, expectedVersion: evaluated.version, payload: { rating: "unsatisfied" } }));
    expect(again).toMatchObject({ ok: false, code: "conflict", incident: { id: incident.id, version: evaluated.version, evaluation: { rating: "basically_satisfied" } } });
  });
});

describe("refusals", () => {
  it("answers conflict with the current case when it moved past the version the operator acted on", async () => {
    const incident = await newCase();
    const registered = await accepted(command("register", { incidentId: incident.id, payload: {} }));
    const late = await send(command("reject", { incidentId: incident.id, expectedVersion: incident.version, payload: { reason: "不属实" } }));
    expect(late).toMatchObject({ ok: false, code: "conflict", incident: { id: incident.id, version: registered.version, status: "registered" } });
  });

  it("answers not_found for an unknown case and invalid for a malformed command, with the offending path", async () => {
    expect(await send(command("annotate", { incidentId: "NO-SUCH-CASE", payload: { note: "x" } }))).toMatchObject({ ok: false, code: "not_found" });
    const malformed = await send({ commandId: "bad-1", type: "register", incidentId: "x", payload: {}, issuedAt: "yesterday", operator: { id: "o", name: "n" } });
    expect(malformed).toMatchObject({ ok: false, code: "invalid" });
    expect(!malformed.ok && malformed.message).toMatch(/^issuedAt/);
    expect(await send({ type: "teleport" })).toMatchObject({ ok: false, code: "invalid" });
  });
});

describe("at most once", () => {
  it("answers a repeated commandId with the first result and duplicate:true, and applies nothing again", async () => {
    const incident = await newCase();
    const cmd = command("annotate", { incidentId: incident.id, payload: { note: "第一次" } });
    const first = await accepted(cmd);
    const seqAfterFirst = server.store.seq;
    const repeat = await send(cmd);
    expect(repeat).toEqual({ ok: true, incident: first, duplicate: true });
    // Even a changed body under the same id is the same command.
    expect(await send({ ...cmd, payload: { note: "改了" } })).toEqual({ ok: true, incident: first, duplicate: true });
    expect(server.store.seq).toBe(seqAfterFirst);
    expect(server.store.incidents.get(incident.id)?.version).toBe(first.version);
  });
});

describe("report", () => {
  it("creates a reported case with a server case number, echoes clientRef, locates the grid, and broadcasts it", async () => {
    const grid = server.sim.patrol.members[0]!.grid;
    const [lon, lat] = grid.centroid;
    const cmd = command("report", {
      payload: { clientRef: "console-ref-1", title: "东直门南小街井盖缺失", categoryCode: "0601", priority: "urgent", lon, lat, reporter: { name: "王先生", phone: "13800000000" } },
    });
    const incident = await accepted(cmd);
    expect(incident).toMatchObject({ clientRef: "console-ref-1", status: "reported", source: "console", version: 1, gridCode: grid.code, priority: "urgent", category: { code: "0601", minor: "井盖缺失" } });
    expect(incident.id).toMatch(/^DC20261120\d{6}$/);
    await broadcast(watcher, incident.id, 1);
    expect(await send(cmd)).toMatchObject({ ok: true, duplicate: true, incident: { id: incident.id, clientRef: "console-ref-1" } });
    await until(() => server.store.incidents.has(incident.id));
    expect([...server.store.incidents.values()].filter((i) => i.clientRef === "console-ref-1")).toHaveLength(1);
  });

  it("refuses a report of an unknown category", async () => {
    const result = await send(command("report", { payload: { clientRef: "r2", title: "x", categoryCode: "9999", priority: "low", lon: 116.4, lat: 39.9 } }));
    expect(result).toMatchObject({ ok: false, code: "invalid" });
  });
});
