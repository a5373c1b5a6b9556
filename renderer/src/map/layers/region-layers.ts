import type { Layer } from "@deck.gl/core";
import { PathLayer, SolidPolygonLayer, TextLayer } from "@deck.gl/layers";
import type { RegionArea } from "../../../../shared/geo/region.js";
import type { Rgba } from "./choropleth.js";
import { MAP_FONT } from "./icons.js";
import type { LabelObstacles } from "./incident-layers.js";
import { placeLabels, type Bounds, type GlyphObstacle, type PlacedLabel } from "./label-placement.js";
import type { DrillLevel, PathBuffers, PolygonBuffers, PreparedRegion } from "./region.js";

/*
 * Region layers assembled from prepared buffers. Stable ids; the binary data
 * objects are made once per region (see `regionDeckData`), so deck.gl
 * tessellates the grids once; recolouring goes through `colorKey`.
 */

export type Label = { text: string; position: [number, number]; code: string };

export type RegionDeckData = {
  gridFill: { length: number; startIndices: Uint32Array; attributes: { getPolygon: { value: Float64Array; size: 2 } } };
  outlines: Record<"grid" | "community" | "street" | "district", { length: number; startIndices: Uint32Array; attributes: { getPath: { value: Float64Array; size: 2 } } }>;
  labels: Record<DrillLevel, Label[]>;
};

const polygonData = (b: PolygonBuffers) => ({ length: b.length, startIndices: b.startIndices, attributes: { getPolygon: { value: b.positions, size: 2 as const } } });
const pathData = (b: PathBuffers) => ({ length: b.length, startIndices: b.startIndices, attributes: { getPath: { value: b.positions, size: 2 as const } } });
const labelsOf = (areas: readonly RegionArea[]): Label[] => areas.map((a) => ({ text: a.name, position: a.labelAt, code: a.code }));

/** The deck.gl data objects of a region: made once, so their identity never changes while the region stays. */
export function regionDeckData(region: PreparedRegion): RegionDeckData {
  return {
    gridFill: polygonData(region.grids.fill),
    outlines: {
      grid: pathData(region.grids.outline),
      community: pathData(region.communities.outline),
      street: pathData(region.streets.outline),
      district: pathData(region.districtOutline),
    },
    labels: { street: labelsOf(region.streets.areas), community: labelsOf(region.communities.areas), grid: labelsOf(region.grids.areas) },
  };
}

/** 1 where a grid lies inside the selected area (or everywhere with none), so the rest can be dimmed. */
export function gridsInSelection(region: PreparedRegion, selection: { level: DrillLevel; code: string } | null): Uint8Array {
  const inside = new Uint8Array(region.grids.areas.length);
  if (!selection) return inside.fill(1);
  const parent = selection.level === "street" ? region.gridStreet : selection.level === "community" ? region.gridCommunity : null;
  const levelAreas = selection.level === "street" ? region.streets : selection.level === "community" ? region.communities : region.grids;
  const target = levelAreas.indexByCode.get(selection.code);
  if (target === undefined) return inside.fill(1);
  for (let g = 0; g < inside.length; g++) inside[g] = (parent ? parent[g] : g) === target ? 1 : 0;
  return inside;
}

export type RegionLayerInput = {
  region: PreparedRegion;
  data: RegionDeckData;
  gridClasses: Uint8Array;
  palette: readonly Rgba[];
  inSelection: Uint8Array;
  /** Changes whenever classes, palette or selection change: the fill colour's update trigger. */
  colorKey: string;
  selectedArea: RegionArea | null;
  zoom: number;
  /** Root font size / 16 (pixel-scale.ts): label sizes and line widths follow the wall's rem. */
  pixelScale: number;
  /**
   * The case counts and urgent cases drawn at this zoom (incident-layers.ts
   * `labelObstacles`): names keep clear of them. Compared by identity: names
   * are placed again only when a new object comes.
   */
  obstacles: LabelObstacles;
  /**
   * The staff glyphs drawn (unit-layers.ts `staffGlyphObstacles`): names keep
   * clear of them where they can. Compared by identity, as the obstacles.
   */
  glyphs?: readonly GlyphObstacle[];
  /**
   * Only the names whose point lies in this box (the view and a margin:
   * label-placement.ts `labelScope`) are placed and drawn; compared by
   * identity. None: every name (tests, a map not yet sized).
   */
  scope?: Bounds | null;
};

const DIMMED_ALPHA = 0.35;

const STREET_LABEL_SIZE = 17;
const COMMUNITY_LABEL_SIZE = 14;
const GRID_LABEL_SIZE = 14;

