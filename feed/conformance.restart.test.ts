import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDelta } from "../shared/protocol/validate.js";
import type { CommandResult, Hello, Incident } from "../shared/protocol/types.js";
import type { FeedServer } from "./server.js";
import { command, connectConsole, connectTrainer, startFeed, until } from "./test-support.js";

/*
 * A restart with the state directory: the epoch and seq continue (a console
 * can resume with deltas), an old commandId is still a duplicate, and after a
 * crash (no clean shutdown) the server opens a new epoch but keeps every
 * logged command result.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "feed-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The saved state's files (state.json and the case and delta files it names), as they are now. */
function savedFiles(): Map<string, Buffer> {
  return new Map(readdirSync(dir).filter((name) => name === "state.json" || /^(cases|deltas)-/.test(name)).map((name) => [name, readFileSync(join(dir, name))]));
}

/** Puts back the saved state of `files`, as if no save had come after it; commands.jsonl stays as it is. */
function restoreFiles(files: Map<string, Buffer>): void {
  for (const name of savedFiles().keys()) rmSync(join(dir, name));
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
}

async function injectAndAnnotate(server: FeedServer, commandId: string): Promise<{ incident: Incident; result: CommandResult }> {
  const trainer = connectTrainer(server.url);
  const console = connectConsole(server.url);
  try {
    const { incident } = await trainer.request<{ incident: Incident }>("inject", { categoryCode: "0401", manual: true });
    const result = await console.request<CommandResult>("command", command("annotate", { commandId, incidentId: incident.id, payload: { note: "已电话回访" } }));
    return { incident, result };
  } finally {
    trainer.close();
    console.close();
  }
}

describe("restart with a state directory", () => {
  it("continues the epoch and seq, resumes a console with deltas, and still answers an old commandId as a duplicate", async () => {
    const first = await startFeed({ stateDir: dir });
    const { result } = await injectAndAnnotate(first, "cmd-before-restart");
    expect(result.ok).toBe(true);
    const { epoch, seq } = first.store;
    await first.close();

    const second = await startFeed({ stateDir: dir });
    try {
      const probe = connectConsole(second.url);
      const hello = (await probe.next("hello")) as Hello;
      expect(hello).toMatchObject({ epoch, headSeq: seq });
      const ack = await probe.request<{ mode: string }>("subscribe", { epoch, sinceSeq: seq - 1 });
      expect(ack.mode).toBe("deltas");
      await probe.next("delta", (raw) => parseDelta(raw).ok && (raw as { seq: number }).seq === seq);
      const repeat = await probe.request<CommandResult>("command", command("annotate", { commandId: "cmd-before-restart", incidentId: "ignored", payload: { note: "again" } }));
      expect(repeat).toEqual({ ...result, duplicate: true });
      await injectAndAnnotate(second, "cmd-after-restart");
      await until(() => probe.of("delta").some((raw) => (raw as { seq: number }).seq === seq + 1));
      expect(second.store.seq).toBeGreaterThan(seq);
      probe.close();
    } finally {
      await second.close();
    }
  });

  it("after a crash opens a new epoch, forcing snapshots, yet keeps results logged after the last save", async () => {
    const first = await startFeed({ stateDir: dir, saveMs: 60_000 });
    // The last save before the crash: taken before the command below.
    const before = savedFiles();
    const { incident, result } = await injectAndAnnotate(first, "cmd-before-crash");
    expect(result.ok).toBe(true);
    const epoch = first.store.epoch;
    await first.close();
    // What a crash leaves: the running marker, and a state saved before the command.
    restoreFiles(before);
    writeFileSync(join(dir, "running"), "4242");

    const second = await startFeed({ stateDir: dir });
    try {
      expect(second.store.epoch).not.toBe(epoch);
      expect(second.store.seq).toBe(0);
      expect(second.store.incidents.get(incident.id)?.version).toBe(result.ok ? result.incident.version : -1);
      const probe = connectConsole(second.url);
      await probe.next("hello");
      expect((await probe.request<{ mode: string }>("subscribe", { epoch, sinceSeq: 3 })).mode).toBe("snapshot");
      expect(await probe.request<CommandResult>("command", command("annotate", { commandId: "cmd-before-crash", incidentId: incident.id, payload: { note: "again" } }))).toEqual({ ...result, duplicate: true });
      probe.close();
    } finally {
      await second.close();
    }
  });
});

describe("start-up failure", () => {
  it("rejects with EADDRINUSE when the port is already taken", async () => {
    const first = await startFeed();
    try {
      await expect(startFeed({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
