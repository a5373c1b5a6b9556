import { WebMercatorViewport } from "@deck.gl/core";
import { visibleBounds } from "../viewport.js";

/*
 * Where each area's name goes on the map, so that names never print over one
 * another and stay clear of the case counts drawn at the same points.
 *
 * Street and community names sit at their area's label point, where the case
 * count circle (and its "超N" badge under it) also sits at low zoom. Neighbours
 * in Dongcheng are 60-70 px apart at the district view, while a name like
 * 崇文门外街道 is over 100 px wide: printed where they fall, names run into
 * each other and into the circles. Each name tries, in order, above its own
 * circle, below it (under the badge), right and left of it; then the same
 * four places with the short form of the name (东华门 for 东华门街道, 大雅宝社区
 * for 大雅宝社区居委会), then the four corners beside those (above and below,
 * shifted half a name right or left), then shifted a quarter or three
 * quarters of a name, then the same a line further out. The
 * first place that touches no name already placed, no circle and no staff
 * glyph wins; else the one over the fewest staff glyphs, and over another
 * area's circle only as a last resort; a name with no place free of other
 * names is left out (its area still shows its count, and its full name in
 * the tooltip and the breadcrumb).
 *
 * Staff glyphs (a lone unit's disc and arrow, a merged glyph with its count:
 * unit-layers.ts `staffGlyphObstacles`) move as the staff walk, so names are
 * placed again with each new staff picture (at most twice a second). A name
 * keeps the place it had (`previous`) while that is still free, so names
 * move only when a glyph walks into them, not whenever anyone moves.
 *
 * Names are placed in order of their case counts, most first, then in region
 * order, so the busiest areas keep their names. Distances between label
 * points at a zoom do not depend on where the map is panned, so a placement
 * holds for a zoom, a pixel scale, a set of counts and of staff glyphs, and
 * is kept until one of them changes.
 *
 * At city scale (thousands of names, 62,000 staff) placing every name
 * against every glyph took 0.5-1.7 s of the page's main thread. So only the
 * names whose point lies in the `bounds` (the view and a margin round it:
 * `labelScope`) are placed, against the circles and glyphs in that box grown
 * by the farthest a name reaches from its point; the rest are not drawn until
 * the view comes near them. New staff pictures are placed at most every
 * GLYPH_PLACEMENT_INTERVAL (`GlyphPace`), a change of zoom or box at once.
 */

/** West, south, east, north in degrees: the part of the map whose names are placed. */
export type Bounds = readonly [number, number, number, number];

/** Staff pictures are placed against at most this often (ms): a kept place is checked again, a new one sought only where it is no longer free. */
export const GLYPH_PLACEMENT_INTERVAL = 2000;

/**
 * The box whose names are placed for a view of `width` x `height` pixels:
 * `current` while the view stays inside it and it is under four views wide
 * (so panning within it neither places names again nor makes new data), else
 * the view with half a view's margin on each side.
 */
export function labelScope(view: { longitude: number; latitude: number; zoom: number }, width: number, height: number, current: Bounds | null): Bounds | null {
  const shown = visibleBounds(view, width, height, 0);
  if (!shown) return current;
  if (current && shown[0] >= current[0] && shown[1] >= current[1] && shown[2] <= current[2] && shown[3] <= current[3] && current[2] - current[0] <= 4 * (shown[2] - shown[0])) return current;
  return visibleBounds(view, width, height, 0.25);
}

/** `bounds` grown by `pixels` at `zoom` (a degree of latitude is never fewer pixels than one of longitude, so this covers both). */
export function growBounds(bounds: Bounds, zoom: number, pixels: number): Bounds {
  const degrees = (pixels * 360) / (512 * 2 ** zoom);
  return [bounds[0] - degrees, bounds[1] - degrees, bounds[2] + degrees, bounds[3] + degrees];
}

const inBounds = (position: readonly [number, number], b: Bounds): boolean => position[0] >= b[0] && position[0] <= b[2] && position[1] >= b[1] && position[1] <= b[3];

