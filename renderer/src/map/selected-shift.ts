import { useEffect, useMemo, useRef, useState } from "react";
import type { PatrolTrack } from "../../../shared/bridge/contract.js";
import { fill } from "../i18n/index.js";
import { evidenceLabel } from "../patrol/evidence.js";
import { usePatrolChecks, useRoster } from "../patrol/hooks.js";
import { patrolMessages } from "../patrol/messages.js";
import { useConsole } from "../state/context.js";
import type { Language } from "../state/ui.js";
import { patrolBounds, patrolMarks, trackPath, type LonLat, type PatrolMarks } from "./layers/patrol-track.js";

/*
 * The selected staff member's judged shift, for the map: their latest shift
 * with enough data to judge (the patrol check's `shift`), its track asked of
 * the engine for exactly that shift's from–to, and the findings as marks.
 * Nothing is asked while nobody is selected.
 */

/**
 * `shift`: which shift (unit and start: a shift still under way keeps its name as its end moves on, so the map
 * is not fitted again each time the checks are pushed); `key`: what is drawn (its end and the labels' language).
 */
export type SelectedShift = { shift: string; key: string; positions: Float64Array; ends: LonLat[]; marks: PatrolMarks; bounds: [number, number, number, number] | null };

export function useSelectedShift(unitId: string | null, language: Language): SelectedShift | null {
  const { bridge } = useConsole();
  const units = useRoster();
  const checks = usePatrolChecks(unitId !== null);
  const check = unitId !== null && checks.state === "ready" ? checks.checks.checks.find((c) => c.unitId === unitId) : undefined;
  const shift = check?.shift ?? null;
  const from = shift?.from ?? null;
  const to = shift?.to ?? null;
  const [track, setTrack] = useState<PatrolTrack | null>(null);

  useEffect(() => {
    if (unitId === null || from === null || to === null) return;
    let live = true;
    bridge.call("getPatrolTrack", { unitId, from, to }).then(
      (result) => {
        if (live && result.ok) setTrack(result.value);
      },
      // No track: the card still says the verdict and its evidence in words; the map just draws nothing for it.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge, unitId, from, to]);

  return useMemo(() => {
    // A shift under way gets a new end with each push of the checks: its track so far stays drawn until the longer one arrives.
    if (!shift || unitId === null || !track || track.unitId !== unitId || track.from !== from) return null;
    const text = patrolMessages[language];
    const nameOf = (id: string) => units.get(id)?.name ?? fill(text.unknownUnit, { id });
    const labels = shift.evidence.map((evidence) => evidenceLabel(evidence, { text, nameOf }));
    const marks = patrolMarks(shift.evidence, labels);
    const { positions, ends } = trackPath(track.data);
    const id = `${unitId}:${from}`;
    return { shift: id, key: `${id}:${track.to}:${language}`, positions, ends, marks, bounds: patrolBounds(positions, marks) };
  }, [shift, unitId, track, from, language, units]);
}

/**
 * Room around a shift fitted to the map: the staff card (map.css .map-unit-card, 6rem from the top, with its
 * verdict and a few findings) covers the top left, so the track is kept below it while the map is tall enough.
 */
export function shiftPadding(height: number, pixelScale: number): { top: number; bottom: number; left: number; right: number } {
  const rem = 16 * pixelScale;
  const top = Math.min(22 * rem, height / 2);
  return { top, bottom: 3 * rem, left: 3 * rem, right: 3 * rem };
}

/** Calls `fit` once per shift shown (not again for a relabelled one, nor on every position update), so the operator can then move the map freely. */
export function useFitShift(shown: SelectedShift | null, fit: (bounds: [number, number, number, number]) => void): void {
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    if (!shown) {
      fitted.current = null;
      return;
    }
    if (!shown.bounds || shown.shift === fitted.current) return;
    fitted.current = shown.shift;
    fit(shown.bounds);
  }, [shown, fit]);
}
