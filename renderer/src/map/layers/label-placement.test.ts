import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GLYPH_PLACEMENT_INTERVAL, GlyphPace, labelScope, placeLabels, screenProjection, shortName, textWidth, type GlyphObstacle, type LabelObstacle, type PlaceableLabel, type PlacedLabel } from "./label-placement.js";

const ZOOM = 12;
/** Degrees of longitude per screen pixel at ZOOM (near Beijing's latitude, x does not depend on it). */
const DEG_PER_PX = 360 / (512 * 2 ** ZOOM);
const SIZE = 17;

const at = (px: number, py: number): [number, number] => [116.4 + px * DEG_PER_PX, 39.9 - py * DEG_PER_PX * 0.77];
const label = (code: string, text: string, position: [number, number]): PlaceableLabel => ({ code, text, position });

type Box = { left: number; right: number; top: number; bottom: number };
function boxOf(placed: PlacedLabel, scale = 1): Box {
  const [x, y] = screenProjection(ZOOM)(placed.position);
  const cx = x + placed.offset[0];
  const cy = y + placed.offset[1];
  const width = textWidth(placed.text, SIZE) * scale;
  const height = SIZE * 1.2 * scale;
  return { left: cx - width / 2, right: cx + width / 2, top: cy - height / 2, bottom: cy + height / 2 };
}
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
function touchesCircle(box: Box, obstacle: LabelObstacle, scale = 1): boolean {
  const [x, y] = screenProjection(ZOOM)(obstacle.position);
  const r = obstacle.radius * scale;
  const dx = x - Math.max(box.left, Math.min(x, box.right));
  const dy = y - Math.max(box.top, Math.min(y, box.bottom));
  return dx * dx + dy * dy < r * r;
}

describe("short names", () => {
  it("drop 街道 and the residents' committee words, keeping at least two characters", () => {
    expect(shortName("东华门街道")).toBe("东华门");
    expect(shortName("大雅宝社区居委会")).toBe("大雅宝社区");
    expect(shortName("东花市社区居民委员会")).toBe("东花市社区");
    expect(shortName("南磨房村村民委员会")).toBe("南磨房村");
    expect(shortName("西街道")).toBe("西街道");
    expect(shortName("来广营地区")).toBe("来广营地区");
  });
});