/**
 * When a new staff picture may be placed against: `take` answers 0 (go, and
 * counts from now) when `key` (zoom, scale, box) changed or the interval has
 * passed since the last, else how many ms to wait.
 */
export class GlyphPace<T = unknown> {
  private at = -Infinity;
  private key: string | null = null;
  private inputs: readonly unknown[] | null = null;
  private value: T | undefined;
  constructor(private readonly interval = GLYPH_PLACEMENT_INTERVAL) {}

  /**
   * The value made by `make` from `inputs` (compared item by item), made
   * again from new inputs only when `take` lets it: until then the last one,
   * and how many ms to wait before asking again (0: nothing held back).
   */
  pick(inputs: readonly unknown[], key: string, make: () => T, now = performance.now()): { value: T | undefined; wait: number } {
    const held = this.inputs;
    if (held && held.length === inputs.length && held.every((input, i) => input === inputs[i])) return { value: this.value, wait: 0 };
    const wait = this.take(key, now);
    if (wait > 0) return { value: this.value, wait };
    this.inputs = inputs;
    this.value = make();
    return { value: this.value, wait: 0 };
  }

  take(key: string, now: number): number {
    if (key === this.key && now - this.at < this.interval) return this.interval - (now - this.at);
    this.key = key;
    this.at = now;
    return 0;
  }
}

export type PlaceableLabel = { text: string; position: [number, number]; code: string };
export type PlacedLabel = PlaceableLabel & { offset: [number, number] };
/** A case count circle at an area's label point; radius in design pixels (before the pixel scale). */
export type LabelObstacle = { code: string; position: [number, number]; radius: number; badge: boolean };

export type PlacementInput = {
  zoom: number;
  pixelScale: number;
  /** The name's font size in design pixels. */
  size: number;
  /** Case count circles (of this level's areas, or of another level's): a name keeps clear of them all, its own included. */
  obstacles: readonly LabelObstacle[];
  /** How many cases each area has: the busiest are placed first. */
  counts?: ReadonlyMap<string, number>;
  /** Staff glyphs drawn at this zoom (radius in design pixels): a name keeps clear of them where it can. */
  glyphs?: readonly GlyphObstacle[];
  /** The places the names had: each keeps its own while it is still free. */
  previous?: readonly PlacedLabel[];
  /** Only names whose point lies in this box are placed (and returned), against the circles and glyphs near it. */
  bounds?: Bounds | null;
};

/** A staff glyph on the map: a disc of `radius` design pixels (before the pixel scale) at `position`. */
export type GlyphObstacle = { position: [number, number]; radius: number };

/** Space kept between a name and anything else, in design pixels. */
const GAP = 3;
/** Height of the "超N" badge drawn under a circle, in design pixels. */
const BADGE_HEIGHT = 18;
/** The outline drawn around the glyphs, in design pixels on each side. */
const OUTLINE = 3;

/** Suffixes that the short form of a name drops; the rest must keep at least two characters. */
const SHORTENED_SUFFIXES = ["居民委员会", "村民委员会", "居委会", "村委会", "街道"];

export function shortName(name: string): string {
  for (const suffix of SHORTENED_SUFFIXES) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return name.slice(0, -suffix.length);
  }
  return name;
}

/** A name's width in design pixels at `size`: CJK glyphs are one em wide, the rest about 0.6 em. */
export function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const char of text) ems += (char.codePointAt(0) ?? 0) > 0x2e7f ? 1 : 0.6;
  return ems * size + 2 * OUTLINE;
}

type Box = { left: number; top: number; right: number; bottom: number };
type Circle = { x: number; y: number; r: number; badge: Box | null };

/**
 * Screen pixels at `zoom` through deck.gl's own map projection. Only the
 * differences between points are used, and at a fixed zoom they do not depend
 * on where the map is centred, so one view centred anywhere serves.
 */
