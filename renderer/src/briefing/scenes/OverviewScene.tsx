import { MapView } from "../../map/MapView.js";
import { TrendChart, TrendLegend } from "../../panels/charts.js";
import { KpiTiles } from "../../panels/KpiTiles.js";
import type { SceneProps } from "./types.js";

/** The map with today's key figures and the week's trend beside it. */
export function OverviewScene({ situation, panel, m }: SceneProps) {
  return (
    <div className="briefing-overview">
      <div className="briefing-map">
        <MapView />
      </div>
      <div className="briefing-overview-side">
        <KpiTiles summary={situation.summary} m={panel} compact />
        <section className="briefing-card briefing-overview-trend">
          <h2 className="briefing-card-title">
            {m.trend} <TrendLegend m={panel} />
          </h2>
          <div className="briefing-chart">
            <TrendChart trend={situation.trend} m={panel} fontRem={1.125} />
          </div>
        </section>
      </div>
    </div>
  );
}
