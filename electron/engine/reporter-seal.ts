import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command, Incident, Unit } from "../../shared/protocol/types.js";
import type { Reporter } from "../../shared/domain/masking.js";
import { FILE_MODE } from "./disk.js";

/*
 * Reporters' names and phones are personal data: cache.sqlite and
 * cache.journal hold them only sealed (AES-256-GCM, the case id as associated
 * data, so a sealed reporter cannot be moved onto another case). The plain
 * values exist only in the engine's memory. A case's stored JSON carries
 * `reporter: { unitId?, sealed }` in place of `{ name?, phone?, unitId? }`;
 * a reporter whose key is gone is `{ unitId?, unavailable: true }`. A phone-in
 * report waiting in the outbox carries its caller likewise (`payload.reporter`),
 * sealed with its command id. Staff phones (the roster's `Unit.phone`) are
 * sealed the same way in the units table and the journal: the stored unit
 * carries `phoneSealed` (the unit id, prefixed, as associated data) in place
 * of `phone`, or `phoneUnavailable: true` when there is no key.
 */

export const REPORTER_KEY_FILE = "reporter.key";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Where the key comes from: the file in the data dir (the web host, and the
 * Electron shell where the OS has no keychain), or a key the Electron shell
 * keeps sealed by `safeStorage` and hands in (electron/main/reporter-key.ts).
 */
export interface KeySource {
  /** The 32-byte key, or null when it cannot be had (damaged): reporters are then unavailable, never a crash. */
  load(): Buffer | null;
}

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** `<dataDir>/reporter.key`: 64 hex digits, made once (0600); a damaged one is reported and left as it is. */
export function fileKeySource(dataDir: string, log: Log): KeySource {
  const file = join(dataDir, REPORTER_KEY_FILE);
  return {
    load() {
      try {
        if (!existsSync(file)) {
          // "wx": two processes starting at once never overwrite each other's key.
          writeFileSync(file, `${randomBytes(KEY_BYTES).toString("hex")}\n`, { flag: "wx", mode: FILE_MODE });
          log("info", "made the key that seals reporters in the cache", { file });
        }
        const text = readFileSync(file, "utf8").trim();
        if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, "hex");
        log("error", "the reporter key file is damaged: reporters in the cache are unavailable, new ones are not stored", { file });
      } catch (error) {
        log("error", "the reporter key cannot be read: reporters in the cache are unavailable, new ones are not stored", { file, error: String(error) });
      }
      return null;
    },
  };
}

/** A key the shell hands in (EngineOptions.reporterKey); null when it holds one it cannot open: sealed data is then unavailable, never replaced by a new key. */
export function givenKeySource(hex: string | null, log: Log): KeySource {
  return {
    load() {
      if (hex !== null && /^[0-9a-f]{64}$/i.test(hex)) return Buffer.from(hex, "hex");
      log("error", "the shell's reporter key cannot be used: reporters in the cache are unavailable, new ones are not stored");
      return null;
    },
  };
}

/** A staff member as stored: the phone sealed. */
export type StoredUnit = Unit & { phoneSealed?: string; phoneUnavailable?: true };

/** A reporter as stored: the personal fields sealed, the terminal id (not personal) in clear. */
export type StoredReporter = { unitId?: string; sealed?: string; unavailable?: true };

export class ReporterSeal {
  /** The last sealing per case (and per report command): a case that changes every few seconds is encrypted again only when its reporter does. */
  private sealedByScope = new Map<string, { name: string | undefined; phone: string | undefined; sealed: string }>();
  /** Likewise per staff member: a status change every few seconds seals the same phone once. */
  private sealedPhones = new Map<string, { phone: string; sealed: string }>();
  private failures = 0;
  private unitFailures = 0;

  constructor(private readonly key: Buffer | null) {}

  /** The case as it may be written to disk: no reporter name or phone in clear. */
  sealIncident(incident: Incident): Incident {
    const reporter = incident.reporter as (Reporter & StoredReporter) | undefined;
    if (!reporter || (reporter.name === undefined && reporter.phone === undefined)) return incident;
    return { ...incident, reporter: this.seal(incident.id, reporter) as Incident["reporter"] };
  }

  /** The case as the engine holds it: the reporter opened, or marked unavailable when it cannot be. */
  openIncident(incident: Incident): Incident {
    const stored = incident.reporter as StoredReporter | undefined;
    if (stored?.sealed === undefined) return incident;
    return { ...incident, reporter: this.open(incident.id, stored) as Incident["reporter"] };
  }

  /** The command as it may be written to disk: a report's caller sealed. */
  sealCommand(command: Command): Command {
    if (command.type !== "report") return command;
    const reporter = command.payload.reporter;
    if (!reporter || (reporter.name === undefined && reporter.phone === undefined)) return command;
    const payload = { ...command.payload, reporter: this.seal(commandScope(command.commandId), reporter) as typeof reporter };
    return { ...command, payload };
  }

