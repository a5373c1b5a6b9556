import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CommandResult, Delta, Incident, Unit } from "../shared/protocol/types.js";

/*
 * What survives a restart, in `--state-dir`:
 * - commands.jsonl: every accepted command's result, appended and fsynced
 *   before the ack leaves, so at-most-once holds forever, even across a crash;
 * - state.json: the picture (epoch, seq, cases, units, recent deltas), written
 *   atomically (temp file, fsync, rename, fsync of the folder) now and then and
 *   on shutdown;
 * - running: present while a server runs. Found at start, it means the last
 *   run crashed after its last save, so consoles may have seen seqs the saved
 *   state lacks: the server then opens a new epoch instead of reusing one.
 */

export type SavedState = {
  format: 1;
  epoch: string;
  seq: number;
  simTime: number;
  caseCounter: number;
  incidents: Incident[];
  units: Unit[];
  deltas: Delta[];
};

export type LoadedState = { state: SavedState | null; crashed: boolean };

const STATE = "state.json";
const LOG = "commands.jsonl";
const RUNNING = "running";

function fsyncDir(dir: string): void {
  // Directory fsync makes the rename durable; some filesystems refuse it, which is harmless there.
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EISDIR" && (error as NodeJS.ErrnoException).code !== "EINVAL" && (error as NodeJS.ErrnoException).code !== "EPERM") throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDir(join(path, ".."));
}

export class StateDir {
  private logFd: number | undefined;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  load(): LoadedState {
    const crashed = existsSync(join(this.dir, RUNNING));
    const path = join(this.dir, STATE);
    if (!existsSync(path)) return { state: null, crashed };
    const parsed = JSON.parse(readFileSync(path, "utf8")) as SavedState;
    if (parsed.format !== 1) throw new Error(`${path}: unknown state format ${String(parsed.format)}`);
    return { state: parsed, crashed };
  }

  /** Every result ever logged, first result per commandId. A torn last line (crash mid-write) is skipped. */
  loadResults(): Map<string, CommandResult> {
    const results = new Map<string, CommandResult>();
    const path = join(this.dir, LOG);
    if (!existsSync(path)) return results;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let entry: { commandId?: unknown; result?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (typeof entry.commandId === "string" && typeof entry.result === "object" && entry.result !== null && !results.has(entry.commandId)) {
        results.set(entry.commandId, entry.result as CommandResult);
      }
    }
    return results;
  }

  markRunning(): void {
    writeAtomic(join(this.dir, RUNNING), String(process.pid));
  }

  appendResult(commandId: string, result: CommandResult): void {
    this.logFd ??= openSync(join(this.dir, LOG), "a");
    writeSync(this.logFd, `${JSON.stringify({ commandId, result })}\n`);
    fsyncSync(this.logFd);
  }

  save(state: SavedState): void {
    writeAtomic(join(this.dir, STATE), JSON.stringify(state));
  }

  /** After the final save: the next start continues this epoch. */
  closeCleanly(): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
    rmSync(join(this.dir, RUNNING), { force: true });
  }
}
