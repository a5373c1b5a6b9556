import type { Layer } from "@deck.gl/core";
import { IconLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { IconAtlas } from "./icons.js";
import { HEADING_ICON, MAP_FONT, roleIconId } from "./icons.js";
import type { TrailAttributes } from "./trails.js";
import type { UnitRoster } from "./units.js";
import { roleAt, UNIT_RADIUS_PX, UnitAttributes } from "./units.js";

/*
 * Patrol staff layers over the binary buffers of `UnitAttributes`. The data
 * object keeps its identity while the slot layout stays the same; a position
 * update swaps in fresh wrappers around the same typed arrays (deck.gl tells a
 * changed binary attribute by the wrapper's identity) and bumps the update
 * triggers, so only those attributes are uploaded again.
 */

type Binary<T extends Float64Array | Float32Array | Uint8Array> = { value: T; size: number; normalized?: boolean };
export type UnitBinaryData = {
  length: number;
  attributes: {
    getPosition: Binary<Float64Array>;
    getFillColor: Binary<Uint8Array>;
    getLineColor: Binary<Uint8Array>;
    getRadius: Binary<Float32Array>;
    getAngle: Binary<Float32Array>;
    getSize: Binary<Float32Array>;
    getColor: Binary<Uint8Array>;
  };
};

const wrap = (a: UnitAttributes): UnitBinaryData["attributes"] => ({
  getPosition: { value: a.positions, size: 2 },
  getFillColor: { value: a.fillColors, size: 4, normalized: true },
  getLineColor: { value: a.lineColors, size: 4, normalized: true },
  getRadius: { value: a.radii, size: 1 },
  getAngle: { value: a.angles, size: 1 },
  getSize: { value: a.headingSizes, size: 1 },
  getColor: { value: a.fillColors, size: 4, normalized: true },
});

export type RoleBinaryData = { length: number; attributes: { getPosition: Binary<Float64Array>; getSize: Binary<Float32Array> } };

/** Keeps the deck.gl data objects of the units: replaced when the slot layout changes, re-wrapped on every build. */
export class UnitDeckData {
  private layout = -1;
  bodies: UnitBinaryData = { length: 0, attributes: wrap(new UnitAttributes()) };
  roles: RoleBinaryData = { length: 0, attributes: { getPosition: this.bodies.attributes.getPosition, getSize: this.bodies.attributes.getRadius } };

  sync(attributes: UnitAttributes): void {
    const wrapped = wrap(attributes);
    const roles = { getPosition: wrapped.getPosition, getSize: wrapped.getRadius };
    if (attributes.layout !== this.layout) {
      this.layout = attributes.layout;
      this.bodies = { length: attributes.length, attributes: wrapped };
      this.roles = { length: attributes.length, attributes: roles };
    } else {
      this.bodies.attributes = wrapped;
      this.roles.attributes = roles;
    }
  }
}

export type TrailBinaryData = { length: number; startIndices: Uint32Array; attributes: { getPath: Binary<Float64Array>; getColor: Binary<Uint8Array> } };

export function trailDeckData(trails: TrailAttributes): TrailBinaryData {
  return {
    length: trails.length,
    startIndices: trails.startIndices.subarray(0, trails.length + 1),
    attributes: {
      getPath: { value: trails.positions.subarray(0, trails.vertices * 2), size: 2 },
      getColor: { value: trails.colors.subarray(0, trails.vertices * 4), size: 4, normalized: true },
    },
  };
}

export type SosMarker = { slot: number; position: [number, number]; label: string };

export type UnitLayerInput = {
  data: UnitDeckData;
  version: number;
  roster: UnitRoster;
  rosterKey: string;
  trails: TrailBinaryData | null;
  sos: SosMarker[];
  /** 0..1, advanced by a slow timer while something pulses. */
  pulse: number;
  selected: { position: [number, number] } | null;
  atlas: IconAtlas;
  atlasKey: string;
  zoom: number;
  /**
   * Root font size / 16 (pixel-scale.ts). Applied through the layers' scale
   * props, never written into the radius and size buffers: a resize changes
   * uniforms only and uploads no attribute.
   */
  pixelScale: number;
};

/** Trails are drawn (and copied) from this zoom in. */
export const TRAIL_MIN_ZOOM = 13.5;

/** Units shrink when zoomed far out (a city of staff), and lose glyph and arrow where they would be unreadable. */
export const unitScale = (zoom: number): number => (zoom < 13 ? 0.45 : zoom < 14 ? 0.7 : 1);

/** Staff layers: `under` the case markers, and the SOS and selection marks `over` everything. */
export function buildUnitLayers(input: UnitLayerInput): { under: Layer[]; over: Layer[] } {
  const { data: deckData, version, roster, rosterKey, trails, sos, pulse, selected, atlas, atlasKey, zoom, pixelScale } = input;
  const data = deckData.bodies;
  const scale = unitScale(zoom) * pixelScale;
  const detailed = zoom >= 13;
  const fetchAtlas = () => atlas.canvas;
  const under = [
    new PathLayer({
      id: "unit-trails",
      data: trails ?? { length: 0, startIndices: new Uint32Array(1), attributes: { getPath: { value: new Float64Array(0), size: 2 } } },
      _pathType: "open",
      getWidth: 2,
      widthUnits: "pixels",
      widthScale: pixelScale,
      jointRounded: true,
      capRounded: true,
      visible: trails !== null && zoom >= TRAIL_MIN_ZOOM,
    }),
    new ScatterplotLayer({
      id: "unit-bodies",
      data,
      radiusUnits: "pixels",
      radiusScale: scale,
      stroked: true,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 2,
      pickable: true,
      updateTriggers: { getPosition: version, getFillColor: version, getLineColor: version, getRadius: version },
    }),
    new IconLayer({
      id: "unit-headings",
      data,
      iconAtlas: `atlas:units:${atlasKey}`,
      iconMapping: atlas.mapping,
      fetch: fetchAtlas,
      getIcon: () => HEADING_ICON,
      sizeUnits: "pixels",
      sizeScale: scale,
      visible: detailed,
      updateTriggers: { getPosition: version, getAngle: version, getSize: version, getColor: version },
    }),
    new IconLayer({
      id: "unit-roles",
      data: deckData.roles,
      iconAtlas: `atlas:units:${atlasKey}`,
      iconMapping: atlas.mapping,
      fetch: fetchAtlas,
      getIcon: (_: unknown, { index }: { index: number }) => roleIconId(roleAt(roster, index)),
      sizeUnits: "pixels",
      sizeScale: 2.3 * pixelScale,
      visible: detailed,
      updateTriggers: { getIcon: `${rosterKey}:${atlasKey}`, getPosition: version, getSize: version },
    }),
  ];
  const over = [
    new ScatterplotLayer<SosMarker>({
      id: "unit-sos-pulse",
      data: sos,
      getPosition: (d) => d.position,
      getRadius: 16 + 26 * pulse,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      filled: true,
      getFillColor: [213, 94, 0, Math.round(120 * (1 - pulse))],
      stroked: true,
      getLineColor: [255, 255, 255, Math.round(255 * (1 - pulse))],
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 3,
      pickable: true,
      updateTriggers: { getRadius: pulse, getFillColor: pulse, getLineColor: pulse },
    }),
    new TextLayer<SosMarker>({
      id: "unit-sos-labels",
      data: sos,
      getPosition: (d) => d.position,
      getText: (d) => d.label,
      getSize: 16,
      sizeUnits: "pixels",
      sizeScale: pixelScale,
      getColor: [255, 255, 255, 255],
      background: true,
      getBackgroundColor: [190, 60, 0, 240],
      backgroundPadding: [6 * pixelScale, 3 * pixelScale],
      getPixelOffset: [0, -(UNIT_RADIUS_PX + 24) * pixelScale],
      characterSet: "auto",
      fontFamily: MAP_FONT,
      fontWeight: 700,
      pickable: true,
    }),
    new ScatterplotLayer<{ position: [number, number] }>({
      id: "unit-selected",
      data: selected ? [selected] : [],
      getPosition: (d) => d.position,
      getRadius: UNIT_RADIUS_PX + 7,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      filled: false,
      stroked: true,
      getLineColor: [0, 229, 255, 255],
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 3,
    }),
  ];
  return { under, over };
}
