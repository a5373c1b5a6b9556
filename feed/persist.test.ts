import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandResult } from "../shared/protocol/types.js";
import { StateDir } from "./persist.js";
import { fixtureLayer } from "./region-synthetic.js";
import { startFeed } from "./test-support.js";

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

  it("loads a state.json of format 1 (everything in it) and saves it as format 2", () => {
    const old = { format: 1 as const, epoch: "e", seq: 2, simTime: 5, caseCounter: 1, incidents: [], units: [], deltas: [] };
    writeFileSync(join(dir, "state.json"), JSON.stringify(old));
    const state = new StateDir(dir);
    expect(state.load().state).toEqual(old);
    expect(state.save(old)).toEqual(["state.json"]);
    expect(state.save(old)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "state.json"), "utf8"))).toEqual({ format: 2, epoch: "e", seq: 2, simTime: 5, caseCounter: 1, units: [], cases: [], deltas: [] });
    expect(new StateDir(dir).load().state).toEqual(old);
  });

  it("writes the past once: a save with nothing changed writes nothing, a new case rewrites only its own file, and a restart restores the same state", async () => {
    // Each file's inode and mtime: a save writes by a temporary file and a rename, so a written file gets a new inode.
    const files = () => new Map(readdirSync(dir).map((name) => [name, `${statSync(join(dir, name)).ino}:${statSync(join(dir, name)).mtimeMs}`]));
    const changed = (before: Map<string, string>, after: Map<string, string>) => [...after].filter(([name, id]) => before.get(name) !== id).map(([name]) => name);
    // A 36-grid street with seven days of past cases (some 2,500).
    const options = { stateDir: dir, historyDays: 7, casesPerGridDay: 10, region: fixtureLayer({ communities: 4, side: 3 }), autopilot: true };
    const feed = await startFeed(options);
    let closed = false;
    try {
      expect(feed.store.incidents.size).toBeGreaterThan(1000);
      const first = files();
      const cases = [...first.keys()].filter((name) => name.startsWith("cases-"));
      // Seven days and the lead-in day in six-hour files.
      expect(cases.length).toBeGreaterThan(28);
      feed.save();
      feed.save();
      expect(changed(first, files())).toEqual([]);

      feed.sim.inject({ categoryCode: "0401", manual: true });
      feed.save();
      const rewritten = changed(first, files());
      // The new case's six hours, the open delta block and state.json; the past's files stay as they were.
      expect(rewritten).toContain("state.json");
      expect(rewritten.filter((name) => name.startsWith("cases-"))).toHaveLength(1);
      expect(rewritten.length).toBeLessThanOrEqual(3);
      // The file the new case's six hours replaced is gone: the folder holds what state.json names, nothing more.
      const manifest = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as { format: number; cases: string[]; deltas: string[] };
      expect(manifest.format).toBe(2);
      expect(readdirSync(dir).filter((name) => /^(cases|deltas)-/.test(name)).sort()).toEqual([...manifest.cases, ...manifest.deltas].sort());
      const before = { epoch: feed.store.epoch, seq: feed.store.seq, incidents: [...feed.store.incidents.values()], units: [...feed.store.units.values()], deltas: feed.store.retained() };
      closed = true;
      await feed.close();

      const again = await startFeed(options);
      try {
        expect({ epoch: again.store.epoch, seq: again.store.seq }).toEqual({ epoch: before.epoch, seq: before.seq });
        expect(new Map([...again.store.incidents].map(([id, i]) => [id, i]))).toEqual(new Map(before.incidents.map((i) => [i.id, i])));
        expect(new Map([...again.store.units].map(([id, u]) => [id, u]))).toEqual(new Map(before.units.map((u) => [u.id, u])));
        expect(again.store.retained()).toEqual(before.deltas);
      } finally {
        await again.close();
      }
    } finally {
      if (!closed) await feed.close();
    }
  }, 60_000);
});
