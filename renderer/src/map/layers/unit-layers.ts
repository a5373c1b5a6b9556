import type { Layer } from "@deck.gl/core";
import { IconLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { IconAtlas } from "./icons.js";
import type { Bounds, GlyphObstacle } from "./label-placement.js";
import { HEADING_ICON, MAP_FONT, roleIconId } from "./icons.js";
import type { TrailAttributes } from "./trails.js";
import type { MergedUnits, UnitCluster } from "./unit-clusters.js";
import { clusterRadiusPx } from "./unit-clusters.js";
import type { UnitRoster } from "./units.js";
import { roleAt, UNIT_COLORS, UNIT_RADIUS_PX, UnitAttributes } from "./units.js";

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

/**
 * The staff drawn alone: the unit buffers with radius and heading size taken
 * from the merge (0 for a unit inside a merged glyph, which then draws no
 * body, arrow or role glyph and cannot be picked). Same identity rules as
 * `UnitDeckData`: a new object only when the unit layout changes.
 */
export class ShownUnitData {
  private base: UnitBinaryData | null = null;
  bodies: UnitBinaryData = { length: 0, attributes: wrap(new UnitAttributes()) };
  roles: RoleBinaryData = { length: 0, attributes: { getPosition: this.bodies.attributes.getPosition, getSize: this.bodies.attributes.getRadius } };

  sync(deck: UnitDeckData, merged: Pick<MergedUnits, "radii" | "headingSizes">): void {
    const radius = { value: merged.radii, size: 1 };
    const attributes = { ...deck.bodies.attributes, getRadius: radius, getSize: { value: merged.headingSizes, size: 1 } };
    const roles = { getPosition: attributes.getPosition, getSize: radius };
    if (deck.bodies !== this.base) {
      this.base = deck.bodies;
      this.bodies = { length: deck.bodies.length, attributes };
      this.roles = { length: deck.bodies.length, attributes: roles };
    } else {
      this.bodies.attributes = attributes;
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
  data: ShownUnitData;
  version: number;
  /** The merge the data was synced with: its version triggers the radius and heading buffers, its clusters are drawn. */
  merged: Pick<MergedUnits, "version" | "clusters">;
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

/** A role icon's size: the body's radius times this (the unit-roles layer's size scale). */
const ROLE_ICON_SCALE = 2.3;

/**
 * The staff glyphs drawn at `zoom`, as obstacles for the area names
 * (label-placement.ts): a merged glyph with its outer ring; a lone unit's
 * disc, and from zoom 13 its role icon and heading arrow, at the sizes the
 * layers below draw them (design pixels, before the pixel scale).
 */
export function staffGlyphObstacles(merged: Pick<MergedUnits, "radii" | "headingSizes" | "clusters">, positions: Float64Array, zoom: number, bounds?: Bounds | null): GlyphObstacle[] {
  const scale = unitScale(zoom);
  const detailed = zoom >= 13;
  // Only those in `bounds` (the names' box grown by their reach, label-placement.ts): a city's 62,000 staff are not all near the view.
  const [west, south, east, north] = bounds ?? [-Infinity, -Infinity, Infinity, Infinity];
  const inside = (lon: number, lat: number) => lon >= west && lon <= east && lat >= south && lat <= north;
  const glyphs: GlyphObstacle[] = [];
  for (const c of merged.clusters) if (inside(c.position[0], c.position[1])) glyphs.push({ position: c.position, radius: clusterRadiusPx(c.count) + 4 });
  const slots = Math.min(merged.radii.length, positions.length / 2);
  for (let slot = 0; slot < slots; slot++) {
    const r = merged.radii[slot] as number;
    if (!(r > 0) || !inside(positions[slot * 2] as number, positions[slot * 2 + 1] as number)) continue;
    const drawn = detailed ? Math.max((ROLE_ICON_SCALE * r) / 2, ((merged.headingSizes[slot] as number) / 2) * scale) : 0;
    glyphs.push({ position: [positions[slot * 2] as number, positions[slot * 2 + 1] as number], radius: Math.max((r + 1) * scale, drawn) });
  }
  return glyphs;
}

/** Staff layers: `under` the case markers, and the SOS and selection marks `over` everything. */
export function buildUnitLayers(input: UnitLayerInput): { under: Layer[]; over: Layer[] } {
  const { data: deckData, version, merged, roster, rosterKey, trails, sos, pulse, selected, atlas, atlasKey, zoom, pixelScale } = input;
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
      updateTriggers: { getPosition: version, getFillColor: version, getLineColor: version, getRadius: merged.version },
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
      updateTriggers: { getPosition: version, getAngle: version, getSize: merged.version, getColor: version },
    }),
    new IconLayer({
      id: "unit-roles",
      data: deckData.roles,
      iconAtlas: `atlas:units:${atlasKey}`,
      iconMapping: atlas.mapping,
      fetch: fetchAtlas,
      getIcon: (_: unknown, { index }: { index: number }) => roleIconId(roleAt(roster, index)),
      sizeUnits: "pixels",
      sizeScale: ROLE_ICON_SCALE * pixelScale,
      visible: detailed,
      updateTriggers: { getIcon: `${rosterKey}:${atlasKey}`, getPosition: version, getSize: merged.version },
    }),
    ...buildClusterLayers(merged.clusters, pixelScale),
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

/** A merged glyph's fill and count ink by its most urgent member (rank): the colours of a lone unit, the count in a colour that reads on it. */
const CLUSTER_FILL = [UNIT_COLORS.stale, UNIT_COLORS.onPatrol, UNIT_COLORS.busy, UNIT_COLORS.sos] as const;
const CLUSTER_INK = [[255, 255, 255, 255], [255, 255, 255, 255], [17, 17, 17, 255], [255, 255, 255, 255]] as const;
/** A merged glyph's digits: the map's smallest readable text at 1080p. */
export const CLUSTER_TEXT_PX = 14;

/** Merged staff glyphs: a disc in the colour of the most urgent member, a white double ring that a lone unit lacks, and the count. */
function buildClusterLayers(clusters: UnitCluster[], pixelScale: number): Layer[] {
  return [
    new ScatterplotLayer<UnitCluster>({
      id: "unit-clusters",
      data: clusters,
      getPosition: (c) => c.position,
      getRadius: (c) => clusterRadiusPx(c.count),
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      getFillColor: (c) => [...CLUSTER_FILL[c.rank as 0 | 1 | 2 | 3]],
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 2.5,
      pickable: true,
    }),
    new ScatterplotLayer<UnitCluster>({
      id: "unit-cluster-rings",
      data: clusters,
      getPosition: (c) => c.position,
      getRadius: (c) => clusterRadiusPx(c.count) + 3,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      filled: false,
      stroked: true,
      getLineColor: [12, 18, 26, 230],
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 2,
    }),
    new TextLayer<UnitCluster>({
      id: "unit-cluster-counts",
      data: clusters,
      getPosition: (c) => c.position,
      getText: (c) => String(c.count),
      getSize: CLUSTER_TEXT_PX,
      sizeUnits: "pixels",
      sizeScale: pixelScale,
      getColor: (c) => [...CLUSTER_INK[c.rank as 0 | 1 | 2 | 3]],
      characterSet: "0123456789",
      fontFamily: MAP_FONT,
      fontWeight: 700,
      pickable: true,
    }),
  ];
}
