import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, CONFIG_KEYS, CONFIG_KEY_NAMES, envOf, flagOf, onCommandLine, type ConfigKey } from "./keys.js";
import { coerce, configSchema, type ParsedConfig } from "./schema.js";

/*
 * Configuration from three layers, later ones winning: a JSON file
 * (--config <file>, else <dataDir>/config.json when present), GRID_CONSOLE_*
 * environment variables, then command-line flags. Everything is checked at
 * start; a bad value stops the console with a message naming the key, where
 * it came from and why, rather than failing later in some other module.
 */

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export type ConsoleConfig = Omit<ParsedConfig, "dataDir" | "regionLayer" | "categoriesCsv" | "departmentsCsv" | "tokenFile"> & {
  dataDir: string;
  regionLayer: string;
  categoriesCsv: string;
  departmentsCsv: string;
  /** True when regionLayer is the bundled default rather than a deployment's own layer. */
  regionLayerIsDefault: boolean;
  /** The config file read, if any. */
  configFile?: string;
};

export type LoadConfigInput = {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where resources/ lives (the repo, or the packaged app). */
  appRoot: string;
  defaultDataDir: string;
};

type Layer = { values: Partial<Record<ConfigKey, unknown>>; source: Partial<Record<ConfigKey, string>>; baseDir: string };

const PATH_KEYS = ["dataDir", "regionLayer", "categoriesCsv", "departmentsCsv", "addressesCsv", "browser", "mapTilesFile", "tokenFile"] as const satisfies readonly ConfigKey[];

/** Keys whose values are never repeated in a message, whatever is wrong with them. */
const SECRET_KEYS: ReadonlySet<string> = new Set<ConfigKey>(["token"]);

export const TOKEN_FLAG_REFUSED =
  "configuration: --token is not accepted on the command line (any local user can read a process's command line, and npm echoes it): " +
  "put the feed token in the environment variable GRID_CONSOLE_TOKEN, in the config file's \"token\", or in a file named by tokenFile (--token-file <file>, keep it 0600)";

/** What a message may show of a value: nothing of a secret, no password inside a URL. */
function shown(key: string, value: unknown): string {
  if (SECRET_KEYS.has(key)) return "";
  if (typeof value === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.password || url.username) {
        url.password = url.password ? "***" : "";
        url.username = url.username ? "***" : "";
        return ` (got ${JSON.stringify(url.href)})`;
      }
    } catch {
      // Not a URL after all: shown as given.
    }
  }
  return ` (got ${JSON.stringify(value)})`;
}

export function loadConfig(input: LoadConfigInput): ConsoleConfig {
  const { flags, configFile: flagConfigFile } = parseFlags(input.argv, input.cwd);
  const env = parseEnv(input.env, input.cwd);
  const explicitFile = flagConfigFile ?? (input.env[CONFIG_FILE_ENV] ? path.resolve(input.cwd, input.env[CONFIG_FILE_ENV]) : undefined);

  const dataDirBeforeFile = resolvePath(flags, "dataDir") ?? resolvePath(env, "dataDir");
  const implicitFile = path.join(dataDirBeforeFile ?? path.resolve(input.cwd, input.defaultDataDir), "config.json");
  const configFile = explicitFile ?? (existsSync(implicitFile) ? implicitFile : undefined);
  const file = configFile ? readConfigFile(configFile) : { values: {}, source: {}, baseDir: input.cwd };

  const layers = [file, env, flags];
  const merged: Partial<Record<ConfigKey, unknown>> = {};
  const source: Partial<Record<ConfigKey, string>> = {};
  for (const layer of layers) {
    for (const key of CONFIG_KEY_NAMES) {
      if (layer.values[key] === undefined) continue;
      merged[key] = (PATH_KEYS as readonly ConfigKey[]).includes(key) ? resolvePath(layer, key) : coerce(key, layer.values[key]);
      source[key] = layer.source[key];
    }
  }

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? "config");
    const from = source[key as ConfigKey];
    const got = key in merged ? shown(key, merged[key as ConfigKey]) : "";
    throw new ConfigError(`configuration: ${key}${from ? ` (from ${from})` : ""}: ${issue?.message ?? "is invalid"}${got}`);
  }
  const { tokenFile, ...config } = parsed.data;
  if (config.mapTilesFile !== undefined) assertReadableFile("mapTilesFile", config.mapTilesFile, source.mapTilesFile);
  const token = tokenFile === undefined ? config.token : readTokenFile(tokenFile, source.tokenFile);
  const resources = path.join(input.appRoot, "resources");
  return {
    ...config,
    ...(token === undefined ? {} : { token }),
    dataDir: config.dataDir ?? path.resolve(input.cwd, input.defaultDataDir),
    regionLayer: config.regionLayer ?? path.join(resources, "region", "dongcheng.geojson"),
    categoriesCsv: config.categoriesCsv ?? path.join(resources, "data", "event-categories.csv"),
    departmentsCsv: config.departmentsCsv ?? path.join(resources, "data", "departments.csv"),
    regionLayerIsDefault: config.regionLayer === undefined,
    ...(configFile ? { configFile } : {}),
  };
}

