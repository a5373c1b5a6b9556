import type { RegionLayerResult } from "../../../shared/bridge/contract.js";
import { areaNames, gridLabel, gridTitle, nameGrid, type AreaNames } from "../../../shared/geo/gazetteer.js";
import { useConsole } from "../state/context.js";
import { useFromRegionLayer } from "../state/region.js";
import { actionMessages } from "./messages.js";
import { useMessages } from "../i18n/index.js";

/*
 * The region layer's names by code, for every view that shows a grid to a
 * person (the report form, the case's detail, the queue). Built once per
 * layer and shared: the queue's rows and the detail read the same table.
 */

const NONE: AreaNames = new Map();

const namesOf = (result: RegionLayerResult): AreaNames => (result.ok ? areaNames(result.layer) : NONE);

/** The layer's area names; empty until the layer arrives, and for a layer that did not load (every grid then reads 未知网格). */
export function useAreaNames(): AreaNames {
  const { bridge } = useConsole();
  return useFromRegionLayer(bridge, namesOf, NONE);
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
