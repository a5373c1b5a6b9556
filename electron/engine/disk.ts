import { accessSync, chmodSync, closeSync, constants, existsSync, fchmodSync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, statSync, statfsSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";

/*
 * The engine's one door to writing files: the journal, the atomic file
 * writes of compaction and the journal rewrite all go through `disk`. Tests
 * put a wrapper in front of it (`useDisk`) that runs out of space after so
 * many bytes, with the real `ENOSPC` error a full disk gives, and frees it
 * again, to prove that nothing acknowledged is lost and nothing is torn.
 *
 * The data dir holds personal data (reporters, staff positions, the reveal
 * audit): it is kept 0700 and every file written through here is 0600,
 * whatever the umask. The mode given to open() only applies to a file it
 * creates, so the opened file is chmodded too (a leftover temp file, or a
 * journal from a release that wrote 0644, is tightened the next time it is opened).
 */

/** Every file the engine writes: its user alone reads it. */
export const FILE_MODE = 0o600;
/** The data dir and its subfolders (recovered/): likewise. */
export const DIRECTORY_MODE = 0o700;

export type Disk = {
  openSync(path: string, flags: string): number;
  /** Writes some of `length` bytes at the end of an append-mode file (or at the file position); returns how many. */
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  /** Creates or replaces `path` with `data` and fsyncs it, without blocking the event loop. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Bytes free to this process in the file system holding `dir`; Infinity when that cannot be told. */
  freeBytes(dir: string): number;
};

export const nodeDisk: Disk = {
  openSync(path, flags) {
    const fd = openSync(path, flags, FILE_MODE);
    tightenOpened(fd);
    return fd;
  },
  writeSync: (fd, data, offset, length) => writeSync(fd, data, offset, length),
  fsyncSync: (fd) => fsyncSync(fd),
  ftruncateSync: (fd, length) => ftruncateSync(fd, length),
  closeSync: (fd) => closeSync(fd),
  renameSync: (from, to) => renameSync(from, to),
  unlinkSync: (path) => unlinkSync(path),
  async writeFile(path, data) {
    const handle = await open(path, "w", FILE_MODE);
    try {
      if (process.platform !== "win32") await handle.chmod(FILE_MODE);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  freeBytes(dir) {
    try {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  },
};

function tightenOpened(fd: number): void {
  // Windows has no owner-only mode bits to set; its folder ACLs decide.
  if (process.platform !== "win32") fchmodSync(fd, FILE_MODE);
}

type DirectoryLog = (level: "warn", message: string, fields: Record<string, unknown>) => void;

/**
 * Creates `dir` (and its parents) 0700, or tightens an existing one that
 * others could read or enter, saying so. Parents it creates are 0700 too;
 * existing parents are left as they are (a home directory is not ours).
 */
export function ensurePrivateDirectory(dir: string, log?: DirectoryLog): void {
  mkdirSync(dir, { recursive: true, mode: DIRECTORY_MODE });
  if (process.platform === "win32") return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(dir, DIRECTORY_MODE);
  log?.("warn", "the data directory was open to other users; made it private (0700)", { dir, was: `0${mode.toString(8)}` });
}

/** Refused by permissions or a read-only file system: the operator's to fix, never to be taken for damage. */
export function isAccessDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "EACCES" || code === "EPERM" || code === "EROFS";
}

/** The data dir (or a file in it) cannot be read or written: the start stops here, with the path and the fix. */
export class DataDirError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(
      code === "EROFS"
        ? `${path} is on a read-only file system (EROFS): remount it read-write, or set dataDir to a folder on a writable disk. Nothing was moved or changed.`
        : `${path} cannot be read and written by this user (${code}): give the console's user access to it (chown/chmod the data directory and its files), or set dataDir to a folder it owns. Nothing was moved or changed.`,
    );
    this.name = "DataDirError";
  }
}

/** The files the engine keeps in the data dir that must be readable and writable where they exist. */
const DATA_FILES = ["cache.sqlite", "cache.journal", "reporter.key", "console-id", "console-key", "tracks.bin"];

/**
 * Before anything is opened: the data dir made (0700) or tightened, and it and the files in it readable
 * and writable, else a DataDirError naming the path. `access` is the probe (tests refuse with it; as root,
 * permission bits never refuse).
 */
export function checkDataDir(dir: string, log?: DirectoryLog, access: (path: string, mode: number) => void = accessSync): void {
  const check = (path: string, what: () => void) => {
    try {
      what();
    } catch (error) {
      if (isAccessDenied(error)) throw new DataDirError(path, (error as NodeJS.ErrnoException).code ?? "EACCES");
      throw error;
    }
  };
  check(dir, () => ensurePrivateDirectory(dir, log));
  check(dir, () => access(dir, constants.R_OK | constants.W_OK | constants.X_OK));
  for (const name of DATA_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) check(path, () => access(path, constants.R_OK | constants.W_OK));
  }
}

/** An existing file of ours made 0600 (a file renamed into recovered/ keeps the mode it had). */
export function tightenFile(path: string): void {
  if (process.platform !== "win32") chmodSync(path, FILE_MODE);
}

let current: Disk = nodeDisk;

/** The disk the engine writes through now. */
export function disk(): Disk {
  return current;
}

/** For tests: writes go through `replacement` until the returned function restores the previous disk. */
export function useDisk(replacement: Disk): () => void {
  const previous = current;
  current = replacement;
  return () => {
    current = previous;
  };
}

/** What the operator is told when an action could not be saved (the bridge's messages are Chinese first). */
export function diskFullMessage(dataDir: string): string {
  return `磁盘已满：无法写入数据目录 ${dataDir}，本次操作未保存、未排队。请释放磁盘空间后重试。 / Disk full: cannot write to the data directory ${dataDir}; this action was not saved or queued. Free disk space, then try again.`;
}

/** The error a full disk gives, for a write refused before it is tried (it would not fit). */
export function noSpace(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${message}`), { code: "ENOSPC" });
}

/** A write refused because the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
