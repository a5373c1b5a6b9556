import { chmodSync, closeSync, fchmodSync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, statSync, statfsSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";

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
