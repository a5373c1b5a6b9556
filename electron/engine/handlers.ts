import { randomUUID } from "node:crypto";
import type { BridgeCalls, BridgeError, BridgeHandlers, CallerSession, Result } from "../../shared/bridge/contract.js";
import { bridgeRequestSchemas } from "../../shared/bridge/schemas.js";
import type { Reporter } from "../../shared/domain/masking.js";
import { mondayOf, toBeijingIso } from "../../shared/domain/time.js";
import type { Command } from "../../shared/protocol/types.js";
import { parseCommand } from "../../shared/protocol/validate.js";
import { createAttentionHandlers } from "./attention-handlers.js";
import { diskFullMessage, isDiskFull } from "./disk.js";
import { createHandoverHandlers } from "./handover-handlers.js";
import { createQueueHandlers } from "./queue-handlers.js";
import { createWallHandlers } from "./wall-handlers.js";
import type { ConsoleEngine } from "./engine.js";
import { fullIncident } from "./bridge-objects.js";

/*
 * The bridge calls. Every request is validated here (views are untrusted:
 * a web page on the wall); nothing throws across the bridge, errors come
 * back as values with a closed set of codes.
 */

// One table of request schemas for every boundary (shared/bridge/schemas.ts): the hosts check with it, and so does the engine.
const requests = bridgeRequestSchemas;

const REPORTER_UNAVAILABLE =
  "报告人信息不可用：加密密钥丢失或已更换（见数据目录中的 reporter.key）。 / The reporter cannot be shown: the key that sealed it is lost or replaced (reporter.key in the data directory).";

const fail = (code: BridgeError["code"], message: string): { ok: false; error: BridgeError } => ({ ok: false, error: { code, message } });
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

function handler<K extends keyof BridgeCalls>(
  engine: ConsoleEngine,
  name: K,
  body: (request: BridgeCalls[K]["request"], caller: CallerSession | undefined) => Result<BridgeCalls[K]["response"]> | Promise<Result<BridgeCalls[K]["response"]>>,
): (request: BridgeCalls[K]["request"], caller?: CallerSession) => Promise<Result<BridgeCalls[K]["response"]>> {
  return async (request, caller) => {
    const parsed = requests[name].safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail("invalid", `${name}: ${issue?.path.join(".") || "request"}: ${issue?.message ?? "invalid"}`);
    }
    if (!engine.isStarted) return fail("unavailable", "the engine is starting");
    try {
      return await body(parsed.data, caller);
    } catch (error) {
      engine.options.log?.("error", `bridge call ${name} failed`, { error: String(error) });
      // Nothing was kept, so nothing was done (a command is not queued): the operator is told why, and can do it again.
      if (isDiskFull(error)) return fail("unavailable", diskFullMessage(engine.options.dataDir));
      return fail("internal", `${name} failed: ${(error as Error).message}`);
    }
  };
}

