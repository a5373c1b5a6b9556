/*
 * deck.gl sizes in "pixels" are CSS pixels, the same on every screen, while
 * the rest of the wall is sized in rem and the root font size follows the
 * viewport (theme.css: 16 px at 1920×1080, 32 px at 3840×2160). The layer
 * builders multiply their pixel sizes by this scale, so the map's labels,
 * markers and lines keep the size relative to the wall that the DOM around
 * them keeps; at 4K they would otherwise be half as large as designed.
 */

/** The root font size the map's pixel sizes were designed at (1920×1080). */
export const DESIGN_ROOT_FONT_PX = 16;

/** Root font size in CSS px → the factor for deck.gl pixel sizes; 1 when the size cannot be read. */
export function pixelScaleOf(rootFontPx: number): number {
  return Number.isFinite(rootFontPx) && rootFontPx > 0 ? rootFontPx / DESIGN_ROOT_FONT_PX : 1;
}

/**
 * Raster tiles are drawn 256 px a side times a power of two: a tile image
 * shown at a fraction of its size blurs, and changing the tile size makes the
 * tile layer fetch everything again, so it steps at 1×, 2×, 4× only, not at
 * every window resize.
 */
export function tileSizeFor(pixelScale: number): number {
  return 256 * 2 ** Math.max(0, Math.round(Math.log2(pixelScale > 0 ? pixelScale : 1)));
}
