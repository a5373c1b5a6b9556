import { memo } from "react";
import { useMessages } from "../i18n/index.js";
import { CategoryChart, LedgerChart, TrendChart, TrendLegend } from "./charts.js";
import { splitLedger } from "../../../shared/domain/kpi-departments.js";
import { fill } from "../i18n/index.js";
import { useSituation } from "./hooks.js";
import type { Situation } from "../../../shared/domain/situation.js";
import { KpiTiles } from "./KpiTiles.js";
import { panelMessages, type PanelMessages } from "./messages.js";
import { useWallLayout } from "../app/useWallLayout.js";
import "./panels.css";

/** The wall's left column: today's KPIs with 环比/同比, the 7-day trend, the category mix and the overdue ledger. */
export function KpiPanel() {
  const m = useMessages(panelMessages);
  const situation = useSituation();
  // On a 32:9 wall and wider, the category mix and the ledger have a tall panel each (theme/layouts.css): room for ten bars.
  const shape = useWallLayout().shape;
  const limit = shape === "32:9" || shape === "48:9" ? 10 : 5;
  return <KpiPanelBody situation={situation} m={m} limit={limit} />;
}

/** The panel's content, memoised: the tiles and charts redraw only when the engine sends a new situation (or the wall's shape changes). */
const KpiPanelBody = memo(function KpiPanelBody({ situation, m, limit }: { situation: Situation | null; m: PanelMessages; limit: number }) {
  if (!situation) return <section className="kpi-panel kpi-panel-empty" data-testid="kpi-panel">{m.loading}</section>;
  const ledger = splitLedger(situation.ledger);
  return (
    <section className="kpi-panel" data-testid="kpi-panel" aria-label={m.title}>
      <KpiTiles summary={situation.summary} m={m} />
      <figure className="kpi-chart kpi-chart-trend">
        <figcaption>
          {m.trend} <TrendLegend m={m} />
        </figcaption>
        <div className="kpi-chart-body">
          <TrendChart trend={situation.trend} m={m} />
        </div>
      </figure>
      <figure className="kpi-chart">
        <figcaption>{m.categories}</figcaption>
        <div className="kpi-chart-body">
          {situation.categories.length > 0 ? <CategoryChart categories={situation.categories} limit={limit} /> : <p className="kpi-none">{m.none}</p>}
        </div>
      </figure>
      <figure className="kpi-chart">
        <figcaption>{m.ledger}</figcaption>
        {/* The sub-center's own overdue cases, not yet dispatched: its debt, not a department's, so not on the board. */}
        <p className={`kpi-own-backlog${ledger.ownBacklog > 0 ? " kpi-own-backlog-alarm" : ""}`} data-testid="ledger-own-backlog" data-count={ledger.ownBacklog} title={`${fill(m.ownBacklog, { count: ledger.ownBacklog })}\n${m.ownBacklogDefinition}`}>
          {fill(m.ownBacklog, { count: ledger.ownBacklog })}
        </p>
        <div className="kpi-chart-body">
          {ledger.departments.length > 0 ? <LedgerChart ledger={ledger.departments} m={m} limit={limit} /> : <p className="kpi-none">{m.none}</p>}
        </div>
      </figure>
    </section>
  );
});
