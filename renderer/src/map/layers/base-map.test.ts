import { describe, expect, it } from "vitest";
import { TileLayer } from "@deck.gl/geo-layers";
import { buildBaseMapLayers, validTileTemplate } from "./base-map.js";

describe("base map", () => {
  it("draws nothing unless a tile server is configured", () => {
    expect(buildBaseMapLayers(undefined)).toEqual([]);
  });

  it("accepts only http(s) templates naming z, x and y", () => {
    expect(validTileTemplate("https://tiles.local/{z}/{x}/{y}.png")).toBe(true);
    expect(validTileTemplate("https://tiles.local/{z}/{x}.png")).toBe(false);
    expect(validTileTemplate("file:///etc/{z}/{x}/{y}")).toBe(false);
    expect(buildBaseMapLayers({ url: "tiles/{z}/{x}/{y}.png" })).toEqual([]);
  });

  it("makes one tile layer under everything for a configured server", () => {
    const layers = buildBaseMapLayers({ url: "http://10.0.0.5/tiles/{z}/{x}/{y}.png", maxZoom: 17 });
    expect(layers.map((l) => l.id)).toEqual(["base-tiles"]);
    const [tiles] = layers;
    expect(tiles).toBeInstanceOf(TileLayer);
    if (tiles instanceof TileLayer) expect(tiles.props.maxZoom).toBe(17);
  });
});
