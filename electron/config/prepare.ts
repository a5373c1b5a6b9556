import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ConsoleSettings, LocalTiles, MapSettings } from "../../shared/bridge/contract.js";
import { parseCategories, parseDepartments, ReferenceDataError } from "../../shared/domain/reference.js";
import { ADDRESS_FILE_MAX_BYTES, AddressListError, describeSkipped, parseAddressList, type DeploymentAddress } from "../../shared/geo/address-list.js";
import type { EngineOptions } from "../engine/api.js";
import { checkDataDir, DataDirError, ensurePrivateDirectory, FILE_MODE } from "../engine/disk.js";
import { MbtilesError, fileLabel, openMbtiles, type MbtilesReader } from "../engine/mbtiles.js";
import type { Log } from "../host/log.js";
import { ConfigError, type ConsoleConfig } from "./load.js";

/*
 * From a checked configuration to what the engine needs: reference tables
 * parsed, the region layer read, the console id made stable. Failures are
 * ConfigErrors naming the file and the key that pointed at it.
 */

const CONSOLE_ID_FILE = "console-id";

/** The configured id, else the one kept in the data dir, else a new one written there. */
export function ensureConsoleId(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, CONSOLE_ID_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (/^[A-Za-z0-9._-]{1,64}$/.test(stored)) return stored;
    throw new ConfigError(`configuration: ${file} does not hold a valid console id; delete it to make a new one`);
  }
  const id = `console-${randomUUID()}`;
  ensurePrivateDirectory(dataDir);
  writeFileSync(file, `${id}\n`, { flag: "wx", mode: FILE_MODE });
  return id;
}