/** A configured file that is not there is a setup mistake, refused at start like any bad value. What is inside is judged later. */
function assertReadableFile(key: ConfigKey, file: string, from: string | undefined): void {
  let reason: string | null = null;
  try {
    if (statSync(file).isFile()) accessSync(file, constants.R_OK);
    else reason = "not a file";
  } catch (error) {
    reason = (error as NodeJS.ErrnoException).code ?? String(error);
  }
  if (reason !== null) throw new ConfigError(`configuration: ${key}${from ? ` (from ${from})` : ""}: cannot read ${file} (${reason})`);
}

/** The token file's first line. Messages name the file and the reason, never what is in it. */
function readTokenFile(file: string, from: string | undefined): string {
  const where = `tokenFile${from ? ` (from ${from})` : ""}`;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`configuration: ${where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const token = (text.split(/\r?\n/)[0] ?? "").trim();
  if (token === "" || token.length > 4096) throw new ConfigError(`configuration: ${where}: ${file} must hold the token on its first line (1-4096 characters)`);
  return token;
}

function resolvePath(layer: Layer, key: ConfigKey): string | undefined {
  const value = layer.values[key];
  if (typeof value !== "string" || value.trim() === "") return value as undefined;
  // A browser may be named by command ("chromium") rather than by path.
  if (key === "browser" && !value.includes("/") && !value.includes("\\")) return value;
  return path.resolve(layer.baseDir, value);
}

function parseFlags(argv: readonly string[], cwd: string): { flags: Layer; configFile?: string } {
  const byFlag = new Map(CONFIG_KEY_NAMES.map((key) => [flagOf(key), key]));
  const flags: Layer = { values: {}, source: {}, baseDir: cwd };
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw new ConfigError(`configuration: unexpected argument ${JSON.stringify(arg)} (flags look like --port 8080)`);
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const negated = name.startsWith("--no-") ? byFlag.get(`--${name.slice(5)}`) : undefined;
    if (negated && CONFIG_KEYS[negated].kind === "boolean" && inline === undefined) {
      flags.values[negated] = false;
      flags.source[negated] = `flag ${name}`;
      continue;
    }
    const key = byFlag.get(name);
    if (key !== undefined && !onCommandLine(key)) throw new ConfigError(key === "token" ? TOKEN_FLAG_REFUSED : `configuration: ${name} is not accepted on the command line`);
    if (name !== CONFIG_FILE_FLAG && key === undefined) throw new ConfigError(`configuration: unknown flag ${name} (see docs/CONFIGURATION.md)`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (key && CONFIG_KEYS[key].kind === "boolean" && (next === undefined || next.startsWith("--"))) value = "true";
      else if (next === undefined || next.startsWith("--")) throw new ConfigError(`configuration: ${name} needs a value`);
      else value = argv[++i];
    }
    if (name === CONFIG_FILE_FLAG) configFile = path.resolve(cwd, value ?? "");
    else if (key) {
      flags.values[key] = value;
      flags.source[key] = `flag ${name}`;
    }
  }
  return configFile === undefined ? { flags } : { flags, configFile };
}

function parseEnv(env: Readonly<Record<string, string | undefined>>, cwd: string): Layer {
  const known = new Map(CONFIG_KEY_NAMES.map((key) => [envOf(key), key]));
  const layer: Layer = { values: {}, source: {}, baseDir: cwd };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("GRID_CONSOLE_") || name === CONFIG_FILE_ENV || value === undefined) continue;
    const key = known.get(name);
    if (key === undefined) throw new ConfigError(`configuration: unknown environment variable ${name} (see docs/CONFIGURATION.md)`);
    layer.values[key] = value;
    layer.source[key] = `environment ${name}`;
  }
  return layer;
}

function readConfigFile(file: string): Layer {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`configuration: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // Only where: V8's message quotes the text around the fault, which may be the token.
    const at = /at position \d+(?: \(line \d+ column \d+\))?/.exec(error instanceof Error ? error.message : "")?.[0];
    throw new ConfigError(`configuration: ${file} is not valid JSON${at ? ` (${at})` : ""}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ConfigError(`configuration: ${file} must hold a JSON object`);
  const layer: Layer = { values: {}, source: {}, baseDir: path.dirname(file) };
  for (const [name, value] of Object.entries(json)) {
    if (!(name in CONFIG_KEYS)) throw new ConfigError(`configuration: unknown key ${JSON.stringify(name)} in ${file} (see docs/CONFIGURATION.md)`);
    layer.values[name as ConfigKey] = value;
    layer.source[name as ConfigKey] = `config file ${file}`;
  }
  return layer;
}
