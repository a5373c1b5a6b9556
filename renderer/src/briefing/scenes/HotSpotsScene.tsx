import { communityOf } from "../../../../shared/domain/kpi-breakdown.js";
import { fill } from "../../i18n/index.js";
import { BarList } from "../../panels/charts.js";
import { OKABE_ITO } from "../../panels/palette.js";
import type { SceneProps } from "./types.js";

const one = (n: number) => (Math.round(n * 10) / 10).toFixed(1);

/** Grids well above their own recent level today, each with the reason in words. */
export function HotSpotsScene({ situation, region, m }: SceneProps) {
  const spots = situation.hotSpots.slice(0, 6);
  const historyShort = situation.summary.yesterday === null && spots.length === 0;
  return (
    <div className="briefing-split">
      <section className="briefing-card">
        <h2 className="briefing-card-title">{m.hotSpots}</h2>
        {spots.length === 0 ? (
          <>
            <p className="briefing-empty">{historyShort ? m.historyShort : m.noHotSpots}</p>
            {/* With no hot spot to show, the busiest communities fill the card: still the answer to "where is it busy?". */}
            {situation.communities.length > 0 ? (
              <>
                <h3 className="briefing-card-subtitle">{m.topCommunities}</h3>
                <div className="briefing-chart">
                  <BarList rows={situation.communities.map((c) => ({ name: c.name, value: c.count }))} colour={OKABE_ITO.skyBlue} labelWidthRem={12} fontRem={1.25} />
                </div>
              </>
            ) : null}
          </>
        ) : (
          <ol className="briefing-hotspots">
            {spots.map((spot) => (
              <li key={spot.gridCode} className="briefing-hotspot" data-grid={spot.gridCode}>
                <span className="briefing-hotspot-mark" aria-hidden="true">
                  ▲
                </span>
                <span className="briefing-hotspot-place">
                  <span className="briefing-hotspot-name">{region.names.get(spot.gridCode) ?? spot.gridCode}</span>
                  <span className="briefing-hotspot-parent">{region.names.get(communityOf(spot.gridCode)) ?? ""}</span>
                </span>
                <span className="briefing-hotspot-count">
                  {spot.today}
                  <small>{m.casesUnit}</small>
                </span>
                <span className="briefing-hotspot-reason">
                  {fill(m.hotReason, { today: spot.today, days: spot.baselineDays, mean: one(spot.mean) })}
                  <span className="briefing-muted"> · {fill(m.hotThreshold, { threshold: one(spot.threshold) })}</span>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="briefing-card">
        <h2 className="briefing-card-title">{m.topGrids}</h2>
        <div className="briefing-chart">
          {situation.grids.length === 0 ? (
            <p className="briefing-empty">{m.noData}</p>
          ) : (
            <BarList rows={situation.grids.map((g) => ({ name: g.name, value: g.count }))} colour={OKABE_ITO.orange} labelWidthRem={16} fontRem={1.25} />
          )}
        </div>
      </section>
    </div>
  );
}