function readConfigured(file: string, key: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`configuration: ${key} points at ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** The map's part of the settings: the feed's coordinate system always, the home area when set, tiles only when a server or a local file is configured. */
export function mapSettings(config: ConsoleConfig, localTiles?: LocalTiles): MapSettings {
  const common = { feedCoordinates: config.feedCoordinates, ...(config.mapHomeArea === undefined ? {} : { homeArea: config.mapHomeArea }) };
  if (localTiles !== undefined) return { ...common, localTiles };
  if (config.mapTilesUrl === undefined) return common;
  return {
    ...common,
    tiles: {
      url: config.mapTilesUrl,
      ...(config.mapTilesAttribution === undefined ? {} : { attribution: config.mapTilesAttribution }),
      ...(config.mapTilesMaxZoom === undefined ? {} : { maxZoom: config.mapTilesMaxZoom }),
    },
  };
}

export function loadSettings(config: ConsoleConfig, localTiles?: LocalTiles): ConsoleSettings {
  try {
    return {
      map: mapSettings(config, localTiles),
      subCenterName: config.subCenterName,
      districtCode: config.districtCode,
      language: config.language,
      operator: { id: config.operatorId, name: config.operatorName },
      briefing: { intervalSeconds: config.briefingIntervalSeconds, wallPushMinutes: config.wallPushMinutes },
      wallLayout: config.wallLayout,
      alertSound: config.alertSound,
      demo: config.demo,
      categories: parseCategories(readConfigured(config.categoriesCsv, "categoriesCsv"), config.categoriesCsv),
      departments: parseDepartments(readConfigured(config.departmentsCsv, "departmentsCsv"), config.departmentsCsv),
    };
  } catch (error) {
    if (error instanceof ReferenceDataError) throw new ConfigError(`configuration: ${error.message}`);
    throw error;
  }
}

/**
 * The deployment's address list (addressesCsv), for the phone-in search. Never stops the console: a file
 * that is missing, unreadable, too large or without a usable header is logged as an error and the search
 * goes on with the layer's names and past cases; bad rows are skipped and logged with their line numbers.
 */
export function loadAddresses(config: Pick<ConsoleConfig, "addressesCsv">, log: Log): DeploymentAddress[] | undefined {
  const file = config.addressesCsv;
  if (file === undefined) return undefined;
  const refuse = (why: string): undefined => {
    log("error", `addressesCsv ${file}: ${why}; the address search goes on without the list`);
    return undefined;
  };
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > ADDRESS_FILE_MAX_BYTES) return refuse(`${size} bytes, more than the ${ADDRESS_FILE_MAX_BYTES} allowed`);
    const bytes = readFileSync(file);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) return refuse("not UTF-8 text (save it as UTF-8, with or without a BOM)");
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    const { entries, skipped } = parseAddressList(text);
    if (skipped.length > 0) log("warn", `addressesCsv ${file}: ${describeSkipped(skipped)}`, { loaded: entries.length, skipped: skipped.length });
    log("info", "address list for the phone-in search", { file, addresses: entries.length });
    return entries;
  } catch (error) {
    if (error instanceof AddressListError) return refuse(error.message);
    throw error;
  }
}

const EMPTY_LAYER = { type: "FeatureCollection", features: [] } as const;

/*
 * The bundled layer is generated by `npm run region`; a checkout where it has
 * not been generated still runs (with no grid outlines, and says so). A layer
 * a deployment configured must be there: running with the wrong map would be
 * worse than not starting.
 */
export function loadRegionLayer(config: ConsoleConfig, log: Log): unknown {
  if (!existsSync(config.regionLayer) && config.regionLayerIsDefault) {
    log("warn", `region layer not found at ${config.regionLayer}: the map shows no grid outlines. Run \`npm run region\` or set regionLayer (--region-layer).`);
    return EMPTY_LAYER;
  }
  const text = readConfigured(config.regionLayer, "regionLayer");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`configuration: regionLayer ${config.regionLayer} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const collection = json as { type?: unknown; features?: unknown };
  if (collection.type !== "FeatureCollection" || !Array.isArray(collection.features)) {
    throw new ConfigError(`configuration: regionLayer ${config.regionLayer} is not a GeoJSON FeatureCollection`);
  }
  return json;
}

const withAddresses = (settings: ConsoleSettings, addresses: DeploymentAddress[] | undefined): ConsoleSettings => (addresses === undefined ? settings : { ...settings, addresses });

export type FeedTarget = { feedUrl: string; token: string };

/*
 * The offline base map (mapTilesFile). The file's presence was checked with
 * the configuration; what is inside is judged here, and a file that is not
 * usable MBTiles costs the base map, not the console: the views get the
 * reason (settings.map.localTiles) and show it on the map.
 */
export type BaseMap = { readonly settings?: LocalTiles; readonly reader?: MbtilesReader; close(): void };

export async function openBaseMap(config: ConsoleConfig, log: Log): Promise<BaseMap> {
  const file = config.mapTilesFile;
  if (file === undefined) return { close() {} };
  try {
    const reader = await openMbtiles(file);
    log("info", "offline base map", { file, ...reader.info });
    return { reader, settings: { ok: true, ...reader.info }, close: () => reader.close() };
  } catch (error) {
    if (!(error instanceof MbtilesError)) throw error;
    log("error", `mapTilesFile: ${error.message}; the map runs without a base map`);
    return { settings: { ok: false, problem: error.problem, file: fileLabel(file), ...(error.detail === undefined ? {} : { detail: error.detail }) }, close() {} };
  }
}

export function engineOptions(config: ConsoleConfig, feed: FeedTarget, log: Log, extra: Partial<Pick<EngineOptions, "revealAllowed">> = {}, localTiles?: LocalTiles): EngineOptions {
  try {
    checkDataDir(config.dataDir, log);
  } catch (error) {
    if (error instanceof DataDirError) throw new ConfigError(`configuration: dataDir: ${error.message}`);
    throw error;
  }
  return {
    feedUrl: feed.feedUrl,
    token: feed.token,
    consoleId: ensureConsoleId(config.dataDir, config.consoleId),
    dataDir: config.dataDir,
    settings: withAddresses(loadSettings(config, localTiles), loadAddresses(config, log)),
    regionLayer: loadRegionLayer(config, log),
    ...(existsSync(config.regionLayer) ? { regionLayerFile: config.regionLayer } : {}),
    retentionDays: config.retentionDays,
    log,
    ...extra,
  };
}