export function screenProjection(zoom: number): (position: [number, number]) => [number, number] {
  const viewport = new WebMercatorViewport({ width: 1, height: 1, longitude: 0, latitude: 0, zoom });
  return (position) => viewport.project(position) as [number, number];
}

/** The same pixels as `screenProjection`, less a constant, without a matrix per point (62,000 staff glyphs are projected per picture). */
function fastProjection(zoom: number): (position: readonly [number, number]) => [number, number] {
  const world = 512 * 2 ** zoom;
  return ([lon, lat]) => [((lon + 180) / 360) * world, ((Math.PI - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / (2 * Math.PI)) * world];
}

/**
 * Glyph circles in a flat grid of cells (typed arrays, each glyph in the cell
 * of its centre, boxes looked up grown by the largest radius): a count over a
 * name's box visits only the glyphs near it, and each once.
 */
class GlyphGrid {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly rs: Float64Array;
  private readonly start: Uint32Array;
  private readonly order: Uint32Array;
  private readonly x0: number;
  private readonly y0: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cell: number;
  private readonly reach: number;
  constructor(glyphs: readonly GlyphObstacle[], project: (position: readonly [number, number]) => [number, number], scale: number, cell: number) {
    const n = glyphs.length;
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    this.rs = new Float64Array(n);
    let [minX, minY, maxX, maxY, reach] = [Infinity, Infinity, -Infinity, -Infinity, 0];
    for (let i = 0; i < n; i++) {
      const glyph = glyphs[i] as GlyphObstacle;
      const [x, y] = project(glyph.position);
      const r = glyph.radius * scale;
      this.xs[i] = x;
      this.ys[i] = y;
      this.rs[i] = r;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (r > reach) reach = r;
    }
    // Cells no smaller than needed to keep the grid within a few cells per glyph, however far apart the glyphs lie.
    const extent = n > 0 ? Math.max(1, (maxX - minX) * (maxY - minY)) : 1;
    this.cell = Math.max(cell, Math.sqrt(extent / Math.max(1, 4 * n)));
    this.x0 = n > 0 ? minX : 0;
    this.y0 = n > 0 ? minY : 0;
    this.cols = n > 0 ? Math.floor((maxX - minX) / this.cell) + 1 : 0;
    this.rows = n > 0 ? Math.floor((maxY - minY) / this.cell) + 1 : 0;
    this.reach = reach;
    const cellOf = new Uint32Array(n);
    this.start = new Uint32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(((this.ys[i] as number) - this.y0) / this.cell) * this.cols + Math.floor(((this.xs[i] as number) - this.x0) / this.cell);
      cellOf[i] = c;
      (this.start[c + 1] as number)++;
    }
    for (let c = 0; c < this.cols * this.rows; c++) this.start[c + 1] = (this.start[c + 1] as number) + (this.start[c] as number);
    const fill = this.start.slice(0, -1);
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[(fill[cellOf[i] as number] as number)++] = i;
  }

  /** How many glyphs touch `box`, counting no further than `limit`. */
  count(box: Box, limit: number): number {
    if (this.cols === 0 || limit <= 0) return 0;
    const cx0 = Math.max(0, Math.floor((box.left - this.reach - this.x0) / this.cell));
    const cx1 = Math.min(this.cols - 1, Math.floor((box.right + this.reach - this.x0) / this.cell));
    const cy0 = Math.max(0, Math.floor((box.top - this.reach - this.y0) / this.cell));
    const cy1 = Math.min(this.rows - 1, Math.floor((box.bottom + this.reach - this.y0) / this.cell));
    let n = 0;
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * this.cols + cx;
        for (let k = this.start[c] as number, end = this.start[c + 1] as number; k < end; k++) {
          const i = this.order[k] as number;
          const x = this.xs[i] as number;
          const y = this.ys[i] as number;
          const r = this.rs[i] as number;
          const dx = x - Math.max(box.left, Math.min(x, box.right));
          const dy = y - Math.max(box.top, Math.min(y, box.bottom));
          if (dx * dx + dy * dy < r * r && ++n >= limit) return n;
        }
      }
    }
    return n;
  }
}

