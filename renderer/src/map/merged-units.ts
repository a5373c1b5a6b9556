import { useMemo, useState } from "react";
import { CLUSTER_SEPARATION_PX, UnitClusterIndex, type MergedUnits } from "./layers/unit-clusters.js";
import { ShownUnitData } from "./layers/unit-layers.js";
import type { LiveSnapshot } from "./live-units.js";

/*
 * The staff glyphs merged for the zoom shown (layers/unit-clusters.ts): made
 * again when a new staff picture is published (at most twice a second,
 * hooks.ts) or the zoom moves a tenth of a level, never per frame; a pan
 * changes nothing. The separation follows the wall's pixel scale, as the
 * glyphs do.
 */

export type MergedStaff = { merged: MergedUnits; data: ShownUnitData };

export function useMergedUnits(live: LiveSnapshot, zoom: number, pixelScale: number): MergedStaff {
  const [index] = useState(() => new UnitClusterIndex());
  const [data] = useState(() => new ShownUnitData());
  return useMemo(() => {
    const merged = index.merge(live, zoom, CLUSTER_SEPARATION_PX * pixelScale);
    data.sync(live.deck, merged);
    return { merged, data };
  }, [index, data, live, zoom, pixelScale]);
}