export function createHandlers(engine: ConsoleEngine): BridgeHandlers {
  const findIncident = (incidentId: string) => engine.replica.incidents.get(incidentId) ?? engine.cache.incident(incidentId);

  /** A view's draft made into a full command: a new idempotency key, the time the operator acted, the operator from settings. */
  const makeCommand = (draft: { type: Command["type"]; incidentId?: string; expectedVersion?: number; payload: Record<string, unknown> }): Result<Command> => {
    const base = { commandId: randomUUID(), issuedAt: toBeijingIso(Date.now()), operator: engine.options.settings.operator };
    let candidate: unknown;
    if (draft.type === "report") {
      const payload = { clientRef: `${engine.options.consoleId}-${randomUUID()}`.slice(0, 64), ...draft.payload };
      candidate = { ...base, type: "report", payload };
    } else {
      if (!draft.incidentId) return fail("invalid", `${draft.type}: incidentId is required`);
      const incident = findIncident(draft.incidentId);
      if (!incident) return fail("not_found", `no case ${draft.incidentId} in the cache`);
      candidate = { ...base, type: draft.type, incidentId: draft.incidentId, expectedVersion: draft.expectedVersion ?? incident.version, payload: draft.payload };
    }
    const parsed = parseCommand(candidate);
    if (!parsed.ok) return fail("invalid", `${draft.type}: ${parsed.error.path}: ${parsed.error.reason}`);
    return ok(parsed.value);
  };

  return {
    getInitialState: handler(engine, "getInitialState", () => ok(engine.initialState())),
    getCases: handler(engine, "getCases", ({ ids }) => ok(engine.incidentViews(ids))),
    getPastAddresses: handler(engine, "getPastAddresses", () => ok(engine.pastAddresses())),
    getRoster: handler(engine, "getRoster", () => ok(engine.roster())),
    getIncidentMarkers: handler(engine, "getIncidentMarkers", () => ok(engine.incidentMarkers())),
    getIncident: handler(engine, "getIncident", ({ id: incidentId }) => {
      const incident = findIncident(incidentId);
      return incident ? ok(fullIncident(incident)) : fail("not_found", `no case ${incidentId}`);
    }),
    revealReporter: handler(engine, "revealReporter", ({ incidentId, reason }, caller) => {
      if (engine.options.revealAllowed === false) return fail("forbidden", "personal data cannot be revealed on this screen");
      const incident = findIncident(incidentId);
      if (!incident) return fail("not_found", `no case ${incidentId}`);
      // Marked by the cache when the key that sealed it is gone (reporter-seal.ts): nothing to show, nothing to audit.
      if ((incident.reporter as Reporter | undefined)?.unavailable) return fail("unavailable", REPORTER_UNAVAILABLE);
      // The audit record is on disk before the data is shown. The operator is the configured one (no per-person login); the session tells which page asked.
      engine.cache.write([{ op: "reveal", at: toBeijingIso(Date.now()), operator: engine.options.settings.operator, incidentId, reason, ...(caller === undefined ? {} : { session: caller }) }]);
      const revealed: { name?: string; phone?: string } = {};
      if (incident.reporter?.name !== undefined) revealed.name = incident.reporter.name;
      if (incident.reporter?.phone !== undefined) revealed.phone = incident.reporter.phone;
      return ok(revealed);
    }),
    sendCommand: handler(engine, "sendCommand", (draft) => {
      const command = makeCommand(draft);
      if (!command.ok) return command;
      engine.outbox.add(command.value);
      return ok({ commandId: command.value.commandId });
    }),
    dismissOutbox: handler(engine, "dismissOutbox", ({ commandId }) => {
      if (!engine.outbox.find(commandId)) return fail("not_found", `no command ${commandId} in the outbox`);
      return ok({ dismissed: engine.outbox.dismiss(commandId) });
    }),
    /*
     * Redo of a refused command: a NEW command (new commandId) with the same
     * type and payload, acting on `expectedVersion` (default: the current
     * version). The old id cannot be reused: the platform would only repeat
     * its first answer. The refused entry is replaced in the same journal record.
     */
    retryOutbox: handler(engine, "retryOutbox", ({ commandId, expectedVersion }) => {
      const entry = engine.outbox.find(commandId);
      if (!entry) return fail("not_found", `no command ${commandId} in the outbox`);
      if (entry.state !== "conflict" && entry.state !== "rejected") return fail("invalid", "only a refused command can be redone; this one is still on its way");
      const old = entry.command;
      const draft = old.type === "report" ? { type: old.type, payload: old.payload } : { type: old.type, incidentId: old.incidentId, payload: old.payload, ...(expectedVersion === undefined ? {} : { expectedVersion }) };
      const command = makeCommand(draft);
      if (!command.ok) return command;
      engine.outbox.add(command.value, commandId);
      return ok({ commandId: command.value.commandId });
    }),
    acknowledgeAlert: handler(engine, "acknowledgeAlert", ({ id: alertId }) => {
      const op = engine.replica.acknowledgeAlert(alertId);
      if (op) engine.cache.queue([op]);
      return ok({ acknowledged: op !== null });
    }),
    getDiagnostics: handler(engine, "getDiagnostics", () => ok(engine.diagnostics())),
    getRegionLayer: handler(engine, "getRegionLayer", async () => ok(await engine.region.get())),
    getCoverage: handler(engine, "getCoverage", ({ days }) => ok(engine.coverage.summary(days ?? 7, engine.caseNow()))),
    getPatrolChecks: handler(engine, "getPatrolChecks", () => ok(engine.patrol.checks())),
    getPatrolTrack: handler(engine, "getPatrolTrack", ({ unitId, from, to }) => ok(engine.patrol.track(unitId, from, to))),
    getAssessment: handler(engine, "getAssessment", ({ week }) => {
      const monday = week ?? mondayOf(engine.caseNow());
      return ok(engine.patrol.assessment(monday, engine.replica.units.values(), engine.replica.incidents.values(), engine.coverage.summary(35, engine.caseNow()).visitsByDay));
    }),
    ...createAttentionHandlers(engine),
    ...createHandoverHandlers(engine),
    ...createWallHandlers(engine),
    ...createQueueHandlers(engine),
  };
}
