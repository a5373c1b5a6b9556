import { z } from "zod";
import { levelOfCode } from "../../shared/geo/region.js";
import { validTileTemplate } from "../../shared/geo/tiles.js";
import { WALL_PUSH_DEFAULT_MINUTES, WALL_PUSH_MAX_MINUTES } from "../../shared/bridge/wall.js";
import { CONFIG_KEYS, type ConfigKey } from "./keys.js";

/*
 * What a valid configuration is. Values from the environment and flags arrive
 * as strings and are coerced by the key's kind first, so "8080" is a port and
 * "abc" is reported as "expected an integer", not silently NaN.
 */

const httpUrl = z.string().refine((value) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, "must be an http:// or https:// URL");

/** Hosts a feed may be reached on over plain http: this machine only. Anywhere else the token would cross the network in clear. */
const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

export function isLoopbackOrHttps(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTNAMES.has(url.hostname));
  } catch {
    return false;
  }
}

const display = z.union([z.enum(["auto", "primary", "none"]), z.number().int().min(1).max(16)]);
const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

export const configSchema = z
  .strictObject({
    feedUrl: httpUrl.refine(isLoopbackOrHttps, "must be https:// for a host other than this machine (http:// only for 127.0.0.1, localhost or [::1]): the token travels with every connection").optional(),
    token: text(4096).optional(),
    tokenFile: text(4096).optional(),
    demo: z.boolean().default(false),
    consoleId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, dot, dash or underscore").optional(),
    dataDir: text(4096).optional(),
    port: z.number().int().min(0).max(65535).default(0),
    wallDisplay: display.default("auto"),
    operatorDisplay: display.default("auto"),
    wallView: z.enum(["console", "briefing", "patrols"]).default("console"),
    wallLayout: z.enum(["auto", "16:9", "21:9", "32:9", "48:9"]).default("auto"),
    language: z.enum(["zh-CN", "en"]).default("zh-CN"),
    subCenterName: text(100).default("东城区网格化服务管理分中心"),
    districtCode: z.string().regex(/^\d{6}$/, "must be a 6-digit district code").default("110101"),
    operatorId: text(64).default("duty"),
    operatorName: text(100).default("值班员"),
    retentionDays: z.number().int().min(1).max(3650).default(90),
    regionLayer: text(4096).optional(),
    categoriesCsv: text(4096).optional(),
    departmentsCsv: text(4096).optional(),
    addressesCsv: text(4096).optional(),
    alertSound: z.boolean().default(true),
    briefingIntervalSeconds: z.number().int().min(5).max(3600).default(20),
    wallPushMinutes: z.number().int().min(1).max(WALL_PUSH_MAX_MINUTES).default(WALL_PUSH_DEFAULT_MINUTES),
    feedCoordinates: z.enum(["wgs84", "gcj02"]).default("wgs84"),
    mapHomeArea: z
      .string()
      .refine((code) => /^\d+$/.test(code) && ["street", "community"].includes(levelOfCode(code) ?? ""), "must be a 9-digit street or 12-digit community code")
      .optional(),
    mapTilesUrl: httpUrl.refine(validTileTemplate, "must be an XYZ tile template naming {z}, {x} and {y}").optional(),
    mapTilesAttribution: text(200).optional(),
    mapTilesMaxZoom: z.number().int().min(0).max(22).optional(),
    mapTilesFile: text(4096).optional(),
    browser: text(4096).optional(),
  })
  .refine((config) => config.feedUrl === undefined || config.token !== undefined || config.tokenFile !== undefined, {
    path: ["token"],
    message: "is required when feedUrl is set (GRID_CONSOLE_TOKEN, the config file's token, or tokenFile)",
  })
  .refine((config) => config.token === undefined || config.tokenFile === undefined, {
    path: ["tokenFile"],
    message: "cannot be set together with token (one source for the feed token)",
  })
  // The demo is simulated data: it must never be mistaken for, or mixed with, a real platform.
  .refine((config) => !config.demo || config.feedUrl === undefined, {
    path: ["demo"],
    message: "cannot be set together with feedUrl (the demo runs its own embedded, simulated feed; remove one of them)",
  })
  .refine((config) => config.wallDisplay === "auto" || config.wallDisplay !== config.operatorDisplay, {
    path: ["operatorDisplay"],
    message: "must differ from wallDisplay",
  })
  // Tile options without a tile server are a typo or a half-done setup: say so rather than ignore them.
  .refine((config) => config.mapTilesUrl !== undefined || config.mapTilesAttribution === undefined, {
    path: ["mapTilesAttribution"],
    message: "needs mapTilesUrl",
  })
  .refine((config) => config.mapTilesUrl !== undefined || config.mapTilesMaxZoom === undefined, {
    path: ["mapTilesMaxZoom"],
    message: "needs mapTilesUrl",
  })
  // One base map: a local file and a tile server would draw over each other.
  .refine((config) => config.mapTilesUrl === undefined || config.mapTilesFile === undefined, {
    path: ["mapTilesFile"],
    message: "cannot be set together with mapTilesUrl (one base map: a local MBTiles file or a tile server)",
  });

export type ParsedConfig = z.infer<typeof configSchema>;

/** Turns a string from the environment or a flag into the key's type; anything else is left for the schema to judge. */
export function coerce(key: ConfigKey, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  switch (CONFIG_KEYS[key].kind) {
    case "integer":
      return /^-?\d+$/.test(trimmed) ? Number(trimmed) : value;
    case "boolean": {
      const lower = trimmed.toLowerCase();
      if (["true", "1", "yes", "on"].includes(lower)) return true;
      if (["false", "0", "no", "off"].includes(lower)) return false;
      return value;
    }
    case "display":
      return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
    case "string":
      return value;
  }
}
