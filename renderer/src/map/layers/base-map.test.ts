import { describe, expect, it } from "vitest";
import { MVTLayer, TileLayer } from "@deck.gl/geo-layers";
import { MVTLoader } from "@loaders.gl/mvt";
import type { LocalTiles, MapSettings } from "../../../../shared/bridge/contract.js";
import { mapMessages } from "../messages.js";
import { baseMapAttribution, baseMapNotice, buildBaseMapLayers, localTileTemplate, vectorKind, VECTOR_STYLE } from "./base-map.js";

const server = (url: string, extra: Omit<NonNullable<MapSettings["tiles"]>, "url"> = {}): MapSettings => ({ tiles: { url, ...extra } });
const RASTER: Extract<LocalTiles, { ok: true }> = { ok: true, format: "png", minZoom: 11, maxZoom: 17, version: "abc-1", bounds: [116.38, 39.86, 116.45, 39.97], attribution: "© 测绘院" };
const VECTOR: Extract<LocalTiles, { ok: true }> = { ok: true, format: "pbf", minZoom: 0, maxZoom: 14, version: "v-2" };
const template = () => "http://127.0.0.1:9/tiles/{z}/{x}/{y}?v=1";

describe("base map from a tile server", () => {
  it("draws nothing unless a base map is configured", () => {
    expect(buildBaseMapLayers(undefined)).toEqual([]);
    expect(buildBaseMapLayers({ feedCoordinates: "wgs84" })).toEqual([]);
  });

  it("draws nothing for a template that is not an http(s) XYZ template (shared/geo/tiles.ts)", () => {
    expect(buildBaseMapLayers(server("tiles/{z}/{x}/{y}.png"))).toEqual([]);
    expect(buildBaseMapLayers(server("https://tiles.local/{z}/{x}.png"))).toEqual([]);
  });

  it("makes one tile layer under everything for a configured server", () => {
    const layers = buildBaseMapLayers(server("http://10.0.0.5/tiles/{z}/{x}/{y}.png", { maxZoom: 17 }));
    expect(layers.map((l) => l.id)).toEqual(["base-tiles"]);
    const [tiles] = layers;
    expect(tiles).toBeInstanceOf(TileLayer);
    if (tiles instanceof TileLayer) expect(tiles.props.maxZoom).toBe(17);
  });

  it("draws tiles twice as large on a 4K wall, so their own labels keep the wall's proportions", () => {
    const [at1] = buildBaseMapLayers(server("http://10.0.0.5/tiles/{z}/{x}/{y}.png"), 1);
    const [at2] = buildBaseMapLayers(server("http://10.0.0.5/tiles/{z}/{x}/{y}.png"), 2);
    expect(at1?.id).toBe(at2?.id);
    if (at1 instanceof TileLayer && at2 instanceof TileLayer) expect([at1.props.tileSize, at2.props.tileSize]).toEqual([256, 512]);
    else expect.unreachable("a tile layer at both scales");
  });
});

describe("base map from a local MBTiles file", () => {
  it("draws raster tiles from the console's own origin within the file's zoom range and bounds", () => {
    const layers = buildBaseMapLayers({ localTiles: RASTER }, 2, template);
    expect(layers.map((l) => l.id)).toEqual(["base-tiles-local"]);
    const [layer] = layers;
    if (!(layer instanceof TileLayer) || layer instanceof MVTLayer) return expect.unreachable("a raster tile layer");
    expect(layer.props).toMatchObject({ data: template(), minZoom: 11, maxZoom: 17, extent: RASTER.bounds, tileSize: 512 });
    expect(baseMapAttribution({ localTiles: RASTER })).toBe("© 测绘院");
  });

  it("draws vector tiles with deck.gl's MVTLayer and loaders.gl's parser on this thread, never a worker from a CDN", () => {
    const [layer] = buildBaseMapLayers({ localTiles: VECTOR }, 1, template);
    if (!(layer instanceof MVTLayer)) return expect.unreachable("an MVT layer");
    expect(layer.id).toBe("base-vector-local");
    expect(layer.props).toMatchObject({ data: template(), minZoom: 0, maxZoom: 14, pickable: false });
    expect(layer.props.loaders).toEqual([MVTLoader]);
    expect(layer.props.loadOptions).toMatchObject({ worker: false });
    expect(baseMapAttribution({ localTiles: VECTOR })).toBeUndefined();
  });

  it("finds the tiles on the page's own origin, versioned, with no secret in the URL", () => {
    expect(localTileTemplate(RASTER, "http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080/tiles/{z}/{x}/{y}?v=abc-1");
    expect(localTileTemplate(VECTOR, "app://console")).toBe("app://console/tiles/{z}/{x}/{y}?v=v-2");
  });

  it("explains an unusable file in both languages, and draws nothing for it", () => {
    const broken: MapSettings = { localTiles: { ok: false, problem: "bad-format", file: "dongcheng.mbtiles", detail: "svg" } };
    expect(buildBaseMapLayers(broken, 1, template)).toEqual([]);
    expect(baseMapNotice(broken, mapMessages["zh-CN"])).toBe("底图不可用（dongcheng.mbtiles）：瓦片格式“svg”不受支持（应为 png、jpg、webp 或 pbf）");
    expect(baseMapNotice(broken, mapMessages.en)).toBe('No base map (dongcheng.mbtiles): tile format "svg" is not supported (png, jpg, webp or pbf)');
    expect(baseMapNotice({ localTiles: RASTER }, mapMessages.en)).toBeNull();
    expect(baseMapNotice(undefined, mapMessages.en)).toBeNull();
  });

  it("styles vector layers of the common schemas by what they are about, dim under the grids", () => {
    const kind = (layerName: string, cls?: string) => vectorKind({ properties: { layerName, ...(cls ? { class: cls } : {}) } });
    expect([kind("water"), kind("water_polygons"), kind("building"), kind("landcover"), kind("park"), kind("boundary")]).toEqual(["water", "water", "building", "land", "land", "boundary"]);
    expect([kind("transportation", "primary"), kind("road", "service"), kind("streets", "motorway_link"), kind("poi")]).toEqual(["majorRoad", "road", "majorRoad", "other"]);
    // Quiet: nothing in the style is brighter than a mid grey.
    for (const { fill, line } of Object.values(VECTOR_STYLE)) expect(Math.max(...fill.slice(0, 3), ...line.slice(0, 3))).toBeLessThan(128);
  });

  it("parses a vector tile it fetched, and takes an empty body as an empty tile rather than an error", async () => {
    // One "water" layer with a lake covering the tile, as electron/engine/testing/mbtiles-fixtures.ts encodes it (spec 2.1).
    const mvt = "GjN4AgoFd2F0ZXISFhICAAAYAyIOCQAAGoBAAACAQP8/AA8aBWNsYXNzIgYKBGxha2UogCA=";
    const [layer] = buildBaseMapLayers({ localTiles: VECTOR }, 1, template);
    const fetchTile = layer?.props.fetch as (url: string, context: object) => Promise<unknown>;
    const loadOptions = { mvt: { shape: "geojson", coordinates: "local" } };
    const tile = (await fetchTile(`data:application/x-protobuf;base64,${mvt}`, { loadOptions })) as { properties: Record<string, string>; geometry: { type: string } }[];
    expect(tile.map((f) => [f.properties.layerName, f.properties.class, f.geometry.type])).toEqual([["water", "lake", "Polygon"]]);
    expect(await fetchTile("data:application/x-protobuf,", { loadOptions })).toEqual([]);
  });
});
