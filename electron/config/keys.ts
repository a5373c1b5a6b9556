/*
 * Every configuration key, once: its flag, its environment variable and what
 * it means. The loader, the --help text and docs/CONFIGURATION.md's table come from here,
 * so a key cannot be documented under one name and read under another.
 */

export type KeyKind = "string" | "integer" | "boolean" | "display";

/** `commandLine: false`: a secret, refused as a flag (other local users can read a process's command line). */
export type ConfigKeyInfo = { kind: KeyKind; description: string; commandLine?: false };

export const CONFIG_KEYS = {
  feedUrl: { kind: "string", description: "Platform feed URL (Socket.IO, PROTOCOL.md). https:// for any host but this machine (http:// only for 127.0.0.1, localhost, [::1]). Unset: set demo, or the console does not start (npm start in a checkout runs the demo)." },
  token: {
    kind: "string",
    commandLine: false,
    description: "Bearer token for the feed, required with feedUrl: from the environment or the config file only, or tokenFile; never a flag (refused), never printed.",
  },
  tokenFile: { kind: "string", description: "A file holding the feed token (its first line; keep it 0600), instead of token." },
  demo: { kind: "boolean", description: "Run the embedded reference feed: simulated cases and staff, for demos and training, marked 演示/培训数据 on every view. Not with feedUrl. Default false; npm start in a checkout sets it when no feedUrl is configured." },
  consoleId: { kind: "string", description: "Stable id of this installation. Unset: generated once and kept in <dataDir>/console-id." },
  dataDir: { kind: "string", description: "Folder for cache.sqlite, its journal, console-id and config.json. Default ./.data (Electron: the app's user-data folder)." },
  port: { kind: "integer", description: "Web host port on 127.0.0.1; 0 picks a free port. Default 0." },
  wallDisplay: { kind: "display", description: "Display for the wall window: auto, primary, or a 1-based index counted left to right. Default auto (the largest non-primary display)." },
  operatorDisplay: { kind: "display", description: "Display for the operator window: auto, primary, none, or a 1-based index. Default auto (the primary display, when the wall is elsewhere)." },
  wallView: { kind: "string", description: "What the wall window shows: console, briefing, or patrols (the patrol check list with its map). Default console." },
  wallLayout: {
    kind: "string",
    description: "The operator wall's layout: auto (default: by the window's shape), 16:9, 21:9, 32:9 or 48:9. Wider layouts put the attention list, the patrol checks, the 7-day trend and the department ledger beside the map and the queue.",
  },
  language: { kind: "string", description: "zh-CN (default) or en." },
  subCenterName: { kind: "string", description: "Sub-center name in the header. Default 东城区网格化服务管理分中心." },
  districtCode: { kind: "string", description: "6-digit district code. Default 110101 (东城区)." },
  operatorId: { kind: "string", description: "Operator id sent with commands. Default duty." },
  operatorName: { kind: "string", description: "Operator name sent with commands. Default 值班员." },
  retentionDays: {
    kind: "integer",
    description: "Closed, rejected and archived cases older than this many days leave the cache, and so do copies in `<dataDir>/recovered/` (the reveal audit is kept 365 days whatever this says). Default 90.",
  },
  regionLayer: { kind: "string", description: "Grid layer (GeoJSON FeatureCollection). Default resources/region/dongcheng.geojson. Features it cannot use are left out, the rest drawn: the header then says 网格图层异常 and the map lists each fault with the feature's place in the file (from 0) and code; the log has them in English." },
  categoriesCsv: { kind: "string", description: "Event categories table. Default resources/data/event-categories.csv." },
  departmentsCsv: { kind: "string", description: "Departments table. Default resources/data/departments.csv." },
  addressesCsv: {
    kind: "string",
    description:
      "The deployment's address list for the phone-in address search (places the grid layer does not name): a UTF-8 CSV with a header naming name (or address), lon, lat and optionally alias (others, separated by | or 、) and crs (wgs84, the default, or gcj02 per row). Up to 8 MiB and 100,000 rows; bad rows are skipped and logged with their line numbers; a file that cannot be used is logged and the search goes on without it. Unset (default): none.",
  },
  alertSound: { kind: "boolean", description: "Sound on critical alerts: true (default) or false." },
  briefingIntervalSeconds: { kind: "integer", description: "Seconds per briefing scene. Default 20." },
  wallPushMinutes: { kind: "integer", description: "How long a case, staff member or grid an operator pushes to the wall (推送上墙) stays there before the wall returns to its rotation, in minutes (1-240). Default 5." },
  feedCoordinates: { kind: "string", description: "Coordinate system of the feed's lon/lat: wgs84 (default) or gcj02 (China's offset system, as AMap and Tencent use); gcj02 is converted to the grid layer's WGS84 where it enters the engine, and a phone-in report's point back on its way out." },
  mapHomeArea: { kind: "string", description: "Where the map opens and where it returns to: a street (9-digit) or community (12-digit) code of the grid layer, e.g. 110101009 for 东直门街道, the sub-center's own street. Unset (default): the whole district. A code the layer lacks leaves the map on the district and says so on the map." },
  mapTilesUrl: { kind: "string", description: "Base map: an XYZ tile template on a server of the deployment's own, http(s) with {z}, {x} and {y}, Web Mercator in WGS84 (e.g. http://10.0.0.5/osm/{z}/{x}/{y}.png). Unset (default): no base map and no tile request at all." },
  mapTilesAttribution: { kind: "string", description: "Attribution shown on the map for the tiles (e.g. © OpenStreetMap contributors). Only with mapTilesUrl." },
  mapTilesMaxZoom: { kind: "integer", description: "Deepest zoom level the tile server has, 0-22; deeper views enlarge its tiles. Default 18. Only with mapTilesUrl." },
  mapTilesFile: { kind: "string", description: "Base map offline: a local MBTiles file (raster png/jpg/webp or vector pbf, Web Mercator in WGS84), served by the console itself; not with mapTilesUrl. Up to 512 MiB (it is held in memory); a file that is not usable MBTiles leaves the map without a base map and says why on the map." },
  browser: { kind: "string", description: "The Chromium-family browser: npm start without Electron opens the console in it (app mode), and the web host prints the briefing PDF with it (headless). Default: the first of chromium, chromium-browser, google-chrome found." },
} as const satisfies Record<string, ConfigKeyInfo>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];

/** May the key be given as a flag? Not a secret: `ps` shows every process's command line to every local user. */
export const onCommandLine = (key: ConfigKey): boolean => (CONFIG_KEYS[key] as ConfigKeyInfo).commandLine !== false;
/** The configuration table's flag cell. */
export const flagCell = (key: ConfigKey): string => (onCommandLine(key) ? `\`${flagOf(key)}\`` : "(no flag)");

/** feedUrl → --feed-url */
export const flagOf = (key: ConfigKey): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** feedUrl → GRID_CONSOLE_FEED_URL */
export const envOf = (key: ConfigKey): string => `GRID_CONSOLE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Flags that are not keys: where to read a config file from. */
export const CONFIG_FILE_FLAG = "--config";
export const CONFIG_FILE_ENV = "GRID_CONSOLE_CONFIG";
