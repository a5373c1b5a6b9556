import type { Layer } from "@deck.gl/core";
import { TileLayer } from "@deck.gl/geo-layers";
import { BitmapLayer } from "@deck.gl/layers";
import type { MapSettings } from "../../../../shared/bridge/contract.js";
import { validTileTemplate } from "../../../../shared/geo/tiles.js";
import { tileSizeFor } from "./pixel-scale.js";

/*
 * Optional base map from a deployment's own XYZ tile server (Web Mercator,
 * WGS84, e.g. an internal OSM render). Off unless configured: the console
 * never asks the internet for tiles. Tiles in GCJ-02 (AMap, Tencent) would sit
 * hundreds of metres off the grid layer and are not supported; offline
 * MBTiles are not served yet.
 */

type Tile = ImageBitmap | HTMLImageElement | null;

/** `pixelScale`: root font size / 16 (pixel-scale.ts), so the tiles' own labels grow with the wall as well. */
export function buildBaseMapLayers(tiles: MapSettings["tiles"], pixelScale = 1): Layer[] {
  if (!tiles || !validTileTemplate(tiles.url)) return [];
  return [
    new TileLayer<Tile>({
      id: "base-tiles",
      data: tiles.url,
      minZoom: 0,
      maxZoom: tiles.maxZoom ?? 18,
      tileSize: tileSizeFor(pixelScale),
      // Dimmed so the grid colours and markers stay the strongest thing on the wall.
      opacity: 0.55,
      renderSubLayers: (props) => {
        const [min, max] = props.tile.boundingBox;
        return new BitmapLayer({
          id: props.id,
          image: props.data,
          bounds: [min[0] ?? 0, min[1] ?? 0, max[0] ?? 0, max[1] ?? 0],
          desaturate: 0.6,
        });
      },
    }),
  ];
}