  /**
   * The command as it goes to the platform again: the caller opened. One that cannot be opened is sent
   * without a caller (the platform takes a report without one), not with the seal or a marker.
   */
  openCommand(command: Command): Command {
    if (command.type !== "report") return command;
    const stored = command.payload.reporter as StoredReporter | undefined;
    if (stored?.sealed === undefined) return command;
    const { unavailable, unitId: _unit, ...reporter } = this.open(commandScope(command.commandId), stored);
    const { reporter: _sealed, ...payload } = command.payload;
    return { ...command, payload: unavailable ? payload : { ...payload, reporter } };
  }

  /** The staff member as it may be written to disk: no phone in clear. */
  sealUnit(unit: Unit): StoredUnit {
    if (unit.phone === undefined) return unit;
    const { phone, ...rest } = unit;
    if (this.key === null) return { ...rest, phoneUnavailable: true };
    const scope = unitScope(unit.id);
    const last = this.sealedPhones.get(scope);
    if (last?.phone === phone) return { ...rest, phoneSealed: last.sealed };
    const sealed = this.encrypt(scope, Buffer.from(JSON.stringify({ phone }), "utf8"));
    this.sealedPhones.set(scope, { phone, sealed });
    return { ...rest, phoneSealed: sealed };
  }

  /** The staff member as the engine holds it: the phone opened, or left out when it cannot be (the platform sends it again). */
  openUnit(stored: StoredUnit): Unit {
    const { phoneSealed, phoneUnavailable: _none, ...unit } = stored;
    if (phoneSealed === undefined) return unit;
    const scope = unitScope(unit.id);
    try {
      const fields = JSON.parse(this.decrypt(scope, phoneSealed).toString("utf8")) as { phone?: unknown };
      if (typeof fields.phone !== "string") return unit;
      this.sealedPhones.set(scope, { phone: fields.phone, sealed: phoneSealed });
      return { ...unit, phone: fields.phone };
    } catch {
      this.unitFailures++;
      return unit;
    }
  }

  /** Staff whose phone could not be opened since the last call. */
  takeUnitFailures(): number {
    const failures = this.unitFailures;
    this.unitFailures = 0;
    return failures;
  }

  /** Cases whose reporter could not be opened since the last call (for one log line, not one per case). */
  takeFailures(): number {
    const failures = this.failures;
    this.failures = 0;
    return failures;
  }

  forget(scope: string): void {
    this.sealedByScope.delete(scope);
  }

  /** `scope`: the case id, or a command's (commandScope), bound to the text as associated data. */
  private seal(scope: string, reporter: Reporter): StoredReporter {
    const unit = reporter.unitId === undefined ? {} : { unitId: reporter.unitId };
    if (this.key === null) return { ...unit, unavailable: true };
    const last = this.sealedByScope.get(scope);
    if (last && last.name === reporter.name && last.phone === reporter.phone) return { ...unit, sealed: last.sealed };
    const sealed = this.encrypt(scope, Buffer.from(JSON.stringify({ name: reporter.name, phone: reporter.phone }), "utf8"));
    this.sealedByScope.set(scope, { name: reporter.name, phone: reporter.phone, sealed });
    return { ...unit, sealed };
  }

  private open(scope: string, stored: StoredReporter): Reporter & { unavailable?: true } {
    const unit = stored.unitId === undefined ? {} : { unitId: stored.unitId };
    const sealed = stored.sealed ?? "";
    try {
      const fields = JSON.parse(this.decrypt(scope, sealed).toString("utf8")) as { name?: unknown; phone?: unknown };
      const reporter: Reporter = { ...unit };
      if (typeof fields.name === "string") reporter.name = fields.name;
      if (typeof fields.phone === "string") reporter.phone = fields.phone;
      // Sealing the same reporter again (the case re-journaled unchanged) reuses this text.
      this.sealedByScope.set(scope, { name: reporter.name, phone: reporter.phone, sealed });
      return reporter;
    } catch {
      // Another key (lost and made anew), a damaged key or text: the rest of the case stands.
      this.failures++;
      return { ...unit, unavailable: true };
    }
  }

  /** AES-256-GCM under the key, `scope` as associated data: base64 of iv, tag and text. The caller has checked there is a key. */
  private encrypt(scope: string, plain: Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key as Buffer, iv);
    cipher.setAAD(Buffer.from(scope, "utf8"));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
  }

  /** The plain bytes, or a throw (no key, another key, damaged text, another scope). */
  private decrypt(scope: string, sealed: string): Buffer {
    if (this.key === null) throw new Error("no key");
    const bytes = Buffer.from(sealed, "base64");
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error("too short");
    const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(scope, "utf8"));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}

/** A command's scope: never equal to a case id (those have no colon). */
export const commandScope = (commandId: string): string => `command:${commandId}`;

/** A staff member's scope: prefixed, never equal to a case id or a command's scope. */
export const unitScope = (unitId: string): string => `unit:${unitId}`;
