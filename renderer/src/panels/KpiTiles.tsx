import type { KpiSummary, PeriodMetrics } from "../../../shared/domain/kpi.js";
import { change } from "../../../shared/domain/kpi.js";
import { describeChange, formatValue, type GoodWhen, type MetricKind } from "./format.js";
import type { PanelMessages } from "./messages.js";

type TileSpec = {
  key: keyof PeriodMetrics;
  label: keyof PanelMessages;
  kind: MetricKind;
  goodWhen: GoodWhen;
  unit?: keyof PanelMessages;
  /** How the figure is counted: the tile's tooltip (docs/DESIGN-NOTES.md, "KPI definitions", says the same). */
  definition: keyof PanelMessages;
  /** What the tile says, in words, when today gives nothing to count (a rate with nothing due): never a bare dash. */
  empty?: keyof PanelMessages;
};

/** The tiles in reading order: the day's flow first, then the evaluation rates, then what is late. */
export const TILE_SPECS: readonly TileSpec[] = [
  { key: "reported", label: "reported", kind: "count", goodWhen: "neither", unit: "cases", definition: "reportedDefinition" },
  { key: "registered", label: "registered", kind: "count", goodWhen: "neither", unit: "cases", definition: "registeredDefinition" },
  { key: "dispatched", label: "dispatched", kind: "count", goodWhen: "neither", unit: "cases", definition: "dispatchedDefinition" },
  { key: "closed", label: "closed", kind: "count", goodWhen: "up", unit: "cases", definition: "closedDefinition" },
  { key: "closureRate", label: "closureRate", kind: "rate", goodWhen: "up", definition: "closureRateDefinition", empty: "nothingDue" },
  { key: "onTimeRate", label: "onTimeRate", kind: "rate", goodWhen: "up", definition: "onTimeRateDefinition", empty: "nothingDue" },
  { key: "reworkRate", label: "reworkRate", kind: "rate", goodWhen: "down", definition: "reworkRateDefinition", empty: "nothingChecked" },
  { key: "averageHandlingHours", label: "handling", kind: "hours", goodWhen: "down", unit: "hours", definition: "handlingDefinition", empty: "noneClosed" },
  { key: "satisfactionRate", label: "satisfactionRate", kind: "rate", goodWhen: "up", definition: "satisfactionRateDefinition", empty: "noneEvaluated" },
  { key: "overdue", label: "overdue", kind: "count", goodWhen: "down", unit: "cases", definition: "overdueDefinition" },
];

/** One comparison: the change, or in words why there is none (not enough history; nothing to compare on one side). */
function Change({ label, delta, history, spec, m, definition }: { label: string; delta: number | null; history: boolean; spec: TileSpec; m: PanelMessages; definition: string }) {
  const view = describeChange(delta, spec.kind, spec.goodWhen, m);
  const missing = !history ? m.noHistory : delta === null ? m.noComparison : null;
  return (
    <span className={`kpi-change kpi-tone-${view.tone}`} aria-label={`${label} ${missing ?? view.words}`} title={definition} data-history={history}>
      <span className="kpi-change-label">{label}</span>
      <span className="kpi-change-value">{missing ?? `${view.arrow} ${view.text}`}</span>
    </span>
  );
}

function Changes({ summary, spec, m }: { summary: KpiSummary; spec: TileSpec; m: PanelMessages }) {
  // Without any history both comparisons say so once, plainly: two "not enough history" would not fit a tile.
  if (summary.yesterday === null && summary.lastYear === null) {
    return (
      <div className="kpi-changes">
        <span className="kpi-change kpi-no-history" data-testid="kpi-no-history">
          <span className="kpi-change-label">
            {m.dayOnDay}·{m.yearOnYear}
          </span>
          <span className="kpi-change-value">{m.noHistory}</span>
        </span>
      </div>
    );
  }
  const today = summary.today[spec.key];
  return (
    <div className="kpi-changes">
      <Change label={m.dayOnDay} delta={change(today, summary.yesterday?.[spec.key])} history={summary.yesterday !== null} spec={spec} m={m} definition={m.dayOnDayDefinition} />
      {/* 同比 is the same date last year, from the engine's daily aggregates; until a year of them exists one tile says so (YearNoHistory). */}
      {summary.lastYear !== null ? (
        <Change label={m.yearOnYear} delta={change(today, summary.lastYear[spec.key])} history spec={spec} m={m} definition={m.yearOnYearDefinition} />
      ) : null}
    </div>
  );
}

/** 同比 without a year of daily aggregates: said once, plainly, in the tile after 在岗人员, rather than clipped on every tile. */
function YearNoHistory({ m }: { m: PanelMessages }) {
  return (
    <div className="kpi-tile kpi-note" data-testid="kpi-year-no-history" title={m.yearOnYearDefinition}>
      <div className="kpi-label">{m.yearOnYear}</div>
      <div className="kpi-value kpi-value-empty">{m.noHistory}</div>
      <div className="kpi-note-detail">{m.yearOnYearWaits}</div>
    </div>
  );
}

export function KpiTiles({ summary, m, compact = false }: { summary: KpiSummary; m: PanelMessages; compact?: boolean }) {
  return (
    <div className={compact ? "kpi-tiles kpi-tiles-compact" : "kpi-tiles"}>
      {TILE_SPECS.map((spec) => {
        const value = summary.today[spec.key];
        return (
          <div
            key={spec.key}
            className={`kpi-tile${spec.key === "overdue" && summary.today.overdue > 0 ? " kpi-tile-alarm" : ""}`}
            data-kpi={spec.key}
            data-testid="kpi-tile"
            data-value={value === null ? "" : String(value)}
            title={`${m[spec.label]}：${m[spec.definition]}`}
          >
            <div className="kpi-label">{m[spec.label]}</div>
            {value === null && spec.empty ? (
              <div className="kpi-value kpi-value-empty">{m[spec.empty]}</div>
            ) : (
              <div className="kpi-value">
                {formatValue(value, spec.kind)}
                {spec.unit && value !== null ? <span className="kpi-unit">{m[spec.unit]}</span> : null}
              </div>
            )}
            <Changes summary={summary} spec={spec} m={m} />
          </div>
        );
      })}
      <div className="kpi-tile" data-kpi="onDuty" title={`${m.onDuty}：${m.onDutyDefinition}`}>
        <div className="kpi-label">{m.onDuty}</div>
        <div className="kpi-value">
          {summary.onDuty}
          <span className="kpi-unit">{m.people}</span>
        </div>
      </div>
      {summary.yesterday !== null && summary.lastYear === null ? <YearNoHistory m={m} /> : null}
    </div>
  );
}
