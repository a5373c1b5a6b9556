import { createContext, useContext, useEffect } from "react";
import type { Bridge, IncidentView } from "../../../shared/bridge/contract.js";
import type { DataStore } from "./store.js";
import { useData } from "./store.js";
import type { DataState } from "./data.js";
import type { UiState, UiStore } from "./ui.js";
import { useUi } from "./ui.js";

export type ConsoleContextValue = { bridge: Bridge; data: DataStore; ui: UiStore };

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error("useConsole outside <ConsoleContext.Provider>");
  return value;
}

export const useDataSelector = <T,>(select: (state: DataState) => T): T => useData(useConsole().data, select);
export const useUiSelector = <T,>(select: (state: UiState) => T): T => useUi(useConsole().ui, select);

/**
 * Holds the cases `ids` while the calling view is mounted (DataStore.hold): the page holds only the cases it
 * shows one by one. Keyed by the ids' JSON, so a new array with the same ids holds nothing new.
 */
export function useHeldCases(ids: readonly string[]): void {
  const { data } = useConsole();
  const key = JSON.stringify(ids);
  useEffect(() => (key === "[]" ? undefined : data.hold(JSON.parse(key) as string[])), [data, key]);
}

/** A case this view shows, held while it is mounted: the case, or `missing` once the engine said it has none, or neither while it is asked for. */
export function useHeldCase(id: string | null): { incident: IncidentView | undefined; missing: boolean } {
  useHeldCases(id === null ? NO_IDS : [id]);
  const incident = useDataSelector((s) => (id === null ? undefined : s.incidents.get(id)));
  const missing = useDataSelector((s) => id !== null && s.missing.has(id));
  return { incident, missing };
}

const NO_IDS: readonly string[] = [];
