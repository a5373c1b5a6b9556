import type { Page } from "playwright-core";

/*
 * What a person five metres from the wall would complain about, measured in
 * the page: text cut off by its panel, text too small to read, and a map
 * whose home area is a speck in a big dark panel. Used by e2e/walls.test.ts.
 */

/** A piece of text that its box cuts off: where, what, and by how much. */
export type ClippedText = { element: string; text: string; overflow: string };

/**
 * Text that a box with `overflow: hidden` or `clip` cuts off. For each such
 * box whose content is larger than it (scrollWidth > clientWidth + 1 or
 * scrollHeight > clientHeight + 1), every visible text inside is measured
 * with a Range: a line reaching more than 1 px outside the box is clipped.
 * An <svg> (the charts) is always measured: it clips its text but reports no
 * scroll size. Not counted:
 * - text inside a scroll container (overflow auto or scroll) nested in the
 *   box: the virtualized queue, the ticker's strip, the attention column,
 *   whose rows scroll into view on purpose;
 * - text ellipsized (text-overflow: ellipsis) whose element, or an ancestor,
 *   carries the whole text in its `title`: the wall shows the start and the
 *   full text is one hover away (docs/DESIGN-NOTES.md, "Every wall").
 */
export function clippedText(page: Page, root: string): Promise<ClippedText[]> {
  return page.evaluate((rootSelector) => {
    const clips = (value: string) => value === "hidden" || value === "clip";
    const scrolls = (value: string) => value === "auto" || value === "scroll";
    const describe = (element: Element) => {
      const id = element.getAttribute("data-testid");
      const classes = typeof element.className === "string" ? element.className.trim().split(/\s+/).slice(0, 2).join(".") : "";
      return `${element.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ""}${classes ? `.${classes}` : ""}`;
    };
    const visible = (element: Element) => {
      const style = getComputedStyle(element);
      if (style.visibility === "hidden" || style.display === "none" || Number(style.opacity) === 0) return false;
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && element.closest("[hidden]") === null;
    };
    const titled = (element: Element, text: string) => {
      for (let at: Element | null = element; at; at = at.parentElement) if ((at.getAttribute("title") ?? "").includes(text.trim())) return true;
      return false;
    };
    const root = document.querySelector(rootSelector);
    if (!root) return [{ element: rootSelector, text: "", overflow: "root not found" }];
    const found: { element: string; text: string; overflow: string }[] = [];
    const seen = new Set<Node>();
    for (const box of [root, ...root.querySelectorAll("*")]) {
      const style = getComputedStyle(box);
      // Per axis: a list that scrolls up and down but clips sideways (the attention column) is checked sideways only.
      // An <svg> reports no scroll size: its text (a chart's axis labels) is measured against it whatever the numbers say.
      const svg = box instanceof SVGSVGElement;
      const checkX = clips(style.overflowX) && (svg || box.scrollWidth > box.clientWidth + 1);
      const checkY = clips(style.overflowY) && (svg || box.scrollHeight > box.clientHeight + 1);
      if (!checkX && !checkY) continue;
      if (!visible(box)) continue;
      const bounds = box.getBoundingClientRect();
      const left = bounds.left + box.clientLeft;
      const top = bounds.top + box.clientTop;
      const right = left + box.clientWidth;
      const bottom = top + box.clientHeight;
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        const parent = node.parentElement;
        if (text.trim() === "" || !parent || seen.has(node) || !visible(parent)) continue;
        let scrolled = false;
        for (let at: Element | null = parent; at && at !== box; at = at.parentElement) {
          const own = getComputedStyle(at);
          if (scrolls(own.overflowX) || scrolls(own.overflowY)) scrolled = true;
        }
        if (scrolled) continue;
        if (getComputedStyle(parent).textOverflow === "ellipsis" && titled(parent, text)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const out = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0 && ((checkX && (r.left < left - 1 || r.right > right + 1)) || (checkY && (r.top < top - 1 || r.bottom > bottom + 1))));
        if (out.length === 0) continue;
        seen.add(node);
        const r = out[0] as DOMRect;
        found.push({
          element: `${describe(parent)} in ${describe(box)}`,
          text: text.trim().slice(0, 40),
          overflow: `text ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)}, box ${Math.round(left)}–${Math.round(right)} × ${Math.round(top)}–${Math.round(bottom)}`,
        });
      }
    }
    return found;
  }, root);
}

/** Visible text smaller than `minimumPx`, HTML and SVG alike (the charts' axes and labels). */
export function smallText(page: Page, root: string, minimumPx: number): Promise<{ element: string; text: string; px: number }[]> {
  return page.evaluate(
    ({ rootSelector, minimum }) => {
      const root = document.querySelector(rootSelector);
      if (!root) return [{ element: rootSelector, text: "root not found", px: 0 }];
      const found: { element: string; text: string; px: number }[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        const text = (node.textContent ?? "").trim();
        if (!element || text === "") continue;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || element.closest("[hidden]")) continue;
        const px = Number.parseFloat(style.fontSize);
        if (px < minimum - 0.5) found.push({ element: `${element.tagName.toLowerCase()}.${String(element.getAttribute("class") ?? "")}`, text: text.slice(0, 30), px });
      }
      return found;
    },
    { rootSelector: root, minimum: minimumPx },
  );
}

/**
 * How much of the map's panel its home area fills: the home area's box as
 * the map drew it (`data-home-box`, projected by deck.gl's own viewport; see
 * MapView.tsx) against the panel's size, and whether the whole box is inside
 * the panel. `span`: the box's longer side over the panel's shorter side
 * (how far across the panel the area reaches). `fit`: the larger of width
 * over width and height over height (the area touches, or nearly, the sides
 * its shape lets it fill): a tall district in a square panel cannot fill the
 * panel's width without losing its ends, so the shorter side alone is not
 * the measure.
 */
export async function homeAreaFill(page: Page): Promise<{ span: number; fit: number; inside: boolean; box: number[]; panel: [number, number] }> {
  return page.locator('[data-testid="map"] .map-canvas[data-home-box]').evaluate((element) => {
    const box = (element.getAttribute("data-home-box") ?? "").split(",").map(Number);
    const [x = 0, y = 0, width = 0, height = 0] = box;
    const panel: [number, number] = [element.clientWidth, element.clientHeight];
    const span = Math.max(width, height) / Math.min(panel[0], panel[1]);
    const fit = Math.max(width / panel[0], height / panel[1]);
    const inside = x >= -1 && y >= -1 && x + width <= panel[0] + 1 && y + height <= panel[1] + 1;
    return { span, fit, inside, box, panel };
  });
}
