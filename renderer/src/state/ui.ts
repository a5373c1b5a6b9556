import { useSyncExternalStore } from "react";

export type Language = "zh-CN" | "en";

/** The grid-map drill-down: null = whole district. */
export type AreaSelection = { level: "street" | "community" | "grid"; code: string } | null;

/** View-only state: what the operator is looking at. Nothing here reaches the engine. */
export type UiState = {
  language: Language;
  briefing: boolean;
  /** The patrol screen (`/?view=patrols`): the check list and the assessment, with the map. */
  patrols: boolean;
  selectedIncidentId: string | null;
  selectedUnitId: string | null;
  /** Selecting an area on the map filters the queue. */
  area: AreaSelection;
  /** Set while the operator picks a place on the map (a phone-in report); the map writes the click to `pickedLocation`. */
  pickingLocation: boolean;
  /** The open report's point, which the map marks: a click while picking, or the form's own (`focus`: bring it into view at street level). */
  pickedLocation: { lon: number; lat: number; focus?: boolean } | null;
  /**
   * The staff member opened from the patrol check list: the map shows their judged shift whole once its track
   * arrives. Other selections (a dot, an SOS's 查看) draw the shift too but leave the camera where they put it.
   */
  shiftFocusUnitId: string | null;
  /** Raised by one to ask the map to fly to the selected case again (its 在地图上显示 button), wherever the operator has moved the map since. */
  focusRequest: number;
};

export class UiStore {
  private state: UiState;
  private listeners = new Set<() => void>();

  constructor(initial: Partial<UiState> = {}) {
    this.state = { language: "zh-CN", briefing: false, patrols: false, selectedIncidentId: null, selectedUnitId: null, area: null, pickingLocation: false, pickedLocation: null, focusRequest: 0, shiftFocusUnitId: null, ...initial };
  }

  getState = (): UiState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

export function useUi<T>(store: UiStore, select: (state: UiState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
