import { closeSync, fstatSync, openSync, statSync, writeSync } from "node:fs";
import { nodeDisk, useDisk, type Disk } from "../disk.js";

/*
 * A disk that fills up: real files through node:fs, but only `free` more
 * bytes may be written; a write past that writes what fits and then fails
 * with the ENOSPC error a full disk gives (as write(2) does: a short write,
 * then the error). `fsync` can be made to fail too. `freeSpace()` lets
 * writes through again. Space freed by truncating or deleting a file is
 * given back, as on a real disk. With `under`, only files in that directory
 * are on the full disk (one file system); the rest are written as usual.
 */

export type FullDisk = {
  /** Bytes that may still be written; Infinity when not full. */
  free: number;
  /** Writes refused so far. */
  refused: number;
  /** When set, only this many more writes go through (each as far as `free` allows); the next are refused. */
  writesLeft: number | undefined;
  failFsync: boolean;
  fillUp(): void;
  allow(bytes: number): void;
  freeSpace(): void;
  restore(): void;
};

export function enospc(syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: "ENOSPC", errno: -28, syscall });
}

export function installFullDisk(initialFree = Number.POSITIVE_INFINITY, under?: string): FullDisk {
  const onDisk = (path: string) => under === undefined || path === under || path.startsWith(`${under}/`);
  /** Descriptors of files on the full disk. */
  const fds = new Set<number>();
  const state: FullDisk = {
    free: initialFree,
    refused: 0,
    writesLeft: undefined,
    failFsync: false,
    fillUp: () => {
      state.free = 0;
    },
    allow: (bytes) => {
      state.free = bytes;
    },
    freeSpace: () => {
      state.free = Number.POSITIVE_INFINITY;
      state.writesLeft = undefined;
      state.failFsync = false;
    },
    restore: () => restore(),
  };
  /** How much of `length` fits; throws (after the caller wrote what fits) when not all of it does. */
  const take = (length: number): number => {
    const fits = Math.min(length, Math.max(0, state.free));
    state.free -= fits;
    return fits;
  };
  const giveBack = (bytes: number) => {
    if (Number.isFinite(state.free)) state.free += Math.max(0, bytes);
  };
  const refuse = (syscall: string): never => {
    state.refused++;
    throw enospc(syscall);
  };
  const fullDisk: Disk = {
    ...nodeDisk,
    openSync(path, flags) {
      const fd = nodeDisk.openSync(path, flags);
      if (onDisk(path)) fds.add(fd);
      return fd;
    },
    closeSync(fd) {
      fds.delete(fd);
      nodeDisk.closeSync(fd);
    },
    writeSync(fd, data, offset, length) {
      if (length === 0 || !fds.has(fd)) return nodeDisk.writeSync(fd, data, offset, length);
      if (state.writesLeft !== undefined) {
        if (state.writesLeft <= 0) return refuse("write");
        state.writesLeft--;
      }
      const fits = take(length);
      if (fits === 0) return refuse("write");
      // A short write, as the kernel gives when the disk fills during it; the next call gets ENOSPC.
      return nodeDisk.writeSync(fd, data, offset, fits);
    },
    ftruncateSync(fd, length) {
      const before = fstatSync(fd).size;
      nodeDisk.ftruncateSync(fd, length);
      if (fds.has(fd)) giveBack(before - length);
    },
    unlinkSync(path) {
      const size = statSync(path).size;
      nodeDisk.unlinkSync(path);
      if (onDisk(path)) giveBack(size);
    },
    async unlink(path) {
      const size = statSync(path).size;
      await nodeDisk.unlink(path);
      if (onDisk(path)) giveBack(size);
    },
    fsyncSync(fd) {
      if (state.failFsync && fds.has(fd)) refuse("fsync");
      nodeDisk.fsyncSync(fd);
    },
    freeBytes(dir) {
      if (!onDisk(dir)) return nodeDisk.freeBytes(dir);
      return state.writesLeft !== undefined && state.writesLeft <= 0 ? 0 : state.free;
    },
    async writeFile(path, data) {
      if (!onDisk(path)) return nodeDisk.writeFile(path, data);
      const fits = take(data.length);
      if (fits < data.length) {
        // What fitted is on disk, as with a real full disk: a partial temp file to clean up.
        const fd = openSync(path, "w");
        try {
          writeSync(fd, data, 0, fits);
        } finally {
          closeSync(fd);
        }
        refuse("write");
      }
      if (state.failFsync) refuse("fsync");
      await nodeDisk.writeFile(path, data);
    },
  };
  const restore = useDisk(fullDisk);
  return state;
}
