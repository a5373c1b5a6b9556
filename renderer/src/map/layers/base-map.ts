import type { Layer } from "@deck.gl/core";
import { MVTLayer, TileLayer } from "@deck.gl/geo-layers";
import { BitmapLayer } from "@deck.gl/layers";
import { MVTLoader } from "@loaders.gl/mvt";
import type { LocalTiles, LocalTilesProblem, MapSettings } from "../../../../shared/bridge/contract.js";
import { fill } from "../../i18n/index.js";
import { validTileTemplate } from "../../../../shared/geo/tiles.js";
import { tileSizeFor } from "./pixel-scale.js";

/*
 * Optional base map, under everything else, off unless configured: the
 * console never asks the internet for tiles. Either a deployment's own XYZ
 * tile server (Web Mercator, WGS84, e.g. an internal OSM render), or a local
 * MBTiles file the console serves itself on the page's own origin
 * (electron/host/tiles.ts): raster through a TileLayer of bitmaps, vector
 * through deck.gl's MVTLayer in a quiet dark style. Tiles in GCJ-02 (AMap,
 * Tencent) would sit hundreds of metres off the grid layer and are not
 * supported.
 */

type Tile = ImageBitmap | HTMLImageElement | null;
type UsableLocalTiles = Extract<LocalTiles, { ok: true }>;

/** Dimmed so the grid colours and markers stay the strongest thing on the wall. */
const RASTER_OPACITY = 0.55;
const RASTER_DESATURATE = 0.6;

/** `pixelScale`: root font size / 16 (pixel-scale.ts), so the tiles' own labels grow with the wall as well. */
export function buildBaseMapLayers(map: MapSettings | undefined, pixelScale = 1, localTemplate: (local: UsableLocalTiles) => string = localTileTemplate): Layer[] {
  if (map?.localTiles?.ok) return buildLocalLayers(map.localTiles, localTemplate(map.localTiles), pixelScale);
  const tiles = map?.tiles;
  if (!tiles || !validTileTemplate(tiles.url)) return [];
  return [
    new TileLayer<Tile>({
      id: "base-tiles",
      data: tiles.url,
      minZoom: 0,
      maxZoom: tiles.maxZoom ?? 18,
      tileSize: tileSizeFor(pixelScale),
      opacity: RASTER_OPACITY,
      renderSubLayers: rasterTile,
    }),
  ];
}

/** The attribution to show under the map for whichever base map is drawn. */
export function baseMapAttribution(map: MapSettings | undefined): string | undefined {
  if (map?.localTiles) return map.localTiles.ok ? map.localTiles.attribution : undefined;
  return map?.tiles && validTileTemplate(map.tiles.url) ? map.tiles.attribution : undefined;
}

const PROBLEM_MESSAGES = {
  unreadable: "baseMapUnreadable",
  "too-large": "baseMapTooLarge",
  "not-sqlite": "baseMapNotSqlite",
  "no-tiles-table": "baseMapNoTiles",
  "no-metadata": "baseMapNoMetadata",
  "bad-format": "baseMapBadFormat",
  "bad-zoom": "baseMapBadZoom",
} as const satisfies Record<LocalTilesProblem, string>;

type NoticeText = Record<"baseMapFailed" | (typeof PROBLEM_MESSAGES)[LocalTilesProblem], string>;

/** Why a configured local base map is not drawn, in the page's language; null when there is nothing to say. */
export function baseMapNotice(map: MapSettings | undefined, text: NoticeText): string | null {
  const local = map?.localTiles;
  if (!local || local.ok) return null;
  const reason = fill(text[PROBLEM_MESSAGES[local.problem]], { detail: local.detail ?? "" });
  return fill(text.baseMapFailed, { file: local.file, reason });
}

/** Where this page finds the local tiles: its own origin, with the file's version so a replaced file is not read from the cache. */
export function localTileTemplate(local: UsableLocalTiles, origin = location.origin): string {
  return `${origin}/tiles/{z}/{x}/{y}?v=${encodeURIComponent(local.version)}`;
}

/**
 * A local tile. On the web host the access cookie (sent with every
 * same-origin fetch) is what lets it through, and it outlives a host restart,
 * so no secret rides in the URL; the Electron shell's app:// needs none.
 */
function fetchLocalTile(url: string, signal: AbortSignal | undefined): Promise<Response> {
  return fetch(url, signal ? { signal } : {});
}

