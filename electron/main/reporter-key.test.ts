import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPORTER_KEY_FILE } from "../engine/reporter-seal.js";
import { MiniFeed, makeIncident } from "../engine/testing/mini-feed.js";
import { makeEngine, sqlite3, tempDir, until } from "../engine/testing/harness.js";
import { SEALED_KEY_FILE, keychainReporterKey, type Keychain } from "./reporter-key.js";

/*
 * The Electron shell's reporter key, kept by the OS keychain. Electron's
 * safeStorage needs the Electron binary, which CI does not download: the
 * keychain here is a real cipher with a secret of its own per "OS user", so a
 * sealed key opens only with the keychain that sealed it, as safeStorage's
 * does. The engine, the cache and its files are the real ones.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function directory(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

/** An OS user's keychain: AES-256-GCM under a secret only it holds. */
function keychain(available = true, backend?: string): Keychain {
  const secret = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      const sealed = Buffer.concat([cipher.update(plainText, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv("aes-256-gcm", secret, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString("utf8");
    },
    ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
  };
}

type Logged = { level: string; message: string };
function logger(): { log: (level: "info" | "warn" | "error", message: string) => void; lines: Logged[] } {
  const lines: Logged[] = [];
  return { lines, log: (level, message) => void lines.push({ level, message }) };
}

const PHONE = "13912345678";
const posixOnly = process.platform === "win32" ? it.skip : it;

/** Runs an engine on `dir` until it has the feed's cases, then stops it. */
async function cacheFromFeed(dir: string, reporterKey?: string | null): Promise<void> {
  const server = new MiniFeed();
  await server.listen();
  server.upsert(makeIncident("A", 1, { reporter: { name: "张三", phone: PHONE } }));
  const engine = makeEngine(server.url, dir, reporterKey === undefined ? {} : { reporterKey });
  await engine.start();
  await until(() => engine.status().state === "live" && engine.replica.meta.lastSeq === server.seq, "live and caught up");
  await engine.stop();
  await server.close();
}

/** The cached case A's reporter as an engine with this key reads it, with no feed. */
async function cachedReporter(dir: string, reporterKey: string | null): Promise<unknown> {
  const engine = makeEngine("http://127.0.0.1:9", dir, { reporterKey });
  cleanups.push(() => engine.stop());
  await engine.start();
  return engine.replica.incidents.get("A")?.reporter;
}

describe("the Electron shell's reporter key", () => {
  posixOnly("is made sealed by the OS keychain (0600), never in clear in the data dir, and is the same on the next start", async () => {
    const dir = directory();
    const os = keychain();
    const key = keychainReporterKey(dir, os, logger().log);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, SEALED_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, SEALED_KEY_FILE)).includes(Buffer.from(key as string))).toBe(false);
    expect(keychainReporterKey(dir, os, logger().log)).toBe(key);

    await cacheFromFeed(dir, key);
    expect(existsSync(join(dir, REPORTER_KEY_FILE))).toBe(false);
    for (const file of ["cache.sqlite", "cache.journal", SEALED_KEY_FILE]) expect([file, readFileSync(join(dir, file)).includes(Buffer.from(PHONE))]).toEqual([file, false]);
    expect(sqlite3(join(dir, "cache.sqlite"), "SELECT count(*) FROM incidents WHERE data LIKE '%\"sealed\"%'")).toBe("1");
    expect(await cachedReporter(dir, keychainReporterKey(dir, os, logger().log) as string)).toEqual({ name: "张三", phone: PHONE });
  });

  it("moves the key file of an older release (or of the web host) into the keychain, so the cache it sealed still reads", async () => {
    const dir = directory();
    await cacheFromFeed(dir);
    const plain = readFileSync(join(dir, REPORTER_KEY_FILE), "utf8").trim();
    const { log, lines } = logger();
    const key = keychainReporterKey(dir, keychain(), log);
    expect(key).toBe(plain);
    expect(existsSync(join(dir, REPORTER_KEY_FILE))).toBe(false);
    expect(lines).toContainEqual({ level: "info", message: "moved the reporter key into the OS keychain" });
    expect(await cachedReporter(dir, key as string)).toEqual({ name: "张三", phone: PHONE });
  });

  it("opens nothing with another user's keychain: reporters are unavailable, the rest of the case stands, and no new key replaces the sealed one", async () => {
    const dir = directory();
    const key = keychainReporterKey(dir, keychain(), logger().log);
    await cacheFromFeed(dir, key);
    const sealed = readFileSync(join(dir, SEALED_KEY_FILE));
    const { log, lines } = logger();
    const other = keychainReporterKey(dir, keychain(), log);
    expect(other).toBeNull();
    expect(lines.map((line) => line.level)).toEqual(["error"]);
    expect(await cachedReporter(dir, other as null)).toEqual({ unavailable: true });
    expect(readFileSync(join(dir, SEALED_KEY_FILE))).toEqual(sealed);
    expect(existsSync(join(dir, REPORTER_KEY_FILE))).toBe(false);
  });

  it("leaves the key in the data dir's file where the OS has no keychain (none, or Linux's basic_text), and says so", () => {
    for (const os of [keychain(false), keychain(true, "basic_text")]) {
      const dir = directory();
      const { log, lines } = logger();
      expect(keychainReporterKey(dir, os, log)).toBeUndefined();
      expect(existsSync(join(dir, SEALED_KEY_FILE))).toBe(false);
      expect(lines).toContainEqual({ level: "warn", message: "no OS keychain: the reporter key stays in the data dir's file (0600)" });
    }
    expect(keychainReporterKey(directory(), keychain(true, "gnome_libsecret"), logger().log)).toMatch(/^[0-9a-f]{64}$/);
  });
});
