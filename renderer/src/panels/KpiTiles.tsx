import type { KpiSummary, PeriodMetrics } from "../../../shared/domain/kpi.js";
import { change } from "../../../shared/domain/kpi.js";
import { describeChange, formatValue, type GoodWhen, type MetricKind } from "./format.js";
import type { PanelMessages } from "./messages.js";

type TileSpec = { key: keyof PeriodMetrics; label: keyof PanelMessages; kind: MetricKind; goodWhen: GoodWhen; unit?: keyof PanelMessages };

/** The tiles in reading order: the day's flow first, then the evaluation rates, then what is late. */
export const TILE_SPECS: readonly TileSpec[] = [
  { key: "reported", label: "reported", kind: "count", goodWhen: "neither", unit: "cases" },
  { key: "registered", label: "registered", kind: "count", goodWhen: "neither", unit: "cases" },
  { key: "dispatched", label: "dispatched", kind: "count", goodWhen: "neither", unit: "cases" },
  { key: "closed", label: "closed", kind: "count", goodWhen: "up", unit: "cases" },
  { key: "closureRate", label: "closureRate", kind: "rate", goodWhen: "up" },
  { key: "onTimeRate", label: "onTimeRate", kind: "rate", goodWhen: "up" },
  { key: "reworkRate", label: "reworkRate", kind: "rate", goodWhen: "down" },
  { key: "averageHandlingHours", label: "handling", kind: "hours", goodWhen: "down", unit: "hours" },
  { key: "overdue", label: "overdue", kind: "count", goodWhen: "down", unit: "cases" },
];

function Change({ label, delta, spec, m }: { label: string; delta: number | null; spec: TileSpec; m: PanelMessages }) {
  const view = describeChange(delta, spec.kind, spec.goodWhen, m);
  return (
    <span className={`kpi-change kpi-tone-${view.tone}`} aria-label={`${label} ${view.words}`}>
      <span className="kpi-change-label">{label}</span>
      <span className="kpi-change-value">
        {view.arrow} {view.text}
      </span>
    </span>
  );
}

export function KpiTiles({ summary, m, compact = false }: { summary: KpiSummary; m: PanelMessages; compact?: boolean }) {
  return (
    <div className={compact ? "kpi-tiles kpi-tiles-compact" : "kpi-tiles"}>
      {TILE_SPECS.map((spec) => (
        <div key={spec.key} className={`kpi-tile${spec.key === "overdue" && summary.today.overdue > 0 ? " kpi-tile-alarm" : ""}`} data-kpi={spec.key}>
          <div className="kpi-label">{m[spec.label]}</div>
          <div className="kpi-value">
            {formatValue(summary.today[spec.key], spec.kind)}
            {spec.unit && summary.today[spec.key] !== null ? <span className="kpi-unit">{m[spec.unit]}</span> : null}
          </div>
          <div className="kpi-changes">
            <Change label={m.dayOnDay} delta={change(summary.today[spec.key], summary.yesterday?.[spec.key])} spec={spec} m={m} />
            <Change label={m.weekOnWeek} delta={change(summary.today[spec.key], summary.lastWeek?.[spec.key])} spec={spec} m={m} />
          </div>
        </div>
      ))}
      <div className="kpi-tile" data-kpi="onDuty">
        <div className="kpi-label">{m.onDuty}</div>
        <div className="kpi-value">
          {summary.onDuty}
          <span className="kpi-unit">{m.people}</span>
        </div>
      </div>
    </div>
  );
}