function buildLocalLayers(local: UsableLocalTiles, template: string, pixelScale: number): Layer[] {
  const common = {
    data: template,
    minZoom: local.minZoom,
    maxZoom: local.maxZoom,
    ...(local.bounds ? { extent: local.bounds } : {}),
  };
  if (local.format !== "pbf") {
    return [
      new TileLayer<Tile>({
        ...common,
        id: "base-tiles-local",
        tileSize: tileSizeFor(pixelScale),
        opacity: RASTER_OPACITY,
        // A tile the file lacks (204) is an empty tile, not an error in the console.
        fetch: async (url: string, context: { signal?: AbortSignal }) => {
          const response = await fetchLocalTile(url, context.signal);
          return response.status === 200 ? createImageBitmap(await response.blob()) : null;
        },
        renderSubLayers: rasterTile,
      }),
    ];
  }
  return [
    new MVTLayer({
      ...common,
      id: "base-vector-local",
      tileSize: tileSizeFor(pixelScale),
      // loaders.gl's parser bundled and run here: its default worker would be fetched from a CDN.
      loaders: [MVTLoader],
      loadOptions: { worker: false },
      fetch: async (url: string, context: { signal?: AbortSignal; loadOptions?: { mvt?: object } }) => {
        const response = await fetchLocalTile(url, context.signal);
        const bytes = response.status === 200 ? await response.arrayBuffer() : new ArrayBuffer(0);
        return MVTLoader.parse(bytes, { mvt: { ...MVTLoader.options.mvt, ...context.loadOptions?.mvt } });
      },
      pickable: false,
      filled: true,
      stroked: true,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      pointRadiusUnits: "pixels",
      getPointRadius: 0,
      getFillColor: (feature: StyledFeature) => VECTOR_STYLE[vectorKind(feature)].fill,
      getLineColor: (feature: StyledFeature) => VECTOR_STYLE[vectorKind(feature)].line,
      getLineWidth: (feature: StyledFeature) => lineWidth(feature),
    }),
  ];
}

function rasterTile(props: { id: string; data: unknown; tile: { boundingBox: number[][] } }): BitmapLayer | null {
  if (!props.data) return null;
  const [min = [], max = []] = props.tile.boundingBox;
  return new BitmapLayer({
    id: props.id,
    image: props.data as ImageBitmap,
    bounds: [min[0] ?? 0, min[1] ?? 0, max[0] ?? 0, max[1] ?? 0],
    desaturate: RASTER_DESATURATE,
  });
}

/*
 * The vector style: a night map in dim blue-greys, well below the grid
 * choropleth and the markers. Layer names differ between schemas
 * (OpenMapTiles, Mapbox Streets, Shortbread), so they are matched by what
 * they are about; points and labels are not drawn (the grids carry the names).
 */
type StyledFeature = { properties?: { layerName?: string; class?: string; kind?: string; highway?: string } };
type VectorKind = "water" | "land" | "building" | "road" | "majorRoad" | "boundary" | "other";
type RGBA = [number, number, number, number];

export const VECTOR_STYLE: Record<VectorKind, { fill: RGBA; line: RGBA }> = {
  water: { fill: [22, 44, 70, 255], line: [30, 58, 90, 255] },
  land: { fill: [24, 33, 38, 200], line: [0, 0, 0, 0] },
  building: { fill: [38, 44, 56, 255], line: [46, 53, 67, 255] },
  road: { fill: [0, 0, 0, 0], line: [56, 64, 80, 255] },
  majorRoad: { fill: [0, 0, 0, 0], line: [78, 88, 108, 255] },
  boundary: { fill: [0, 0, 0, 0], line: [70, 72, 96, 200] },
  other: { fill: [28, 32, 40, 160], line: [40, 46, 58, 160] },
};

const MAJOR = /^(motorway|trunk|primary|secondary)/;

export function vectorKind(feature: StyledFeature): VectorKind {
  const layer = (feature.properties?.layerName ?? "").toLowerCase();
  if (layer.includes("water") || layer.includes("ocean")) return "water";
  if (layer.includes("build")) return "building";
  if (/road|street|transport|highway/.test(layer)) {
    const kind = feature.properties?.class ?? feature.properties?.kind ?? feature.properties?.highway ?? "";
    return MAJOR.test(kind) ? "majorRoad" : "road";
  }
  if (/bound|admin/.test(layer)) return "boundary";
  if (/land|park|green|wood|grass/.test(layer)) return "land";
  return "other";
}

function lineWidth(feature: StyledFeature): number {
  const kind = vectorKind(feature);
  return kind === "majorRoad" ? 2.5 : kind === "road" || kind === "water" ? 1.2 : 1;
}
