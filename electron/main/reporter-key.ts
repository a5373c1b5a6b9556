import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FILE_MODE, ensurePrivateDirectory } from "../engine/disk.js";
import { REPORTER_KEY_FILE } from "../engine/reporter-seal.js";

/*
 * The Electron shell keeps the key that seals reporters and staff phones in
 * the cache (electron/engine/reporter-seal.ts) sealed by the OS keychain
 * (`safeStorage`: DPAPI, the macOS Keychain, libsecret or kwallet), so a copy
 * of the data dir alone opens nothing. The sealed key lives in
 * <dataDir>/reporter.key.safestorage (0600); only the shell's own OS user can
 * unseal it. Where the OS offers no keychain (safeStorage unavailable, or
 * Linux's `basic_text`, whose password is the same on every machine) the key
 * stays in <dataDir>/reporter.key, as on the web host, and the log says so.
 * A key file of an older release or of the web host is moved in (sealed, then
 * deleted), so the cache it sealed stays readable.
 */

export const SEALED_KEY_FILE = `${REPORTER_KEY_FILE}.safestorage`;

/** What this needs of Electron's `safeStorage`. */
export type Keychain = {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron's safeStorage has it nowhere else). */
  getSelectedStorageBackend?: () => string;
};

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The key for EngineOptions.reporterKey: the keychain's (made or moved in on
 * the first start with one), null when the sealed key cannot be opened
 * (another user, a keychain reset: sealed data is then unavailable and no new
 * key replaces it), undefined when there is no usable keychain (the data
 * dir's key file is used).
 */
export function keychainReporterKey(dataDir: string, keychain: Keychain, log: Log): string | null | undefined {
  const sealedFile = path.join(dataDir, SEALED_KEY_FILE);
  const plainFile = path.join(dataDir, REPORTER_KEY_FILE);
  if (existsSync(sealedFile)) {
    let key: string;
    try {
      key = keychain.decryptString(readFileSync(sealedFile)).trim();
    } catch (error) {
      log("error", "the OS keychain cannot open the reporter key: reporters in the cache are unavailable (restore the keychain, or see docs/SECURITY.md to start a new key)", { file: sealedFile, error: String(error) });
      return null;
    }
    if (!KEY_PATTERN.test(key)) {
      log("error", "the sealed reporter key is damaged: reporters in the cache are unavailable", { file: sealedFile });
      return null;
    }
    if (existsSync(plainFile)) log("warn", "a reporter key file in clear lies beside the keychain's; it is not used (delete it)", { file: plainFile });
    return key;
  }
  const backend = keychain.getSelectedStorageBackend?.();
  if (!keychain.isEncryptionAvailable() || backend === "basic_text") {
    log("warn", "no OS keychain: the reporter key stays in the data dir's file (0600)", { file: plainFile, ...(backend ? { backend } : {}) });
    return undefined;
  }
  let key = randomBytes(32).toString("hex");
  const moving = existsSync(plainFile);
  let written = false;
  try {
    if (moving) {
      const text = readFileSync(plainFile, "utf8").trim().toLowerCase();
      // A damaged file stays as it is, and in use: the cache's own checks report it (reporter-seal.ts).
      if (!KEY_PATTERN.test(text)) return undefined;
      key = text;
    }
    ensurePrivateDirectory(dataDir);
    // "wx": two shells starting at once never overwrite each other's key.
    writeFileSync(sealedFile, keychain.encryptString(key), { flag: "wx", mode: FILE_MODE });
    written = true;
    if (keychain.decryptString(readFileSync(sealedFile)).trim() !== key) throw new Error("the sealed key does not read back");
  } catch (error) {
    // Another shell on this data dir sealed one first: use that one.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return keychainReporterKey(dataDir, keychain, log);
    if (written) rmSync(sealedFile, { force: true });
    log("warn", "cannot keep the reporter key in the OS keychain; it stays in the data dir's file", { file: plainFile, error: String(error) });
    return undefined;
  }
  if (moving) {
    rmSync(plainFile);
    log("info", "moved the reporter key into the OS keychain", { file: sealedFile });
  } else {
    log("info", "made the reporter key, sealed by the OS keychain", { file: sealedFile });
  }
  return key;
}
