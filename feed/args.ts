import type { ChaosSettings } from "./chaos.js";
import { CHAOS_KEYS } from "./chaos.js";
import { SCALES, type Scale } from "./resources.js";
import type { FeedServerOptions } from "./server.js";

/*
 * Command-line flags of `npm run feed`. Every flag takes a value
 * (`--flag value` or `--flag=value`); `--autopilot false` turns autopilot off.
 */

export const USAGE = `usage: npm run feed -- --port <p> --token <t> [--trainer-token <t>] [--seed <n>] [--scale street|district|city] [--speed <x>]
  [--state-dir <dir>] [--autopilot true|false] [--warmup-hours <h>] [--history-days <n>] [--start <ISO time>]
  [--fraud <share>] [--tracks true|false]
  [--chaos-drop <rate>] [--chaos-stall <rate>] [--chaos-stall-ms <ms>] [--chaos-repeat <rate>]
  [--chaos-reorder <rate>] [--chaos-epoch <rate>] [--chaos-malformed <rate>] [--chaos-extend <rate>]`;

export class UsageError extends Error {
  override name = "UsageError";
}

const CHAOS_FLAGS: Record<string, keyof ChaosSettings> = Object.fromEntries(
  CHAOS_KEYS.map((key) => [`chaos-${key === "stallMs" ? "stall-ms" : key}`, key]),
);

function number(flag: string, value: string, check: (n: number) => boolean, what: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${flag} must be ${what}, got "${value}"`);
  return n;
}

export function parseArgs(argv: readonly string[]): FeedServerOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    values.set(flag, value);
  }
  const token = values.get("token");
  if (!token) throw new UsageError("--token is required");
  const options: FeedServerOptions = { token, autopilot: true, warmupHours: 8 };
  const chaos: Partial<ChaosSettings> = {};
  for (const [flag, value] of values) {
    switch (flag) {
      case "token":
        break;
      case "trainer-token":
        if (value === "") throw new UsageError("--trainer-token must not be empty");
        options.trainerToken = value;
        break;
      case "port":
        options.port = number(flag, value, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port number (0 picks one)");
        break;
      case "seed":
        options.seed = number(flag, value, Number.isInteger, "an integer");
        break;
      case "scale":
        if (!(SCALES as readonly string[]).includes(value)) throw new UsageError(`--scale must be one of ${SCALES.join(", ")}`);
        options.scale = value as Scale;
        break;
      case "speed":
        options.speed = number(flag, value, (n) => n > 0 && n <= 10_000, "a positive number up to 10000");
        break;
      case "state-dir":
        options.stateDir = value;
        break;
      case "autopilot":
        if (value !== "true" && value !== "false") throw new UsageError("--autopilot must be true or false");
        options.autopilot = value === "true";
        break;
      case "fraud":
        options.fraudShare = number(flag, value, (n) => n >= 0 && n <= 1, "a share between 0 and 1");
        break;
      case "tracks":
        if (value !== "true" && value !== "false") throw new UsageError("--tracks must be true or false");
        options.tracks = value === "true";
        break;
      case "warmup-hours":
        options.warmupHours = number(flag, value, (n) => n >= 0 && n <= 72, "between 0 and 72");
        break;
      case "history-days":
        options.historyDays = number(flag, value, (n) => Number.isInteger(n) && n >= 0 && n <= 400, "a whole number of days between 0 and 400");
        break;
      case "start": {
        const at = Date.parse(value);
        if (!Number.isFinite(at)) throw new UsageError(`--start must be an ISO time, got "${value}"`);
        options.startAt = at;
        break;
      }
      default: {
        const key = CHAOS_FLAGS[flag];
        if (!key) throw new UsageError(`unknown flag --${flag}`);
        chaos[key] = key === "stallMs" ? number(flag, value, (n) => n >= 0, "a number of ms") : number(flag, value, (n) => n >= 0 && n <= 1, "a rate between 0 and 1");
      }
    }
  }
  if (!values.has("port")) throw new UsageError("--port is required (0 picks a free one)");
  if (Object.keys(chaos).length > 0) options.chaos = chaos;
  return options;
}
