import { closeSync, openSync, writeSync } from "node:fs";
import { nodeDisk, useDisk, type Disk } from "../disk.js";

/*
 * A disk that fills up: real files through node:fs, but only `free` more
 * bytes may be written; a write past that writes what fits and then fails
 * with the ENOSPC error a full disk gives (as write(2) does: a short write,
 * then the error). `fsync` can be made to fail too. `freeSpace()` lets
 * writes through again. Space freed by truncating or deleting is not
 * credited back: the tests want a disk that stays full until freed.
 */

export type FullDisk = {
  /** Bytes that may still be written; Infinity when not full. */
  free: number;
  /** Writes refused so far. */
  refused: number;
  failFsync: boolean;
  fillUp(): void;
  allow(bytes: number): void;
  freeSpace(): void;
  restore(): void;
};

export function enospc(syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: "ENOSPC", errno: -28, syscall });
}

export function installFullDisk(initialFree = Number.POSITIVE_INFINITY): FullDisk {
  const state: FullDisk = {
    free: initialFree,
    refused: 0,
    failFsync: false,
    fillUp: () => {
      state.free = 0;
    },
    allow: (bytes) => {
      state.free = bytes;
    },
    freeSpace: () => {
      state.free = Number.POSITIVE_INFINITY;
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
  const refuse = (syscall: string): never => {
    state.refused++;
    throw enospc(syscall);
  };
  const fullDisk: Disk = {
    ...nodeDisk,
    writeSync(fd, data, offset, length) {
      if (length === 0) return nodeDisk.writeSync(fd, data, offset, 0);
      const fits = take(length);
      if (fits === 0) return refuse("write");
      // A short write, as the kernel gives when the disk fills during it; the next call gets ENOSPC.
      return nodeDisk.writeSync(fd, data, offset, fits);
    },
    fsyncSync(fd) {
      if (state.failFsync) refuse("fsync");
      nodeDisk.fsyncSync(fd);
    },
    async writeFile(path, data) {
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
