import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleEngine } from "./engine.js";
import { MiniFeed, makeIncident } from "./testing/mini-feed.js";
import type { MiniFeedOptions } from "./testing/mini-feed.js";
import { makeEngine, record, tempDir, until } from "./testing/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function live(options: MiniFeedOptions = {}): Promise<{ server: MiniFeed; engine: ConsoleEngine }> {
  const server = new MiniFeed(options);
  await server.listen();
  cleanups.push(() => server.close());
  server.upsert(makeIncident("A", 1));
  server.upsert(makeIncident("B", 1));
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const engine = makeEngine(server.url, dir);
  cleanups.push(() => engine.stop());
  await engine.start();
  await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live");
  return { server, engine };
}

async function send(engine: ConsoleEngine, draft: Parameters<ConsoleEngine["handlers"]["sendCommand"]>[0]): Promise<string> {
  const result = await engine.handlers.sendCommand(draft);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.commandId;
}

describe("outbox", () => {
  it("re-sends a command whose answer never came with the same commandId, and the platform applies it once", async () => {
    const { server, engine } = await live({ answerCommand: (_command, attempt) => attempt > 1 });
    const commandId = await send(engine, { type: "register", incidentId: "A", payload: {} });
    await until(() => engine.outbox.list().length === 0, "answered");
    const copies = server.received.filter((c) => c.commandId === commandId);
    expect(copies.length).toBeGreaterThanOrEqual(2);
    expect(new Set(copies.map((c) => JSON.stringify(c))).size).toBe(1);
    expect(server.incidents.get("A")?.version).toBe(2);
  });

  it("sends commands in the order the operator made them", async () => {
    const { server, engine } = await live();
    const ids = [
      await send(engine, { type: "register", incidentId: "A", payload: {} }),
      await send(engine, { type: "annotate", incidentId: "B", payload: { note: "1" } }),
      await send(engine, { type: "report", payload: { title: "井盖缺失", categoryCode: "0101", priority: "high", lon: 116.4, lat: 39.9 } }),
    ];
    await until(() => engine.outbox.list().length === 0, "all answered");
    expect(server.received.map((c) => c.commandId)).toEqual(ids);
    expect([...engine.replica.incidents.values()].some((i) => i.title === "井盖缺失")).toBe(true);
  });

  it("journals a command before sending it, stamped with the operator and the time", async () => {
    const { engine } = await live();
    const commandId = await send(engine, { type: "urge", incidentId: "A", payload: { note: "快" } });
    const stored = engine.cache.load().outbox.find((e) => e.command.commandId === commandId) ?? engine.outbox.find(commandId);
    expect(stored?.command).toMatchObject({ commandId, type: "urge", incidentId: "A", expectedVersion: 1, operator: { id: "op-1", name: "值班员" } });
    expect(stored?.command.issuedAt).toMatch(/\+08:00$/);
  });

  it("keeps a conflict visible with the platform's message and case, and redoes it as a new command", async () => {
    const { server, engine } = await live();
    server.upsert(makeIncident("A", 5, { status: "registered" }), false);
    const pushes = record(engine, "outbox");
    const commandId = await send(engine, { type: "register", incidentId: "A", expectedVersion: 1, payload: {} });
    await until(() => pushes.at(-1)?.find((e) => e.commandId === commandId)?.state === "conflict", "a conflict pushed to views");
    const entry = pushes.at(-1)?.find((e) => e.commandId === commandId);
    expect(entry?.failure).toMatchObject({ code: "conflict", message: "the case moved on", incident: { id: "A", version: 5 } });
    expect(entry?.failure?.incident?.reporter?.masked).toBe(true);
    const redo = await engine.handlers.retryOutbox({ commandId, expectedVersion: 5 });
    if (!redo.ok) throw new Error(redo.error.message);
    expect(redo.value.commandId).not.toBe(commandId);
    await until(() => engine.outbox.list().length === 0, "redo answered");
    expect(server.incidents.get("A")?.version).toBe(6);
  });

  it("refuses a command on a case it does not hold, and never dismisses one that may have reached the platform", async () => {
    const { engine } = await live({ answerCommand: (command) => command.type !== "urge" });
    const rejected = await send(engine, { type: "close", incidentId: "missing-but-cached", payload: { note: "x" } }).catch((error: Error) => error.message);
    expect(rejected).toMatch(/no case/);
    const urge = await send(engine, { type: "urge", incidentId: "A", payload: { note: "x" } });
    await until(() => (engine.outbox.find(urge)?.attempts ?? 0) >= 1, "sent at least once");
    expect(await engine.handlers.dismissOutbox({ commandId: urge })).toEqual({ ok: true, value: { dismissed: false } });
    expect(engine.outbox.find(urge)).toBeDefined();
  });

  it("marks a command the platform refuses as rejected until the operator dismisses it", async () => {
    const { server, engine } = await live();
    server.incidents.delete("B");
    const commandId = await send(engine, { type: "register", incidentId: "B", payload: {} });
    await until(() => engine.outbox.find(commandId)?.state === "rejected", "rejected");
    expect(engine.outbox.find(commandId)?.failure).toMatchObject({ code: "not_found" });
    expect(await engine.handlers.dismissOutbox({ commandId })).toEqual({ ok: true, value: { dismissed: true } });
    expect(engine.outbox.list()).toEqual([]);
    expect(engine.cache.load().outbox).toEqual([]);
  });
});
