import { describe, expect, it } from "vitest";
import { BRIDGE_CALLS } from "./contract.js";
import { bridgeRequestSchemas, isBridgeCallName, parseBridgeRequest } from "./schemas.js";

describe("bridge request schemas", () => {
  it("has a schema for every call of the contract", () => {
    expect(Object.keys(bridgeRequestSchemas).sort()).toEqual([...BRIDGE_CALLS].sort());
  });

  it("accepts a dispatch with its department and keeps only known fields", () => {
    const parsed = parseBridgeRequest("sendCommand", { type: "dispatch", incidentId: "DC1", expectedVersion: 3, payload: { departmentId: "D01", note: "请处理" } });
    expect(parsed).toEqual({ ok: true, value: { type: "dispatch", incidentId: "DC1", expectedVersion: 3, payload: { departmentId: "D01", note: "请处理" } } });
  });

  it("accepts a report without clientRef, which the engine assigns", () => {
    const parsed = parseBridgeRequest("sendCommand", { type: "report", payload: { title: "井盖缺失", categoryCode: "0101", priority: "high", lon: 116.41, lat: 39.92 } });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ["sendCommand", { type: "reject", incidentId: "DC1", payload: { reason: "   " } }, /payload\.reason: must not be empty/],
    ["sendCommand", { type: "dispatch", incidentId: "DC1", payload: {} }, /payload\.departmentId/],
    ["sendCommand", { type: "report", incidentId: "DC1", payload: {} }, /sendCommand/],
    ["sendCommand", { type: "delete", incidentId: "DC1", payload: {} }, /type/],
    ["getIncident", { id: "" }, /getIncident: id/],
    ["getIncident", { id: "DC1", extra: true }, /getIncident/],
    ["getCoverage", { days: 0 }, /days/],
    ["getInitialState", { anything: 1 }, /getInitialState/],
    ["acknowledgeAlert", null, /acknowledgeAlert/],
  ] as const)("refuses %s %j as invalid, naming the field", (name, request, message) => {
    const parsed = parseBridgeRequest(name, request);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe("invalid");
      expect(parsed.error.message).toMatch(message);
    }
  });

  it("knows the call names of the contract and nothing else", () => {
    expect(isBridgeCallName("getDiagnostics")).toBe(true);
    expect(isBridgeCallName("__proto__")).toBe(false);
    expect(isBridgeCallName(42)).toBe(false);
  });
});
