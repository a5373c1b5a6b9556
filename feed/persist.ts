import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CommandResult, Delta, Incident, Unit } from "../shared/protocol/types.js";

/*
 * What survives a restart, in `--state-dir`:
 * - commands.jsonl: every accepted command's result, appended and fsynced
 *   before the ack leaves, so at-most-once holds forever, even across a crash;
 * - state.json: the picture's small part (epoch, seq, clock, units) and the
 *   names of the files that hold the rest: the cases, a file per six hours
 *   of creation time (cases-<day>T<hour>-<hash>.json), and the recent deltas,
 *   a file per 200 seqs (deltas-<epoch>-<block>-<first>-<last>.json). A file's name changes
 *   with its content, so a save writes only the files of hours and blocks that
 *   changed (a district's 35 days of history, some 25 MB, are written once,
 *   not every few seconds), then state.json, atomically (temp file, fsync,
 *   rename, fsync of the folder): a state.json names only complete files.
 *   Then the files it no longer names are removed. A save that would write the
 *   same state.json writes nothing. A state.json of format 1 (everything in
 *   it) still loads;
 * - running: present while a server runs. Found at start, it means the last
 *   run crashed after its last save, so consoles may have seen seqs the saved
 *   state lacks: the server then opens a new epoch instead of reusing one.
 */

/** The state as the server hands it over and gets it back. */
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

/** state.json as written now: the small part, and the files holding the cases and deltas, in order. */
type Manifest = Omit<SavedState, "format" | "incidents" | "deltas"> & { format: 2; cases: string[]; deltas: string[] };

export type LoadedState = { state: SavedState | null; crashed: boolean };

const STATE = "state.json";
const DELTA_BLOCK = 200;
/** Hours of creation time per case file: an hour's few dozen cases of a district change together, 35 days make some 140 files. */
const CASE_HOURS = 6;
const PART = /^(cases|deltas)-.*\.json$/;
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

export function writeAtomic(path: string, text: string, options: { syncDir?: boolean } = {}): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  // A part file's rename is made durable by the folder fsync after state.json's, which names it.
  if (options.syncDir !== false) fsyncDir(join(path, ".."));
}

const hashOf = (text: string): string => createHash("sha1").update(text).digest("hex").slice(0, 16);

/** The cases by the CASE_HOURS of Beijing time they were created in (createdAt carries +08:00), in the order given. */
function byCreation(incidents: readonly Incident[]): Map<string, Incident[]> {
  const days = new Map<string, Incident[]>();
  for (const incident of incidents) {
    const hour = Number(incident.createdAt.slice(11, 13));
    const day = `${incident.createdAt.slice(0, 10)}T${Number.isInteger(hour) ? String(hour - (hour % CASE_HOURS)).padStart(2, "0") : "xx"}`.replace(/[^0-9A-Za-z-]/g, "_");
    const list = days.get(day);
    if (list) list.push(incident);
    else days.set(day, [incident]);
  }
  return days;
}

/** The deltas by block of DELTA_BLOCK seqs: a full block's file is written once. */
function byBlock(deltas: readonly Delta[]): Map<number, Delta[]> {
  const blocks = new Map<number, Delta[]>();
  for (const delta of deltas) {
    const block = Math.floor((delta.seq - 1) / DELTA_BLOCK);
    const list = blocks.get(block);
    if (list) list.push(delta);
    else blocks.set(block, [delta]);
  }
  return blocks;
}

/** The run of deltas with consecutive seqs that ends with the last one (a resume needs them without a gap). */
function contiguousTail(deltas: Delta[]): Delta[] {
  let start = deltas.length - 1;
  while (start > 0 && deltas[start - 1]!.seq === deltas[start]!.seq - 1 && deltas[start - 1]!.epoch === deltas[start]!.epoch) start--;
  return deltas.slice(Math.max(0, start));
}

export class StateDir {
  private logFd: number | undefined;
  /** The text of the state.json last written or loaded, and the part files it names. */
  private written: { manifest: string; parts: Set<string> } | null = null;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  load(): LoadedState {
    const crashed = existsSync(join(this.dir, RUNNING));
    const path = join(this.dir, STATE);
    if (!existsSync(path)) return { state: null, crashed };
    const text = readFileSync(path, "utf8");
    const parsed = JSON.parse(text) as SavedState | Manifest;
    if (parsed.format === 1) return { state: parsed, crashed };
    if (parsed.format !== 2) throw new Error(`${path}: unknown state format ${String((parsed as { format: unknown }).format)}`);
    const { format: _format, cases, deltas: deltaFiles, ...small } = parsed;
    const read = <T>(name: string): T[] => {
      const file = join(this.dir, name);
      if (!existsSync(file)) throw new Error(`${path} names ${name}, which is missing: the state directory is damaged`);
      return JSON.parse(readFileSync(file, "utf8")) as T[];
    };
    const incidents = cases.flatMap((name) => read<Incident>(name));
    this.written = { manifest: text, parts: new Set([...cases, ...deltaFiles]) };
    return { state: { format: 1, ...small, incidents, deltas: contiguousTail(deltaFiles.flatMap((name) => read<Delta>(name))) }, crashed };
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

  /**
   * Saves the state: the case and delta files whose content changed, then
   * state.json, then removes the files it no longer names. Returns the names
   * of the files written (none when nothing changed).
   */
  save(state: SavedState): string[] {
    const parts = this.written?.parts ?? new Set<string>();
    const wrote: string[] = [];
    const put = (name: string, items: () => unknown[]) => {
      if (!parts.has(name) || !existsSync(join(this.dir, name))) {
        writeAtomic(join(this.dir, name), JSON.stringify(items()), { syncDir: false });
        wrote.push(name);
      }
      return name;
    };
    const cases = [...byCreation(state.incidents)].map(([day, list]) => put(`cases-${day}-${hashOf(list.map((i) => `${i.id}:${i.version}`).join(","))}.json`, () => list));
    const epochTag = hashOf(state.epoch).slice(0, 8);
    const deltas = [...byBlock(state.deltas)].map(([block, list]) => put(`deltas-${epochTag}-${block}-${list[0]!.seq}-${list[list.length - 1]!.seq}.json`, () => list));
    const { incidents: _incidents, deltas: _deltas, format: _format, ...small } = state;
    const manifest = JSON.stringify({ format: 2, ...small, cases, deltas } satisfies Manifest);
    if (manifest === this.written?.manifest && wrote.length === 0) return [];
    writeAtomic(join(this.dir, STATE), manifest);
    wrote.push(STATE);
    const named = new Set([...cases, ...deltas]);
    this.written = { manifest, parts: named };
    for (const name of readdirSync(this.dir)) if (PART.test(name) && !named.has(name)) rmSync(join(this.dir, name), { force: true });
    return wrote;
  }

  /** After the final save: the next start continues this epoch. */
  closeCleanly(): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
    rmSync(join(this.dir, RUNNING), { force: true });
  }
}
