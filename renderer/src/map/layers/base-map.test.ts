import { describe, expect, it } from "vitest";
import { TileLayer } from "@deck.gl/geo-layers";
import { buildBaseMapLayers } from "./base-map.js";

describe("base map", () => {
  it("draws nothing unless a tile server is configured", () => {
    expect(buildBaseMapLayers(undefined)).toEqual([]);
  });

  it("draws nothing for a template that is not an http(s) XYZ template (shared/geo/tiles.ts)", () => {
    expect(buildBaseMapLayers({ url: "tiles/{z}/{x}/{y}.png" })).toEqual([]);
    expect(buildBaseMapLayers({ url: "https://tiles.local/{z}/{x}.png" })).toEqual([]);
  });

  it("makes one tile layer under everything for a configured server", () => {
    const layers = buildBaseMapLayers({ url: "http://10.0.0.5/tiles/{z}/{x}/{y}.png", maxZoom: 17 });
    expect(layers.map((l) => l.id)).toEqual(["base-tiles"]);
    const [tiles] = layers;
    expect(tiles).toBeInstanceOf(TileLayer);
    if (tiles instanceof TileLayer) expect(tiles.props.maxZoom).toBe(17);
  });

  it("draws tiles twice as large on a 4K wall, so their own labels keep the wall's proportions", () => {
    const [at1] = buildBaseMapLayers({ url: "http://10.0.0.5/tiles/{z}/{x}/{y}.png" }, 1);
    const [at2] = buildBaseMapLayers({ url: "http://10.0.0.5/tiles/{z}/{x}/{y}.png" }, 2);
    expect(at1?.id).toBe(at2?.id);
    if (at1 instanceof TileLayer && at2 instanceof TileLayer) expect([at1.props.tileSize, at2.props.tileSize]).toEqual([256, 512]);
    else expect.unreachable("a tile layer at both scales");
  });
});
