import type { Layer } from "@deck.gl/core";

/*
 * What a set of deck.gl layers draws in screen pixels: each size accessor
 * times its scale prop, plus the pixel paddings and offsets. The map's tests
 * compare these at two pixel scales to prove that every pixel size follows
 * the wall's rem and that none was missed. Not shipped.
 */

type Accessor = (object: unknown, info: { index: number; data: unknown; target: number[] }) => unknown;

/** Size accessors and the scale prop deck.gl multiplies each by. */
const SCALED = [
  ["getSize", "sizeScale"],
  ["getRadius", "radiusScale"],
  ["getLineWidth", "lineWidthScale"],
  ["getWidth", "widthScale"],
] as const;
/** Pixel props that no scale prop reaches: the builder must multiply them itself. */
const UNSCALED = ["backgroundPadding", "getPixelOffset"] as const;

/** An accessor's value for the first object (a constant as it is); null where it reads a binary attribute instead. */
function valueOf(accessor: unknown, data: unknown): unknown {
  if (typeof accessor !== "function") return accessor;
  if (!Array.isArray(data) || data.length === 0) return null;
  return (accessor as Accessor)(data[0], { index: 0, data, target: [] });
}

const numbers = (value: unknown): number[] => (typeof value === "number" ? [value] : Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : []);

/** Layer id → the pixel sizes it draws with, in a fixed order. */
export function pixelSizes(layers: readonly Layer[]): Record<string, number[]> {
  const sizes: Record<string, number[]> = {};
  for (const layer of layers) {
    const props = layer.props as unknown as Record<string, unknown>;
    const out: number[] = [];
    for (const [accessor, scaleProp] of SCALED) {
      const scale = props[scaleProp];
      if (typeof scale !== "number") continue;
      const value = valueOf(props[accessor], props["data"]);
      // A binary attribute (staff radii) is drawn times the scale prop: the scale alone tells.
      out.push(...(value === null ? [scale] : numbers(value).map((v) => v * scale)));
    }
    for (const prop of UNSCALED) out.push(...numbers(valueOf(props[prop], props["data"])));
    sizes[layer.id] = out;
  }
  return sizes;
}
