import type { Layer } from "@deck.gl/core";
import { LineLayer, PathLayer, ScatterplotLayer, TextLayer } from "@deck.gl/layers";
import type { PatrolEvidence, PatrolReason } from "../../../../shared/bridge/contract.js";
import type { Rgba } from "./choropleth.js";
import { MAP_FONT } from "./icons.js";

/*
 * One staff member's shift on the map (the patrol check list's row, or a
 * selected staff member with a judged shift): the track as a path with its
 * start and end, and each finding marked where it happened. Stood still: a
 * circle of the finding's radius in metres; a jump: a line between the two
 * fixes, labelled with the speed; a twin: where the two devices met, with the
 * partner's name; a replay: the track's start, with the day it repeats. The
 * marks are plain data (`patrolMarks`, tested); `buildPatrolTrackLayers` only
 * assembles deck.gl layers. Places are WGS84, as the engine sends them.
 */

export type LonLat = [number, number];
export type PatrolMark = { reason: PatrolReason; position: LonLat; label: string };
export type PatrolCircle = { position: LonLat; radiusM: number };
export type PatrolJump = { from: LonLat; to: LonLat };
export type PatrolMarks = { circles: PatrolCircle[]; jumps: PatrolJump[]; labels: PatrolMark[] };

/** Findings in vermillion (the wall's "wrong" colour), the track in sky blue; each mark also carries a word, never colour alone. */
export const TRACK_COLOR: Rgba = [86, 180, 233, 230];
const FINDING_COLOR: Rgba = [255, 122, 61, 255];
const START_COLOR: Rgba = [47, 197, 154, 255];
/** A stood-still circle is never drawn smaller than this (metres): a 3 m radius would be a dot under the track at street zoom. */
const MIN_CIRCLE_M = 12;

/** The marks of the findings; `labels[i]` is the words for `evidence[i]` (evidence.ts). */
export function patrolMarks(evidence: readonly PatrolEvidence[], labels: readonly string[]): PatrolMarks {
  const marks: PatrolMarks = { circles: [], jumps: [], labels: [] };
  evidence.forEach((finding, i) => {
    const label = labels[i] ?? "";
    const at: LonLat = [finding.lon, finding.lat];
    if (finding.reason === "stationary") {
      marks.circles.push({ position: at, radiusM: Math.max(MIN_CIRCLE_M, finding.radiusM) });
      marks.labels.push({ reason: finding.reason, position: at, label });
    } else if (finding.reason === "speed") {
      const to: LonLat = [finding.toLon, finding.toLat];
      marks.jumps.push({ from: at, to });
      marks.labels.push({ reason: finding.reason, position: [(at[0] + to[0]) / 2, (at[1] + to[1]) / 2], label });
    } else {
      marks.labels.push({ reason: finding.reason, position: at, label });
    }
  });
  return marks;
}

/** The track's [lon, lat] pairs from the contract's [at, lon, lat] triples, and its first and last point. */
export function trackPath(data: Float64Array): { positions: Float64Array; ends: LonLat[] } {
  const n = Math.floor(data.length / 3);
  const positions = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    positions[i * 2] = data[i * 3 + 1] as number;
    positions[i * 2 + 1] = data[i * 3 + 2] as number;
  }
  const ends: LonLat[] = n === 0 ? [] : [[positions[0] as number, positions[1] as number]];
  if (n > 1) ends.push([positions[n * 2 - 2] as number, positions[n * 2 - 1] as number]);
  return { positions, ends };
}

/** West, south, east, north of the track and the marks; null for nothing to show. */
export function patrolBounds(positions: Float64Array, marks: PatrolMarks): [number, number, number, number] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const add = (lon: number, lat: number) => {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  };
  for (let i = 0; i + 1 < positions.length; i += 2) add(positions[i] as number, positions[i + 1] as number);
  for (const mark of marks.labels) add(mark.position[0], mark.position[1]);
  for (const jump of marks.jumps) add(jump.to[0], jump.to[1]);
  return Number.isFinite(west) ? [west, south, east, north] : null;
}

export type PatrolTrackLayerInput = {
  /** Identifies the shift drawn (unit, from, to): deck.gl rebuilds the path only when it changes. */
  key: string;
  positions: Float64Array;
  ends: LonLat[];
  marks: PatrolMarks;
  pixelScale: number;
};

export function buildPatrolTrackLayers({ key, positions, ends, marks, pixelScale }: PatrolTrackLayerInput): Layer[] {
  const vertices = positions.length / 2;
  return [
    new PathLayer({
      id: "patrol-track",
      data: { length: vertices >= 2 ? 1 : 0, startIndices: new Uint32Array([0, vertices]), attributes: { getPath: { value: positions, size: 2 } } },
      _pathType: "open",
      getColor: TRACK_COLOR,
      getWidth: 3,
      widthUnits: "pixels",
      widthScale: pixelScale,
      jointRounded: true,
      capRounded: true,
      updateTriggers: { getPath: key },
    }),
    new ScatterplotLayer<PatrolCircle>({
      id: "patrol-still",
      data: marks.circles,
      getPosition: (d) => d.position,
      getRadius: (d) => d.radiusM,
      radiusUnits: "meters",
      filled: true,
      getFillColor: [FINDING_COLOR[0], FINDING_COLOR[1], FINDING_COLOR[2], 70],
      stroked: true,
      getLineColor: FINDING_COLOR,
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 2,
      radiusMinPixels: 6,
      updateTriggers: { getPosition: key, getRadius: key },
    }),
    new LineLayer<PatrolJump>({
      id: "patrol-jumps",
      data: marks.jumps,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: FINDING_COLOR,
      getWidth: 3,
      widthUnits: "pixels",
      widthScale: pixelScale,
      updateTriggers: { getSourcePosition: key, getTargetPosition: key },
    }),
    new ScatterplotLayer<LonLat>({
      id: "patrol-ends",
      data: ends,
      getPosition: (d) => d,
      getRadius: 5,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      getFillColor: (_, { index }) => (index === 0 ? START_COLOR : TRACK_COLOR),
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 1.5,
      updateTriggers: { getPosition: key },
    }),
    new ScatterplotLayer<PatrolMark>({
      id: "patrol-marks",
      data: marks.labels.filter((mark) => mark.reason !== "stationary"),
      getPosition: (d) => d.position,
      getRadius: 6,
      radiusUnits: "pixels",
      radiusScale: pixelScale,
      getFillColor: FINDING_COLOR,
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: "pixels",
      lineWidthScale: pixelScale,
      getLineWidth: 1.5,
      updateTriggers: { getPosition: key },
    }),
    new TextLayer<PatrolMark>({
      id: "patrol-labels",
      data: marks.labels,
      getText: (d) => `⚠ ${d.label}`,
      getPosition: (d) => d.position,
      getPixelOffset: [0, -14 * pixelScale],
      getSize: 15,
      sizeUnits: "pixels",
      sizeScale: pixelScale,
      getColor: [255, 255, 255, 255],
      characterSet: "auto",
      fontFamily: MAP_FONT,
      fontWeight: 600,
      fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
      outlineWidth: 3,
      outlineColor: [120, 40, 0, 255],
      getTextAnchor: "middle",
      getAlignmentBaseline: "bottom",
      updateTriggers: { getText: key, getPosition: key },
    }),
  ];
}