/*
 * Street and community names are placed (label-placement.ts) and the result
 * kept per label set until the zoom, the scale, the case counts or the staff
 * glyphs change: a new data array makes deck.gl lay the text out again, so a
 * placement that comes out the same (names keep their places while free)
 * keeps the array it had.
 */
type Placement = { zoom: number; pixelScale: number; scope: Bounds | null; circles: number; glyphs: readonly GlyphObstacle[]; placed: PlacedLabel[] };
const placements = new WeakMap<readonly Label[], Placement>();
const NO_GLYPHS: readonly GlyphObstacle[] = [];

/**
 * A checksum of the circles in `scope` and their areas' counts: a case delta
 * makes new obstacles, but names are placed again only when what lies in
 * their box changed (a delta elsewhere, or one that moves no circle, keeps them).
 */
const signatures = new WeakMap<LabelObstacles, { scope: Bounds | null; signature: number }>();
export function obstacleSignature(obstacles: LabelObstacles, scope: Bounds | null): number {
  const kept = signatures.get(obstacles);
  if (kept && kept.scope === scope) return kept.signature;
  let hash = 2166136261;
  const mix = (value: number) => (hash = Math.imul(hash ^ (value | 0), 16777619));
  for (const o of obstacles.obstacles) {
    const [lon, lat] = o.position;
    if (scope && (lon < scope[0] || lon > scope[2] || lat < scope[1] || lat > scope[3])) continue;
    mix(Math.round(lon * 1e6));
    mix(Math.round(lat * 1e6));
    mix(Math.round(o.radius * 16) * 2 + (o.badge ? 1 : 0));
    mix(obstacles.counts.get(o.code) ?? -1);
  }
  const signature = hash >>> 0;
  signatures.set(obstacles, { scope, signature });
  return signature;
}

const samePlaces = (a: readonly PlacedLabel[], b: readonly PlacedLabel[]): boolean =>
  a.length === b.length && a.every((p, i) => p.code === b[i]?.code && p.text === b[i]?.text && p.offset[0] === b[i]?.offset[0] && p.offset[1] === b[i]?.offset[1]);

/**
 * The names placed for this zoom, scale, box, circles in it and staff glyphs (the glyphs and box compared by identity:
 * use-map-layers.ts makes them once per change, the glyphs at most every GLYPH_PLACEMENT_INTERVAL).
 */
function placed(labels: readonly Label[], size: number, zoom: number, pixelScale: number, obstacles: LabelObstacles, glyphs: readonly GlyphObstacle[] = NO_GLYPHS, scope: Bounds | null = null): PlacedLabel[] {
  const kept = placements.get(labels);
  const circles = obstacleSignature(obstacles, scope);
  if (kept && kept.zoom === zoom && kept.pixelScale === pixelScale && kept.scope === scope && kept.circles === circles && kept.glyphs === glyphs) return kept.placed;
  const previous = kept && kept.zoom === zoom && kept.pixelScale === pixelScale ? kept.placed : [];
  const result = placeLabels(labels, { zoom, pixelScale, size, obstacles: obstacles.obstacles, counts: obstacles.counts, glyphs, previous, bounds: scope });
  const same = kept !== undefined && samePlaces(result, kept.placed);
  placements.set(labels, { zoom, pixelScale, scope, circles, glyphs, placed: same ? kept.placed : result });
  return same ? kept.placed : result;
}

const lastPlaced = (labels: readonly Label[]): readonly (Label | PlacedLabel)[] => placements.get(labels)?.placed ?? labels;

const textLayer = (id: string, data: readonly (Label | PlacedLabel)[], size: number, color: Rgba, visible: boolean, pixelScale: number) =>
  new TextLayer<Label | PlacedLabel>({
    id,
    data,
    visible,
    getPixelOffset: (d) => ("offset" in d ? d.offset : [0, 0]),
    getText: (d) => d.text,
    getPosition: (d) => d.position,
    getSize: size,
    sizeUnits: "pixels",
    sizeScale: pixelScale,
    getColor: color,
    characterSet: "auto",
    fontFamily: MAP_FONT,
    fontWeight: 600,
    fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
    outlineWidth: 3,
    outlineColor: [8, 12, 18, 235],
    getTextAnchor: "middle",
    getAlignmentBaseline: "center",
    pickable: false,
  });

/*
 * Layers of a level the map does not show yet (grid and community outlines and
 * names at district zoom) get no data until the level is first shown: deck.gl
 * initialises a hidden layer as fully as a visible one, and at city scale the
 * grid names alone (30,000 labels, a font atlas of every character in them)
 * and the grid outlines were seconds of the first frame's main thread under
 * software WebGL. Once shown, a level keeps its data, so zooming in and out
 * again does not tessellate it again.
 */
