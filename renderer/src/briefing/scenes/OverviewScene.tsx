import { MapView } from "../../map/MapView.js";
import { KpiTiles } from "../../panels/KpiTiles.js";
import type { SceneProps } from "./types.js";

/** The map with today's key figures beside it. */
export function OverviewScene({ situation, panel }: SceneProps) {
  return (
    <div className="briefing-overview">
      <div className="briefing-map">
        <MapView />
      </div>
      <div className="briefing-overview-kpis">
        <KpiTiles summary={situation.summary} m={panel} compact />
      </div>
    </div>
  );
}
