import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandResult } from "../shared/protocol/types.js";
import { StateDir } from "./persist.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "feed-persist-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const refused: CommandResult = { ok: false, code: "invalid", message: "m" };

describe("state directory", () => {
  it("keeps the first result per command and skips a line torn by a crash", () => {
    const state = new StateDir(dir);
    state.appendResult("a", refused);
    state.appendResult("a", { ...refused, message: "second" });
    state.closeCleanly();
    appendFileSync(join(dir, "commands.jsonl"), '{"commandId":"b","res');
    const results = new StateDir(dir).loadResults();
    expect([...results.keys()]).toEqual(["a"]);
    expect(results.get("a")).toEqual(refused);
  });

  it("reports a crash when the running marker survived, and none after a clean close", () => {
    const state = new StateDir(dir);
    state.markRunning();
    expect(new StateDir(dir).load().crashed).toBe(true);
    state.closeCleanly();
    expect(new StateDir(dir).load()).toEqual({ state: null, crashed: false });
  });

  it("replaces the state atomically, leaving no temporary files", () => {
    const state = new StateDir(dir);
    for (let seq = 1; seq <= 3; seq++) state.save({ format: 1, epoch: "e", seq, simTime: 0, caseCounter: 0, incidents: [], units: [], deltas: [] });
    expect(new StateDir(dir).load().state?.seq).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(["state.json"]);
  });
});
