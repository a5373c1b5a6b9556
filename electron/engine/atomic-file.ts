import { closeSync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { disk } from "./disk.js";

/*
 * Write-temp, fsync, rename, fsync-directory: after a hard kill at any moment
 * the path holds either the old content or the new, whole. A write the disk
 * refuses (full) throws with the path left as it was, and the partial temp
 * file is removed so it does not keep the space it took.
 */

function syncDirectory(dir: string): void {
  // Directories cannot be fsynced on Windows; the rename is durable enough there.
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomicSync(path: string, data: Uint8Array): void {
  const temp = `${path}.tmp`;
  const io = disk();
  try {
    const fd = io.openSync(temp, "w");
    try {
      let written = 0;
      while (written < data.length) written += io.writeSync(fd, data, written, data.length - written);
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
    io.renameSync(temp, path);
  } catch (error) {
    try {
      io.unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw error;
  }
  syncDirectory(dirname(path));
}

/** Same guarantee, without blocking the event loop on the disk. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = `${path}.tmp`;
  const io = disk();
  try {
    await io.writeFile(temp, data);
    await io.rename(temp, path);
  } catch (error) {
    await io.unlink(temp).catch(() => undefined);
    throw error;
  }
  syncDirectory(dirname(path));
}
