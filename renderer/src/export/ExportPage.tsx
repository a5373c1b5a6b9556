import { useEffect, useMemo, useState } from "react";
import type { CoverageSummary, PatrolChecks } from "../../../shared/bridge/contract.js";
import { EXPORT_VIEW_PARAM, EXPORT_VIEW_VALUE, HANDOVER_VIEW, isExportLanguage } from "../../../shared/bridge/export-route.js";
import { HandoverPrintPage } from "../handover/HandoverPrintPage.js";
import { gridLayerKey } from "../../../shared/domain/grid-counts.js";
import { createGridIndex } from "../../../shared/geo/grid-index.js";
import type { RegionLayer } from "../../../shared/geo/region.js";
import { regionIndex, type RegionIndex } from "../panels/region-index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { regionLayerOf } from "../state/region.js";
import { buildExportDocument } from "./document.js";
import { buildExportMap } from "./map.js";
import { ExportDocumentView } from "./ExportDocumentView.js";
import { setPrintState, usePrintReady } from "./PrintFrame.js";
import "./export.css";

/*
 * `/?view=briefing&export=pdf&lang=…`: the briefing as a printable document,
 * opened by a shell's own browser (the web host's headless Chromium, or a
 * hidden Electron window) and printed once <html> says it is ready: the
 * figures of the moment the operator asked.
 */

/** True for the export document's URL (`export=pdf`). */
export const isExportView = (search: string): boolean => new URLSearchParams(search).get(EXPORT_VIEW_PARAM) === EXPORT_VIEW_VALUE;

/** The name of the grid a point lies in (the patrol evidence's places). */
function placeFinder(layer: RegionLayer, names: ReadonlyMap<string, string>): (lon: number, lat: number) => string | undefined {
  const index = createGridIndex(layer);
  return (lon, lat) => {
    const code = index.locate(lon, lat);
    return code === null ? undefined : (names.get(code) ?? code);
  };
}

type Loaded<T> = { done: false } | { done: true; value: T | null };

/** The printable document the URL asks for: the handover record (`view=handover`), else the briefing. */
export function ExportPage() {
  return new URLSearchParams(window.location.search).get("view") === HANDOVER_VIEW ? <HandoverPrintPage /> : <BriefingExportPage />;
}

function BriefingExportPage() {
  const { bridge } = useConsole();
  const uiLanguage = useUiSelector((s) => s.language);
  const requested = new URLSearchParams(window.location.search).get("lang");
  const language = isExportLanguage(requested) ? requested : uiLanguage;
  const settings = useDataSelector((s) => s.settings);
  const units = useDataSelector((s) => s.units);
  const gridCounts = useDataSelector((s) => s.gridCounts);
  const dataAsOf = useDataSelector((s) => s.status.dataAsOf);
  const ready = useDataSelector((s) => s.ready);
  const situation = useDataSelector((s) => s.situation);
  const [generatedAt] = useState(() => Date.now());
  const [region, setRegion] = useState<Loaded<{ layer: RegionLayer; index: RegionIndex }>>({ done: false });
  const [coverage, setCoverage] = useState<Loaded<CoverageSummary>>({ done: false });
  const [patrols, setPatrols] = useState<Loaded<PatrolChecks>>({ done: false });

  useEffect(() => {
    setPrintState("loading");
    document.title = "态势简报";
    let live = true;
    // Neither is required: without the layer the map says so and areas show by code; without tracks, coverage says so.
    regionLayerOf(bridge).then(
      (result) => live && setRegion({ done: true, value: result.ok && result.value.ok ? { layer: result.value.layer, index: regionIndex(result.value) } : null }),
      () => live && setRegion({ done: true, value: null }),
    );
    bridge.call("getCoverage", { days: 7 }).then(
      (result) => live && setCoverage({ done: true, value: result.ok ? result.value : null }),
      () => live && setCoverage({ done: true, value: null }),
    );
    bridge.call("getPatrolChecks", {}).then(
      (result) => live && setPatrols({ done: true, value: result.ok ? result.value : null }),
      () => live && setPatrols({ done: true, value: null }),
    );
    return () => {
      live = false;
    };
  }, [bridge]);

  const built = useMemo(() => {
    if (!ready || situation === null || !region.done || !coverage.done || !patrols.done) return null;
    // With a layer, the map's shading waits for the engine's counts (they come within seconds of its start).
    if (region.value && gridCounts === null) return null;
    try {
      const index = region.value?.index ?? { names: new Map<string, string>(), gridCodes: [] };
      const doc = buildExportDocument({
        language,
        subCenterName: settings?.subCenterName ?? "",
        demo: settings?.demo === true,
        generatedAt,
        dataAsOf,
        situation,
        names: index.names,
        gridCodes: index.gridCodes,
        coverage: coverage.value,
        patrolChecks: patrols.value,
        units,
        ...(region.value ? { placeOf: placeFinder(region.value.layer, index.names) } : {}),
      });
      // The engine's counts, when they are for this layer (a page that opened before they were counted waits for them below).
      const counts = region.value && gridCounts?.layer === gridLayerKey(region.value.layer.grids) ? gridCounts : null;
      const map = region.value ? buildExportMap(region.value.layer, counts) : null;
      return { doc, map, error: null };
    } catch (error) {
      return { doc: null, map: null, error: error instanceof Error ? error.message : String(error) };
    }
  }, [ready, situation, region, coverage, patrols, settings, gridCounts, units, dataAsOf, generatedAt, language]);

  usePrintReady(built !== null && built.error === null, built?.error ?? null);

  if (built?.doc) return <ExportDocumentView doc={built.doc} map={built.map} />;
  return <p className="export-loading">{built?.error ?? "正在生成简报… / Building the briefing…"}</p>;
}
