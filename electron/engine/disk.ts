import { closeSync, fsyncSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";

/*
 * The engine's one door to writing files: the journal, the atomic file
 * writes of compaction and the journal rewrite all go through `disk`. Tests
 * put a wrapper in front of it (`useDisk`) that runs out of space after so
 * many bytes, with the real `ENOSPC` error a full disk gives, and frees it
 * again, to prove that nothing acknowledged is lost and nothing is torn.
 */

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
};

export const nodeDisk: Disk = {
  openSync: (path, flags) => openSync(path, flags),
  writeSync: (fd, data, offset, length) => writeSync(fd, data, offset, length),
  fsyncSync: (fd) => fsyncSync(fd),
  ftruncateSync: (fd, length) => ftruncateSync(fd, length),
  closeSync: (fd) => closeSync(fd),
  renameSync: (from, to) => renameSync(from, to),
  unlinkSync: (path) => unlinkSync(path),
  async writeFile(path, data) {
    const handle = await open(path, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
};

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

/** A write refused because the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
