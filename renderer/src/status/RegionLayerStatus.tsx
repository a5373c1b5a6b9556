import { fill, useMessages } from "../i18n/index.js";
import { useConsole } from "../state/context.js";
import { regionLayerFaults, useRegionLayer } from "../state/region.js";
import { regionStatusMessages } from "./region-status-messages.js";
import "./region-status.css";

/*
 * Whether the grid layer is sound, next to the feed's state: a layer with
 * faults (grids missing from the map, or all of them) says so in the header,
 * since a blank or half-drawn map under 在线 reads as "nothing is happening".
 * Nothing shows while the layer is sound or still on its way; `data-state`
 * is `pending`, `ok` or `broken` for tests.
 */
export function RegionLayerStatus() {
  const { bridge } = useConsole();
  const t = useMessages(regionStatusMessages);
  const faults = regionLayerFaults(useRegionLayer(bridge));
  const state = faults === null ? "pending" : faults.length === 0 ? "ok" : "broken";
  if (state !== "broken") return <span data-testid="region-layer-status" data-state={state} hidden />;
  const count = faults?.length ?? 0;
  return (
    <div className="region-status region-status--broken" data-testid="region-layer-status" data-state="broken" data-faults={count} role="status" title={fill(t.brokenTitle, { count })}>
      <span aria-hidden="true">⚠</span> {t.broken} <strong>{count}</strong>
    </div>
  );
}
