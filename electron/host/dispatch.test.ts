import { describe, expect, it } from "vitest";
import type { BridgeHandlers, Result } from "../../shared/bridge/contract.js";
import { dispatchCall } from "./dispatch.js";

const refuse = async (): Promise<Result<never>> => ({ ok: false, error: { code: "unavailable", message: "not in this test" } });

function handlers(seen: unknown[]): BridgeHandlers {
  return {
    getInitialState: refuse,
    getIncident: refuse,
    getCases: refuse,
    getPastAddresses: refuse,
    getRoster: refuse,
    getIncidentMarkers: refuse,
    revealReporter: refuse,
    sendCommand: refuse,
    dismissOutbox: async (request) => {
      seen.push(request);
      return { ok: true, value: { dismissed: true } };
    },
    retryOutbox: refuse,
    acknowledgeAlert: async () => {
      throw new Error("disk full");
    },
    getDiagnostics: refuse,
    getRegionLayer: refuse,
    getCoverage: refuse,
    getPatrolChecks: refuse,
    getPatrolTrack: refuse,
    getAssessment: refuse,
    acknowledgeAttention: refuse,
    getHandover: refuse,
    writeHandover: refuse,
    acknowledgeHandover: refuse,
    getHandoverRecord: refuse,
    getWall: refuse,
    pushToWall: refuse,
    clearWall: refuse,
    queueWindow: refuse,
  };
}

describe("dispatchCall (shared by the IPC bridge and the web host)", () => {
  it("passes the validated request to the named handler and returns its Result", async () => {
    const seen: unknown[] = [];
    await expect(dispatchCall(handlers(seen), "dismissOutbox", { commandId: "c-1" }, undefined)).resolves.toEqual({ ok: true, value: { dismissed: true } });
    expect(seen).toEqual([{ commandId: "c-1" }]);
  });

  it("refuses unknown names, including inherited object keys, without calling anything", async () => {
    const seen: unknown[] = [];
    const logged: string[] = [];
    for (const name of ["constructor", "__proto__", "toString", 7, undefined]) {
      await expect(dispatchCall(handlers(seen), name, {}, undefined, (_level, message) => logged.push(message))).resolves.toMatchObject({ ok: false, error: { code: "invalid" } });
    }
    expect(seen).toEqual([]);
    expect(logged.every((m) => m === "bridge call refused: unknown name")).toBe(true);
  });

  it("refuses a request that fails its schema, and logs why", async () => {
    const seen: unknown[] = [];
    const logged: unknown[] = [];
    const result = await dispatchCall(handlers(seen), "dismissOutbox", { commandId: 5 }, undefined, (_level, _message, fields) => logged.push(fields));
    expect(result).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringMatching(/dismissOutbox: commandId/) } });
    expect(seen).toEqual([]);
    expect(logged).toHaveLength(1);
  });

  it("turns a thrown error into an internal error value without leaking its message", async () => {
    const result = await dispatchCall(handlers([]), "acknowledgeAlert", { id: "a-1" }, undefined, () => undefined);
    expect(result).toEqual({ ok: false, error: { code: "internal", message: "acknowledgeAlert failed" } });
  });
});
