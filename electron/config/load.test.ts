import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEY_NAMES, envOf, flagOf } from "./keys.js";
import { ConfigError, loadConfig, type LoadConfigInput } from "./load.js";

const base = (overrides: Partial<LoadConfigInput> = {}): LoadConfigInput => {
  const cwd = mkdtempSync(path.join(tmpdir(), "config-"));
  return { argv: [], env: {}, cwd, appRoot: "/app", defaultDataDir: ".data", ...overrides };
};

describe("loadConfig", () => {
  it("applies defaults, with resource paths under the app root and the data dir under cwd", () => {
    const input = base();
    const config = loadConfig(input);
    expect(config).toMatchObject({
      port: 0,
      language: "zh-CN",
      dataDir: path.join(input.cwd, ".data"),
      regionLayer: "/app/resources/region/dongcheng.geojson",
      categoriesCsv: "/app/resources/data/event-categories.csv",
      regionLayerIsDefault: true,
      alertSound: true,
      wallDisplay: "auto",
    });
    expect(config.feedUrl).toBeUndefined();
  });

  it("lets flags win over the environment, and the environment over the config file", () => {
    const input = base();
    const file = path.join(input.cwd, "console.json");
    writeFileSync(file, JSON.stringify({ port: 1000, language: "en", subCenterName: "文件", retentionDays: 30 }));
    const config = loadConfig({
      ...input,
      argv: ["--config", file, "--port", "3000"],
      env: { GRID_CONSOLE_PORT: "2000", GRID_CONSOLE_SUB_CENTER_NAME: "环境" },
    });
    expect(config).toMatchObject({ port: 3000, subCenterName: "环境", language: "en", retentionDays: 30, configFile: file });
  });

  it("reads <dataDir>/config.json when no --config is given, resolving its paths against its own folder", () => {
    const input = base();
    const dataDir = path.join(input.cwd, "data");
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ regionLayer: "layers/mine.geojson", wallView: "briefing" }));
    const config = loadConfig({ ...input, argv: ["--data-dir", "data"] });
    expect(config.regionLayer).toBe(path.join(dataDir, "layers", "mine.geojson"));
    expect(config.regionLayerIsDefault).toBe(false);
    expect(config.wallView).toBe("briefing");
  });

  it("reads the map keys: a WGS84 feed and no tile server unless configured", () => {
    const defaults = loadConfig(base());
    expect(defaults.feedCoordinates).toBe("wgs84");
    expect(defaults.mapTilesUrl).toBeUndefined();
    const configured = loadConfig(base({
      argv: ["--feed-coordinates", "gcj02", "--map-tiles-url", "http://10.0.0.5:8080/osm/{z}/{x}/{y}.png", "--map-tiles-max-zoom", "17"],
      env: { GRID_CONSOLE_MAP_TILES_ATTRIBUTION: "© OpenStreetMap contributors" },
    }));
    expect(configured).toMatchObject({ feedCoordinates: "gcj02", mapTilesUrl: "http://10.0.0.5:8080/osm/{z}/{x}/{y}.png", mapTilesMaxZoom: 17, mapTilesAttribution: "© OpenStreetMap contributors" });
  });

  it("reads mapTilesFile as a path, resolved against the config file's folder, and refuses one that cannot be read or comes with mapTilesUrl", () => {
    const input = base();
    mkdirSync(path.join(input.cwd, "maps"));
    writeFileSync(path.join(input.cwd, "maps", "dongcheng.mbtiles"), "checked when opened, not here");
    const file = path.join(input.cwd, "console.json");
    writeFileSync(file, JSON.stringify({ mapTilesFile: "maps/dongcheng.mbtiles" }));
    expect(loadConfig({ ...input, argv: ["--config", file] }).mapTilesFile).toBe(path.join(input.cwd, "maps", "dongcheng.mbtiles"));
    expect(() => loadConfig({ ...input, argv: ["--map-tiles-file", "maps/absent.mbtiles"] })).toThrow(
      `mapTilesFile (from flag --map-tiles-file): cannot read ${path.join(input.cwd, "maps", "absent.mbtiles")} (ENOENT)`,
    );
    expect(() => loadConfig({ ...input, env: { GRID_CONSOLE_MAP_TILES_FILE: "maps" } })).toThrow(/mapTilesFile \(from environment GRID_CONSOLE_MAP_TILES_FILE\): cannot read .*maps \(not a file\)/);
    expect(() => loadConfig({ ...input, argv: ["--config", file, "--map-tiles-url", "http://10.0.0.5/{z}/{x}/{y}.png"] })).toThrow(
      /mapTilesFile \(from config file .*console\.json\): cannot be set together with mapTilesUrl/,
    );
  });

  it("accepts --flag=value, bare boolean flags and --no- negation", () => {
    expect(loadConfig(base({ argv: ["--port=8080", "--no-alert-sound"] }))).toMatchObject({ port: 8080, alertSound: false });
    expect(loadConfig(base({ argv: ["--alert-sound", "--port", "1"] })).alertSound).toBe(true);
    expect(loadConfig(base({ argv: ["--wall-display", "2", "--operator-display", "none"] }))).toMatchObject({ wallDisplay: 2, operatorDisplay: "none" });
  });

  it.each([
    [{ argv: ["--port", "abc"] }, /port \(from flag --port\): .*expected number.*"abc"/i],
    [{ argv: ["--port", "70000"] }, /port \(from flag --port\): Too big/],
    [{ env: { GRID_CONSOLE_LANGUAGE: "fr" } }, /language \(from environment GRID_CONSOLE_LANGUAGE\): Invalid option/],
    [{ argv: ["--feed-url", "ftp://x"] }, /feedUrl \(from flag --feed-url\): must be an http/],
    [{ argv: ["--feed-url", "http://127.0.0.1:9"] }, /token: is required when feedUrl is set \(GRID_CONSOLE_TOKEN, the config file's token, or tokenFile\)/],
    [{ argv: ["--feed-url", "http://10.0.0.5:3000"], env: { GRID_CONSOLE_TOKEN: "t" } }, /feedUrl \(from flag --feed-url\): must be https:\/\/ for a host other than this machine/],
    [{ argv: ["--feed-url", "http://127.0.0.1:9", "--demo"], env: { GRID_CONSOLE_TOKEN: "t" } }, /demo \(from flag --demo\): cannot be set together with feedUrl/],
    [{ argv: ["--prot", "1"] }, /unknown flag --prot/],
    [{ env: { GRID_CONSOLE_PROT: "1" } }, /unknown environment variable GRID_CONSOLE_PROT/],
    [{ argv: ["--token"] }, /--token is not accepted on the command line/],
    [{ argv: ["--port", "1", "--token=abc"] }, /--token is not accepted on the command line/],
    [{ argv: ["serve"] }, /unexpected argument "serve"/],
    [{ argv: ["--wall-display", "1", "--operator-display", "1"] }, /operatorDisplay \(from flag --operator-display\): must differ from wallDisplay/],
    [{ argv: ["--feed-coordinates", "bd09"] }, /feedCoordinates \(from flag --feed-coordinates\): Invalid option/],
    [{ argv: ["--map-tiles-url", "file:///srv/tiles/{z}/{x}/{y}.png"] }, /mapTilesUrl \(from flag --map-tiles-url\): must be an http/],
    [{ env: { GRID_CONSOLE_MAP_TILES_URL: "http://10.0.0.5/osm/{z}/{x}.png" } }, /mapTilesUrl \(from environment GRID_CONSOLE_MAP_TILES_URL\): must be an XYZ tile template/],
    [{ argv: ["--map-tiles-url", "http://10.0.0.5/{z}/{x}/{y}.png", "--map-tiles-max-zoom", "23"] }, /mapTilesMaxZoom \(from flag --map-tiles-max-zoom\): Too big/],
    [{ argv: ["--map-tiles-attribution", "© OSM"] }, /mapTilesAttribution \(from flag --map-tiles-attribution\): needs mapTilesUrl/],
    [{ argv: ["--map-tiles-max-zoom", "17"] }, /mapTilesMaxZoom \(from flag --map-tiles-max-zoom\): needs mapTilesUrl/],
    [{ argv: ["--map-home-area", "东直门街道"] }, /mapHomeArea \(from flag --map-home-area\): must be a 9-digit street or 12-digit community code/],
    [{ env: { GRID_CONSOLE_MAP_HOME_AREA: "1101010060" } }, /mapHomeArea \(from environment GRID_CONSOLE_MAP_HOME_AREA\): must be a 9-digit street/],
  ])("refuses %j with a message naming the key and why", (overrides, message) => {
    expect(() => loadConfig(base(overrides))).toThrow(ConfigError);
    expect(() => loadConfig(base(overrides))).toThrow(message);
  });

  it("names the file and the key for a bad config file", () => {
    const input = base();
    const file = path.join(input.cwd, "bad.json");
    writeFileSync(file, JSON.stringify({ retentionDays: "soon" }));
    expect(() => loadConfig({ ...input, argv: ["--config", file] })).toThrow(`retentionDays (from config file ${file}): Invalid input: expected number`);
    writeFileSync(file, JSON.stringify({ retentiondays: 3 }));
    expect(() => loadConfig({ ...input, argv: ["--config", file] })).toThrow(/unknown key "retentiondays"/);
    writeFileSync(file, "{ nope");
    expect(() => loadConfig({ ...input, argv: ["--config", file] })).toThrow(/is not valid JSON/);
    expect(() => loadConfig({ ...input, argv: ["--config", path.join(input.cwd, "absent.json")] })).toThrow(/cannot read .*ENOENT/);
  });

  it("takes --demo as a boolean, false unless asked for", () => {
    expect(loadConfig(base()).demo).toBe(false);
    expect(loadConfig(base({ argv: ["--demo"] })).demo).toBe(true);
    expect(loadConfig(base({ env: { GRID_CONSOLE_DEMO: "true" } })).demo).toBe(true);
  });

  it("refuses the token on the command line, naming every place it may come from, and never repeats it", () => {
    const refusal = (() => {
      try {
        loadConfig(base({ argv: ["--feed-url", "https://grid.example", "--token", "s3cret-token-value"] }));
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(ConfigError);
    const message = (refusal as Error).message;
    for (const place of ["GRID_CONSOLE_TOKEN", '"token"', "tokenFile", "--token-file"]) expect(message).toContain(place);
    expect(message).not.toContain("s3cret-token-value");
  });

  it("takes the token from the environment, the config file or a token file, with https for any host but this one", () => {
    const input = base();
    expect(loadConfig({ ...input, argv: ["--feed-url", "https://grid.example"], env: { GRID_CONSOLE_TOKEN: "from-env" } }).token).toBe("from-env");
    const file = path.join(input.cwd, "console.json");
    writeFileSync(file, JSON.stringify({ feedUrl: "http://[::1]:3000", token: "from-file" }));
    expect(loadConfig({ ...input, argv: ["--config", file] }).token).toBe("from-file");
    const tokenFile = path.join(input.cwd, "feed-token");
    writeFileSync(tokenFile, "from-token-file\nignored\n", { mode: 0o600 });
    const config = loadConfig({ ...input, argv: ["--feed-url", "http://localhost:3000", "--token-file", "feed-token"] });
    expect(config.token).toBe("from-token-file");
    expect(config).not.toHaveProperty("tokenFile");
    expect(() => loadConfig({ ...input, argv: ["--feed-url", "https://grid.example", "--token-file", "absent"] })).toThrow(/tokenFile \(from flag --token-file\): cannot read .*absent \(ENOENT\)/);
    expect(() => loadConfig({ ...input, argv: ["--config", file, "--token-file", "feed-token"] })).toThrow(/tokenFile .*cannot be set together with token/);
  });

  it("never prints the token in a configuration error, nor a password inside a URL", () => {
    const input = base();
    const file = path.join(input.cwd, "bad.json");
    writeFileSync(file, '{ "feedUrl": "https://grid.example", "token": s3cret-token-value }');
    const messageOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    };
    const badJson = messageOf(() => loadConfig({ ...input, argv: ["--config", file] }));
    expect(badJson).toMatch(/is not valid JSON/);
    expect(badJson).not.toContain("s3cret");
    const badToken = messageOf(() => loadConfig({ ...input, argv: ["--feed-url", "https://grid.example"], env: { GRID_CONSOLE_TOKEN: "x".repeat(5000) } }));
    expect(badToken).toMatch(/^configuration: token \(from environment GRID_CONSOLE_TOKEN\): Too big/);
    expect(badToken).not.toContain("xxxx");
    const badUrl = messageOf(() => loadConfig({ ...input, argv: ["--feed-url", "http://user:s3cret@10.0.0.5/"], env: { GRID_CONSOLE_TOKEN: "t" } }));
    expect(badUrl).toMatch(/feedUrl/);
    expect(badUrl).not.toContain("s3cret");
  });

  it("derives one flag and one environment variable per key", () => {
    expect(flagOf("feedUrl")).toBe("--feed-url");
    expect(envOf("briefingIntervalSeconds")).toBe("GRID_CONSOLE_BRIEFING_INTERVAL_SECONDS");
    expect(new Set(CONFIG_KEY_NAMES.map(flagOf)).size).toBe(CONFIG_KEY_NAMES.length);
  });
});