const overlaps = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function touchesCircle(box: Box, circle: Circle): boolean {
  const dx = circle.x - Math.max(box.left, Math.min(circle.x, box.right));
  const dy = circle.y - Math.max(box.top, Math.min(circle.y, box.bottom));
  return dx * dx + dy * dy < circle.r * circle.r || (circle.badge !== null && overlaps(box, circle.badge));
}

/**
 * Boxes and circles bucketed by screen cell, so that a candidate place is
 * tested against its neighbours only: the city layer has thousands of
 * community names.
 */
class Buckets<T> {
  private readonly cells = new Map<number, T[]>();
  constructor(private readonly cell: number) {}

  private each(box: Box, visit: (items: T[]) => boolean): void {
    const [x0, x1, y0, y1] = [Math.floor(box.left / this.cell), Math.floor(box.right / this.cell), Math.floor(box.top / this.cell), Math.floor(box.bottom / this.cell)];
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const items = this.cells.get(cx * 1_048_576 + cy);
        if (items && visit(items)) return;
      }
    }
  }

  add(box: Box, item: T): void {
    const [x0, x1, y0, y1] = [Math.floor(box.left / this.cell), Math.floor(box.right / this.cell), Math.floor(box.top / this.cell), Math.floor(box.bottom / this.cell)];
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const key = cx * 1_048_576 + cy;
        const items = this.cells.get(key);
        if (items) items.push(item);
        else this.cells.set(key, [item]);
      }
    }
  }

  some(box: Box, test: (item: T) => boolean): boolean {
    let found = false;
    this.each(box, (items) => (found = items.some(test)));
    return found;
  }
}

const circleBox = (circle: Circle): Box => ({
  left: circle.x - Math.max(circle.r, circle.badge ? circle.x - circle.badge.left : 0),
  right: circle.x + Math.max(circle.r, circle.badge ? circle.badge.right - circle.x : 0),
  top: circle.y - circle.r,
  bottom: circle.badge ? Math.max(circle.y + circle.r, circle.badge.bottom) : circle.y + circle.r,
});

/** What a place costs: over a name rules it out; over another area's circle is a last resort; each staff glyph under it counts. */
const OVER_NAME = 1_000_000;
const OVER_CIRCLE = 1_000;

