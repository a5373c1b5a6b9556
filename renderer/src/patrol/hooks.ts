import { useEffect, useRef, useState } from "react";
import type { Bridge, PatrolChecks } from "../../../shared/bridge/contract.js";
import { createGridIndex } from "../../../shared/geo/grid-index.js";
import { useConsole, useDataSelector } from "../state/context.js";
import { regionLayerOf } from "../state/region.js";
import { sameRoster, type RosterEntry } from "./rows.js";

/*
 * What the patrol views read: the checks (asked for when a view opens, then
 * kept current by the pushed `patrolChecks` event the DataStore holds) and the
 * places (grid names, and which grid a point of evidence lies in).
 */

export type PatrolChecksState = { state: "loading" } | { state: "error"; reason: string } | { state: "ready"; checks: PatrolChecks };

/** The later of two answers by their `computedAt` (ISO): a push that overtook the view's own ask wins, and the other way round. */
export function newestChecks(a: PatrolChecks | null, b: PatrolChecks | null): PatrolChecks | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.computedAt) > Date.parse(a.computedAt) ? b : a;
}

/** `ask`: whether to ask the engine now (a view that needs no checks yet, such as the map with nobody selected, reads only what was pushed). */
export function usePatrolChecks(ask = true): PatrolChecksState {
  const { bridge } = useConsole();
  const pushed = useDataSelector((s) => s.patrolChecks);
  const [asked, setAsked] = useState<{ checks: PatrolChecks } | { error: string } | null>(null);
  useEffect(() => {
    if (!ask) return;
    let live = true;
    bridge.call("getPatrolChecks", {}).then(
      (result) => {
        if (live) setAsked(result.ok ? { checks: result.value } : { error: `${result.error.code}: ${result.error.message}` });
      },
      (error: unknown) => {
        if (live) setAsked({ error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [bridge, ask]);
  const checks = newestChecks(asked && "checks" in asked ? asked.checks : null, pushed);
  if (checks) return { state: "ready", checks };
  if (asked && "error" in asked) return { state: "error", reason: asked.error };
  return { state: "loading" };
}

/**
 * The staff as the patrol rows need them. The units map is new on every
 * status change; this stays the same object until a name, role or grid
 * changes, so the rows are sorted again only then (a city's 60,000 by name
 * is most of a second).
 */
export function useRoster(): ReadonlyMap<string, RosterEntry> {
  const units = useDataSelector((s) => s.units);
  const kept = useRef<ReadonlyMap<string, RosterEntry>>(units);
  const [roster, setRoster] = useState<ReadonlyMap<string, RosterEntry>>(units);
  useEffect(() => {
    if (sameRoster(kept.current, units)) return;
    kept.current = units;
    setRoster(units);
  }, [units]);
  return roster;
}

export type Places = {
  names: ReadonlyMap<string, string>;
  /** The name of the grid a WGS84 point lies in; undefined outside every grid or before the layer is read. */
  placeOf: (lon: number, lat: number) => string | undefined;
};

const NO_PLACES: Places = { names: new Map(), placeOf: () => undefined };
const known = new WeakMap<Bridge, Promise<Places>>();

/** Built once per bridge from the shared region layer (regionLayerOf); a failed read is forgotten so a later view tries again. */
function placesOf(bridge: Bridge): Promise<Places> {
  let places = known.get(bridge);
  if (places === undefined) {
    places = regionLayerOf(bridge).then((result) => {
      if (!result.ok || !result.value.ok) {
        known.delete(bridge);
        return NO_PLACES;
      }
      const layer = result.value.layer;
      const names = new Map<string, string>();
      for (const area of [layer.district, ...layer.streets, ...layer.communities, ...layer.grids]) if (area.name !== area.code) names.set(area.code, area.name);
      const index = createGridIndex(layer);
      return {
        names,
        placeOf: (lon: number, lat: number) => {
          const code = index.locate(lon, lat);
          return code === null ? undefined : (names.get(code) ?? code);
        },
      };
    });
    known.set(bridge, places);
  }
  return places;
}

export function usePlaces(): Places {
  const { bridge } = useConsole();
  const [places, setPlaces] = useState<Places>(NO_PLACES);
  useEffect(() => {
    let live = true;
    placesOf(bridge).then(
      (value) => {
        if (live) setPlaces(value);
      },
      // Without the layer, grids show by code and evidence says no place; nothing else depends on it.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  return places;
}
