import { createContext, useContext } from "react";
import type { Bridge } from "../../../shared/bridge/contract.js";
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