/** Names with their pixel offsets from their label points; names that fit nowhere are left out. */
export function placeLabels(all: readonly PlaceableLabel[], input: PlacementInput): PlacedLabel[] {
  const { zoom, pixelScale: scale, size, counts, previous = [], bounds } = input;
  let { obstacles, glyphs = [] } = input;
  let labels = all;
  if (bounds) {
    labels = all.filter((label) => inBounds(label.position, bounds));
    // The farthest a name's box reaches from its point: a line and a half of a name sideways beside a circle, and what it may touch there.
    let widest = 0;
    for (const label of labels) widest = Math.max(widest, textWidth(label.text, size));
    const near = growBounds(bounds, zoom, (widest * 1.5 + 4 * size + 120) * scale);
    obstacles = obstacles.filter((obstacle) => inBounds(obstacle.position, near));
    glyphs = glyphs.filter((glyph) => inBounds(glyph.position, near));
  }
  const project = fastProjection(zoom);
  const points = labels.map((label) => project(label.position));
  const cell = 96 * scale;
  const circles = new Map<string, Circle>();
  const circleCells = new Buckets<Circle>(cell);
  for (const obstacle of obstacles) {
    const [x, y] = project(obstacle.position);
    const r = obstacle.radius * scale;
    const badge = obstacle.badge ? { left: x - 22 * scale, right: x + 22 * scale, top: y + r - (BADGE_HEIGHT / 2) * scale, bottom: y + r + (BADGE_HEIGHT / 2) * scale } : null;
    const circle = { x, y, r, badge };
    circles.set(obstacle.code, circle);
    circleCells.add(circleBox(circle), circle);
  }
  const glyphCells = new GlyphGrid(glyphs, project, scale, cell / 2);
  const before = new Map(previous.map((p) => [p.code, p]));

  const order = labels.map((_, index) => index);
  if (counts) order.sort((a, b) => (counts.get(labels[b]?.code ?? "") ?? 0) - (counts.get(labels[a]?.code ?? "") ?? 0) || a - b);

  const placed = new Buckets<Box>(cell);
  const result: (PlacedLabel | null)[] = labels.map(() => null);
  const height = size * 1.2 * scale;
  const gap = GAP * scale;
  for (const index of order) {
    const label = labels[index];
    const point = points[index];
    if (!label || !point) continue;
    const own = circles.get(label.code);
    /** What a place costs, counted no further than `limit` (the best place's so far). */
    const cost = (text: string, offset: [number, number], limit = Infinity) => {
      const width = textWidth(text, size) * scale;
      const x = point[0] + offset[0];
      const y = point[1] + offset[1];
      const box = { left: x - width / 2 - gap, right: x + width / 2 + gap, top: y - height / 2, bottom: y + height / 2 };
      if (placed.some(box, (other) => overlaps(box, other))) return { text, offset, box, score: OVER_NAME };
      let score = circleCells.some(box, (circle) => circle !== own && touchesCircle(box, circle)) ? OVER_CIRCLE : 0;
      if (score < limit) score += glyphCells.count(box, limit - score);
      return { text, offset, box, score };
    };
    const texts = shortName(label.text) === label.text ? [label.text] : [label.text, shortName(label.text)];
    const below = own ? own.r + (own.badge ? (BADGE_HEIGHT / 2) * scale : 0) : 0;
    const candidates: { text: string; offset: [number, number] }[] = [];
    // The place it had, unless its own count has grown under it since.
    const kept = before.get(label.code);
    if (kept && texts.includes(kept.text) && !(own && touchesCircle(cost(kept.text, kept.offset).box, own))) candidates.push(kept);
    for (const text of texts) {
      const width = textWidth(text, size) * scale;
      const [up, down] = own ? [-(own.r + gap + height / 2), below + gap + height / 2] : [-(height + gap), height + gap];
      const offsets: [number, number][] = own
        ? [
            [0, up],
            [0, down],
            [own.r + gap + width / 2, 0],
            [-(own.r + gap + width / 2), 0],
          ]
        : [
            [0, 0],
            [0, up],
            [0, down],
            [width / 2 + gap, 0],
            [-(width / 2 + gap), 0],
          ];
      for (const offset of offsets) candidates.push({ text, offset });
    }
    // Then shifted sideways along those lines, and a line further out: where staff are thick on the ground, a name may have to
    // stand off. Only to get clear of glyphs and circles: a name with no place free of other names nearer is left out, as before.
    const near = candidates.length;
    for (const step of [0, height + gap]) {
      for (const text of texts) {
        const half = (textWidth(text, size) * scale) / 2;
        const [up, down] = own ? [-(own.r + gap + height / 2) - step, below + gap + height / 2 + step] : [-(height + gap) - step, height + gap + step];
        for (const shift of step > 0 ? [0, 0.5, 1, 1.5] : [1, 0.5, 1.5]) {
          for (const y of [up, down]) {
            candidates.push({ text, offset: [shift * half, y] });
            if (shift > 0) candidates.push({ text, offset: [-shift * half, y] });
          }
        }
      }
    }
    let best: ReturnType<typeof cost> | null = null;
    for (const [i, candidate] of candidates.entries()) {
      if (i === near && best && best.score >= OVER_NAME) break;
      const tried = cost(candidate.text, candidate.offset, best?.score);
      if (!best || tried.score < best.score) best = tried;
      if (tried.score === 0) break;
    }
    if (!best || best.score >= OVER_NAME) continue;
    placed.add(best.box, best.box);
    result[index] = { ...label, text: best.text, offset: best.offset };
  }
  return result.filter((label): label is PlacedLabel => label !== null);
}