describe("placing area names", () => {
  it("projects as the map draws: east is right, north is up, 60 px of longitude at this zoom apart", () => {
    const project = screenProjection(ZOOM);
    const [x0, y0] = project(at(0, 0));
    const [x1] = project(at(60, 0));
    const [, yNorth] = project([116.4, 39.95]);
    expect(x1 - x0).toBeCloseTo(60, 6);
    expect(yNorth).toBeLessThan(y0);
  });

  it("puts a name with room around it just above its own case count", () => {
    const [placed] = placeLabels([label("a", "东华门街道", at(0, 0))], { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [{ code: "a", position: at(0, 0), radius: 30, badge: false }] });
    expect(placed?.text).toBe("东华门街道");
    expect(placed?.offset[0]).toBe(0);
    // Clear of the 30-px circle: its centre is the circle's radius, a gap and half its height above the point.
    expect(placed?.offset[1]).toBeCloseTo(-(30 + 3 + (SIZE * 1.2) / 2), 6);
  });

  it("centres a name on its point where no count is drawn", () => {
    const [placed] = placeLabels([label("a", "大雅宝社区居委会", at(0, 0))], { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [] });
    expect(placed?.offset).toEqual([0, 0]);
  });

  it("keeps two neighbours 60 px apart from printing over each other: the busier keeps its full name above", () => {
    const labels = [label("a", "前门街道", at(0, 0)), label("b", "崇文门外街道", at(60, 0))];
    const obstacles: LabelObstacle[] = [
      { code: "a", position: at(0, 0), radius: 25, badge: true },
      { code: "b", position: at(60, 0), radius: 28, badge: true },
    ];
    const placed = placeLabels(labels, { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles, counts: new Map([["a", 9], ["b", 25]]) });
    expect(placed).toHaveLength(2);
    const [a, b] = [placed.find((p) => p.code === "a"), placed.find((p) => p.code === "b")];
    expect(b?.text).toBe("崇文门外街道");
    expect(b?.offset[1]).toBeLessThan(0);
    expect(a && b && overlap(boxOf(a), boxOf(b))).toBe(false);
  });

  it("leaves out names that have nowhere free of other names, and the busiest keep theirs", () => {
    const labels = Array.from({ length: 12 }, (_, i) => label(`c${i}`, `第${i}号社区居委会`, at(0, 0)));
    const counts = new Map(labels.map((l, i) => [l.code, i]));
    const placed = placeLabels(labels, { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [], counts });
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(labels.length);
    expect(placed.map((p) => p.code)).toContain("c11");
    expect(placed.map((p) => p.code)).not.toContain("c0");
  });

  it("never prints a name over another, nor over its own count, wherever the areas lie (property)", () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }));
    const area = fc.record({ point, text: fc.constantFrom("东华门街道", "崇文门外街道", "前门街道", "大雅宝社区居委会", "和平里", "Dongsi"), count: fc.integer({ min: 0, max: 60 }), badge: fc.boolean() });
    fc.assert(
      fc.property(fc.array(area, { minLength: 1, maxLength: 30 }), fc.constantFrom(1, 1.5, 2), (areas, scale) => {
        const labels = areas.map((a, i) => label(`x${i}`, a.text, at(...a.point)));
        const obstacles = areas.flatMap((a, i): LabelObstacle[] => (a.count > 0 ? [{ code: `x${i}`, position: at(...a.point), radius: 13 + 4 * Math.sqrt(a.count), badge: a.badge }] : []));
        const placed = placeLabels(labels, { zoom: ZOOM, pixelScale: scale, size: SIZE, obstacles, counts: new Map(areas.map((a, i) => [`x${i}`, a.count])) });
        const boxes = placed.map((p) => boxOf(p, scale));
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i] as Box, boxes[j] as Box)).toBe(false);
          const own = obstacles.find((o) => o.code === placed[i]?.code);
          if (own) expect(touchesCircle(boxes[i] as Box, own, scale)).toBe(false);
        }
        // A lone area always keeps its name.
        if (areas.length === 1) expect(placed).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it("moves a street name off the staff glyphs drawn where it would go, to the first place clear of them", () => {
    const own: LabelObstacle = { code: "a", position: at(0, 0), radius: 25, badge: false };
    // Merged staff glyphs (17-px discs) just above and just below the count: the name goes beside it.
    const glyphs: GlyphObstacle[] = [
      { position: at(0, -45), radius: 17 },
      { position: at(0, 45), radius: 17 },
    ];
    const [alone] = placeLabels([label("a", "东华门街道", at(0, 0))], { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [own] });
    expect(alone?.offset[1]).toBeLessThan(0);
    expect(glyphs.some((g) => touchesCircle(boxOf(alone!), { ...g, code: "g", badge: false }))).toBe(true);
    const [placed] = placeLabels([label("a", "东华门街道", at(0, 0))], { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [own], glyphs });
    expect(placed?.text).toBe("东华门街道");
    expect(placed?.offset).toEqual([25 + 3 + textWidth("东华门街道", SIZE) / 2, 0]);
    for (const g of glyphs) expect(touchesCircle(boxOf(placed!), { ...g, code: "g", badge: false })).toBe(false);
  });

  it("where every place touches a glyph, takes the one over the fewest, still never over another name", () => {
    const glyphs: GlyphObstacle[] = [];
    // A field of glyphs 30 px apart around the point, one more doubled above it.
    for (let x = -150; x <= 150; x += 30) for (let y = -90; y <= 90; y += 30) if (x !== 0 || y !== 0) glyphs.push({ position: at(x, y), radius: 9 });
    const [placed] = placeLabels([label("a", "崇文门外街道", at(0, 0))], { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [], glyphs });
    expect(placed).toBeDefined();
    const under = (p: PlacedLabel) => glyphs.filter((g) => touchesCircle(boxOf(p), { ...g, code: "g", badge: false })).length;
    // The short form 崇文门外 over fewer glyphs than the full name centred on the point.
    const centred = { ...label("a", "崇文门外街道", at(0, 0)), offset: [0, 0] as [number, number] };
    expect(under(placed!)).toBeLessThan(under(centred));
  });

  it("keeps a name where it was while that place stays free, so names do not hop as staff walk", () => {
    const own: LabelObstacle = { code: "a", position: at(0, 0), radius: 25, badge: false };
    const labels = [label("a", "东华门街道", at(0, 0))];
    const input = { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [own] };
    const [first] = placeLabels(labels, { ...input, glyphs: [{ position: at(0, -45), radius: 17 }] });
    // A glyph above the count: the name goes below it.
    expect(first?.offset[0]).toBe(0);
    expect(first?.offset[1]).toBeGreaterThan(0);
    // The glyph walked away: the place above is free again, but the name stays where it was.
    const [second] = placeLabels(labels, { ...input, glyphs: [{ position: at(200, 200), radius: 17 }], previous: [first!] });
    expect(second?.offset).toEqual(first?.offset);
    // A glyph walks into it: it moves, to the first free place (above).
    const [third] = placeLabels(labels, { ...input, glyphs: [{ position: at(0, 45), radius: 17 }], previous: [second!] });
    expect(third?.offset[0]).toBe(0);
    expect(third?.offset[1]).toBeLessThan(0);
  });

  it("keeps names off the staff glyphs wherever a place free of them exists, and never over another name (property)", () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }));
    const area = fc.record({ point, text: fc.constantFrom("东华门街道", "崇文门外街道", "前门街道", "和平里"), count: fc.integer({ min: 0, max: 60 }) });
    const glyph = fc.record({ point, radius: fc.constantFrom(4, 9, 13, 17) });
    fc.assert(
      fc.property(fc.array(area, { minLength: 1, maxLength: 12 }), fc.array(glyph, { maxLength: 40 }), (areas, staff) => {
        const labels = areas.map((a, i) => label(`x${i}`, a.text, at(...a.point)));
        const obstacles = areas.flatMap((a, i): LabelObstacle[] => (a.count > 0 ? [{ code: `x${i}`, position: at(...a.point), radius: 13 + 4 * Math.sqrt(a.count), badge: false }] : []));
        const glyphs = staff.map((g): GlyphObstacle => ({ position: at(...g.point), radius: g.radius }));
        const placed = placeLabels(labels, { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles, glyphs });
        const boxes = placed.map((p) => boxOf(p));
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i] as Box, boxes[j] as Box)).toBe(false);
        // A lone name is over no more glyphs than at its first place (above its count, or centred on its point).
        if (areas.length === 1 && placed.length === 1) {
          const p = placed[0]!;
          const own = obstacles[0];
          const first = { ...p, text: labels[0]!.text, offset: [0, own ? -(own.radius + 3 + (SIZE * 1.2) / 2) : 0] as [number, number] };
          const under = (q: PlacedLabel) => glyphs.filter((g) => touchesCircle(boxOf(q), { ...g, code: "g", badge: false })).length;
          expect(under(p)).toBeLessThanOrEqual(under(first));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("placing only the names near the view", () => {
  const view = { longitude: 116.4, latitude: 39.9, zoom: ZOOM };
  const WIDTH = 1920;
  const HEIGHT = 1080;

  it("places only the names whose point is in the box, against the glyphs near it", () => {
    const bounds = labelScope(view, WIDTH, HEIGHT, null);
    expect(bounds).not.toBeNull();
    const inside = label("a", "东华门街道", at(0, 0));
    const outside = label("b", "建国门街道", at(3000, 0));
    const own: LabelObstacle = { code: "a", position: at(0, 0), radius: 25, badge: false };
    const input = { zoom: ZOOM, pixelScale: 1, size: SIZE, obstacles: [own], bounds };
    const placed = placeLabels([inside, outside], input);
    expect(placed.map((p) => p.code)).toEqual(["a"]);
    // A glyph above the count still sends the name below, as with no box.
    const [below] = placeLabels([inside, outside], { ...input, glyphs: [{ position: at(0, -45), radius: 17 }] });
    expect(below?.offset[1]).toBeGreaterThan(0);
    expect(below).toEqual(placeLabels([inside], { ...input, bounds: null, glyphs: [{ position: at(0, -45), radius: 17 }] })[0]);
    // Every name, with no box.
    expect(placeLabels([inside, outside], { ...input, bounds: null }).map((p) => p.code).sort()).toEqual(["a", "b"]);
  });

  it("keeps the box while the view pans within it, and makes a new one when it leaves or zooms well in", () => {
    const first = labelScope(view, WIDTH, HEIGHT, null)!;
    const [west, south, east, north] = first;
    // The box is the view and a quarter of it round each side.
    const shown = (east - west) / 1.5;
    expect(shown).toBeCloseTo((WIDTH * 360) / (512 * 2 ** ZOOM), 6);
    expect(labelScope({ ...view, longitude: view.longitude + shown * 0.2 }, WIDTH, HEIGHT, first)).toBe(first);
    expect(labelScope({ ...view, zoom: ZOOM + 0.5 }, WIDTH, HEIGHT, first)).toBe(first);
    const panned = labelScope({ ...view, longitude: view.longitude + shown * 0.4 }, WIDTH, HEIGHT, first)!;
    expect(panned).not.toBe(first);
    expect(panned[0]).toBeGreaterThan(west);
    const zoomedOut = labelScope({ ...view, zoom: ZOOM - 1 }, WIDTH, HEIGHT, first)!;
    expect(zoomedOut[2] - zoomedOut[0]).toBeCloseTo(2 * (east - west), 6);
    const zoomedIn = labelScope({ ...view, zoom: ZOOM + 2.5 }, WIDTH, HEIGHT, first)!;
    expect(zoomedIn).not.toBe(first);
    expect(zoomedIn[1]).toBeGreaterThan(south);
    expect(zoomedIn[3]).toBeLessThan(north);
    expect(labelScope(view, 0, 0, first)).toBe(first);
  });

  it("paces new staff pictures: at most one per interval, a new zoom or box at once", () => {
    const pace = new GlyphPace();
    expect(pace.take("12|box", 1000)).toBe(0);
    expect(pace.take("12|box", 1500)).toBe(GLYPH_PLACEMENT_INTERVAL - 500);
    expect(pace.take("12|box", 1000 + GLYPH_PLACEMENT_INTERVAL - 1)).toBe(1);
    expect(pace.take("12|box", 1000 + GLYPH_PLACEMENT_INTERVAL)).toBe(0);
    expect(pace.take("12.1|box", 1000 + GLYPH_PLACEMENT_INTERVAL + 10)).toBe(0);
    expect(pace.take("12.1|other", 1000 + GLYPH_PLACEMENT_INTERVAL + 20)).toBe(0);
    expect(pace.take("12.1|other", 1000 + GLYPH_PLACEMENT_INTERVAL + 30)).toBe(GLYPH_PLACEMENT_INTERVAL - 10);
  });

  it("holds the glyphs made from the last picture let through until the interval ends", () => {
    const pace = new GlyphPace<string>();
    const [first, second, third] = [{}, {}, {}];
    expect(pace.pick([first, 12], "12", () => "from first", 0)).toEqual({ value: "from first", wait: 0 });
    // The same inputs: the same value, nothing to wait for.
    expect(pace.pick([first, 12], "12", () => "again", 100)).toEqual({ value: "from first", wait: 0 });
    // A new picture 500 ms later: held back, the old glyphs kept.
    expect(pace.pick([second, 12], "12", () => "from second", 500)).toEqual({ value: "from first", wait: GLYPH_PLACEMENT_INTERVAL - 500 });
    expect(pace.pick([third, 12], "12", () => "from third", GLYPH_PLACEMENT_INTERVAL)).toEqual({ value: "from third", wait: 0 });
    // A new zoom: at once.
    expect(pace.pick([third, 13], "13", () => "zoomed", GLYPH_PLACEMENT_INTERVAL + 10)).toEqual({ value: "zoomed", wait: 0 });
  });
});
