import { describe, expect, it } from "vitest";
import { allowedActions, nextStatus } from "./lifecycle.js";

describe("allowedActions", () => {
  it("offers evaluate (评价) on a closed case only, and not once it has been evaluated", () => {
    expect(allowedActions("closed")).toEqual(["evaluate", "annotate"]);
    expect(allowedActions("closed", { evaluation: { rating: "satisfied", at: "2026-11-23T10:00:00+08:00" } })).toEqual(["annotate"]);
    expect(allowedActions("responded")).toEqual(["close", "rework", "annotate"]);
    expect(allowedActions("rejected")).toEqual(["annotate"]);
  });

  it("leaves the status of an evaluated case as it was", () => {
    expect(nextStatus("evaluate", "closed")).toBe("closed");
    expect(nextStatus("evaluate", "responded")).toBeNull();
  });
});
