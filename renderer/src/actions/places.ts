import { useEffect, useState } from "react";
import type { Bridge, RegionLayerResult } from "../../../shared/bridge/contract.js";
import { areaNames, gridLabel, gridTitle, nameGrid, type AreaNames } from "../../../shared/geo/gazetteer.js";
import { useConsole } from "../state/context.js";
import { regionLayerNow, regionLayerOf } from "../state/region.js";
import { actionMessages } from "./messages.js";
import { useMessages } from "../i18n/index.js";

/*
 * The region layer's names by code, for every view that shows a grid to a
 * person (the report form, the case's detail, the queue). Built once per
 * layer and shared: the queue's rows and the detail read the same table.
 */

const built = new WeakMap<RegionLayerResult & { ok: true }, AreaNames>();
const NONE: AreaNames = new Map();

function namesOf(result: RegionLayerResult): AreaNames {
  if (!result.ok) return NONE;
  let names = built.get(result);
  if (names === undefined) {
    names = areaNames(result.layer);
    built.set(result, names);
  }
  return names;
}

/** The layer's area names; empty until the layer arrives, and for a layer that did not load (every grid then reads 未知网格). */
export function useAreaNames(): AreaNames {
  const { bridge } = useConsole();
  return useNamesOf(bridge);
}

function useNamesOf(bridge: Bridge): AreaNames {
  // A view opened after the layer came (the case's detail) reads names in its first frame, never a flash of 未知网格.
  const [names, setNames] = useState<AreaNames>(() => {
    const known = regionLayerNow(bridge);
    return known === undefined ? NONE : namesOf(known);
  });
  useEffect(() => {
    let alive = true;
    regionLayerOf(bridge).then(
      (result) => alive && result.ok && setNames(namesOf(result.value)),
      // Without the layer, grids read as unknown with their code in the tooltip; nothing else depends on it.
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [bridge]);
  return names;
}

/** A grid code as a person reads it (`full` or `short`) and its tooltip (the full name and the code). */
export function useGridWords(): (code: string, form: "full" | "short") => { label: string; title: string } {
  const names = useAreaNames();
  const t = useMessages(actionMessages);
  return (code, form) => {
    const name = nameGrid(names, code);
    return { label: gridLabel(name, form, t.gridUnknownName), title: gridTitle(name, t.gridUnknownName) };
  };
}
