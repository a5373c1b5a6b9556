import { WebMercatorViewport } from "@deck.gl/core";

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
 */

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
  /** The query each item was last seen by, for counting an item that spans several cells once. */
  private readonly seen = new Map<T, number>();
  private query = 0;
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

  /** How many distinct items pass `test` (an item in several cells counts once), counting no further than `limit`. */
  count(box: Box, test: (item: T) => boolean, limit: number): number {
    const query = ++this.query;
    let n = 0;
    this.each(box, (items) => {
      for (const item of items) {
        if (this.seen.get(item) === query) continue;
        this.seen.set(item, query);
        if (test(item) && ++n >= limit) return true;
      }
      return false;
    });
    return n;
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
export function placeLabels(labels: readonly PlaceableLabel[], input: PlacementInput): PlacedLabel[] {
  const { zoom, pixelScale: scale, size, obstacles, counts, glyphs = [], previous = [] } = input;
  const project = screenProjection(zoom);
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
  const glyphCells = new Buckets<Circle>(cell);
  for (const glyph of glyphs) {
    const [x, y] = project(glyph.position);
    const circle = { x, y, r: glyph.radius * scale, badge: null };
    glyphCells.add(circleBox(circle), circle);
  }
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
      if (score < limit) score += glyphCells.count(box, (glyph) => touchesCircle(box, glyph), limit - score);
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