const NO_PATHS = { length: 0, startIndices: new Uint32Array(1), attributes: { getPath: { value: new Float64Array(0), size: 2 as const } } };
const NO_LABELS: Label[] = [];
const shownLevels = new WeakMap<RegionDeckData, Set<string>>();

function dataOnceShown<T, E>(data: RegionDeckData, key: string, visible: boolean, full: T, empty: E): T | E {
  let shown = shownLevels.get(data);
  if (!shown) shownLevels.set(data, (shown = new Set()));
  if (visible) shown.add(key);
  return shown.has(key) ? full : empty;
}

/** Region layers: the `base` under everything, the `labels` over staff and case counts so names stay readable in a crowd. */
export function buildRegionLayers(input: RegionLayerInput): { base: Layer[]; labels: Layer[] } {
  const { region, data, gridClasses, palette, inSelection, colorKey, selectedArea, zoom, pixelScale, obstacles, glyphs, scope = null } = input;
  const partArea = region.grids.fill.partArea;
  const colors = palette.map((c) => [c, [c[0], c[1], c[2], Math.round(c[3] * DIMMED_ALPHA)] as Rgba] as const);
  const fallback = colors[0] ?? [[0, 0, 0, 0] as Rgba, [0, 0, 0, 0] as Rgba];
  const selectionRings = selectedArea ? selectedArea.polygons.flatMap((polygon) => polygon) : [];
  const drilledTo = selectedArea?.level;
  const gridOutlines = zoom >= 13.2;
  const communityOutlines = zoom >= 12.4;
  const streetLabels = zoom < 14.3 && drilledTo !== "community" && drilledTo !== "grid";
  const communityLabels = zoom >= 13.9 && zoom < 16.2;
  const gridLabels = zoom >= 16;
  const base = [
    new SolidPolygonLayer({
      id: "grid-fill",
      data: data.gridFill,
      _normalize: false,
      filled: true,
      getFillColor: (_: unknown, { index }: { index: number }) => {
        const grid = partArea[index] ?? 0;
        const pair = colors[gridClasses[grid] ?? 0] ?? fallback;
        return inSelection[grid] ? pair[0] : pair[1];
      },
      updateTriggers: { getFillColor: colorKey },
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 46],
    }),
    new PathLayer({ id: "grid-outline", data: dataOnceShown(data, "grid-outline", gridOutlines, data.outlines.grid, NO_PATHS), _pathType: "open", getColor: [140, 160, 180, 110], getWidth: 1, widthUnits: "pixels", widthScale: pixelScale, visible: gridOutlines }),
    new PathLayer({ id: "community-outline", data: dataOnceShown(data, "community-outline", communityOutlines, data.outlines.community, NO_PATHS), _pathType: "open", getColor: [176, 196, 216, 170], getWidth: 1.5, widthUnits: "pixels", widthScale: pixelScale, visible: communityOutlines }),
    new PathLayer({ id: "street-outline", data: data.outlines.street, _pathType: "open", getColor: [226, 234, 242, 220], getWidth: 2.5, widthUnits: "pixels", widthScale: pixelScale }),
    new PathLayer({ id: "district-outline", data: data.outlines.district, _pathType: "open", getColor: [250, 250, 250, 255], getWidth: 4, widthUnits: "pixels", widthScale: pixelScale }),
    new PathLayer<RegionArea["polygons"][number][number]>({
      id: "selection-outline",
      data: selectionRings,
      getPath: (ring) => ring,
      getColor: [0, 229, 255, 255],
      getWidth: 4,
      widthUnits: "pixels",
      widthScale: pixelScale,
      jointRounded: true,
    }),
  ];
  // A hidden level keeps the names it last showed: new data for a hidden text layer would be laid out for nothing.
  const streetNames = streetLabels ? placed(data.labels.street, STREET_LABEL_SIZE, zoom, pixelScale, obstacles, glyphs, scope) : lastPlaced(data.labels.street);
  const communityNames = communityLabels ? placed(data.labels.community, COMMUNITY_LABEL_SIZE, zoom, pixelScale, obstacles, glyphs, scope) : lastPlaced(data.labels.community);
  const labels = [
    textLayer("street-labels", streetNames, STREET_LABEL_SIZE, [240, 244, 248, 255], streetLabels, pixelScale),
    textLayer("community-labels", dataOnceShown(data, "community-labels", communityLabels, communityNames, NO_LABELS), COMMUNITY_LABEL_SIZE, [214, 226, 238, 255], communityLabels, pixelScale),
    textLayer("grid-labels", dataOnceShown(data, "grid-labels", gridLabels, data.labels.grid, NO_LABELS), GRID_LABEL_SIZE, [196, 210, 224, 255], gridLabels, pixelScale),
  ];
  return { base, labels };
}
