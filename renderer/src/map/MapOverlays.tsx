import { useState, type ReactNode } from "react";
import type { UnitView } from "../../../shared/bridge/contract.js";
import { WEEKLY_MINIMUM_VISITS } from "../../../shared/domain/coverage.js";
import { maskPhone } from "../../../shared/domain/masking.js";
import type { RegionImportIssue } from "../../../shared/geo/faults.js";
import type { RegionArea } from "../../../shared/geo/region.js";
import type { Priority } from "../../../shared/protocol/types.js";
import { PRIORITY_NAMES, ROLE_NAMES, STATUS_NAMES, UNIT_STATUS_NAMES } from "../app/labels.js";
import { fill } from "../i18n/index.js";
import type { Language } from "../state/ui.js";
import type { GridMetric, Rgba } from "./layers/choropleth.js";
import { GRID_METRICS, legendEntries } from "./layers/choropleth.js";
import { OPEN_STATUSES_DRAWN, PRIORITY_STYLE, STATUS_GLYPHS } from "./layers/icons.js";
import type { DrillLevel } from "./layers/region.js";
import type { mapMessages } from "./messages.js";
import { regionFaultMessages } from "./region-fault-messages.js";
import { describeRegionFault } from "./region-faults.js";
import "./region-faults.css";

type Text = (typeof mapMessages)["zh-CN"];

const css = (c: Rgba) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] / 255).toFixed(2)})`;

export function Breadcrumb({ path, onSelect, text }: { path: { level: DrillLevel | "district"; area: RegionArea }[]; onSelect: (index: number) => void; text: Text }) {
  return (
    <nav className="map-breadcrumb" aria-label={text.breadcrumb}>
      {path.map((step, i) => (
        <span key={step.area.code}>
          {i > 0 && <span className="map-breadcrumb-sep">›</span>}
          {i < path.length - 1 ? (
            <button type="button" onClick={() => onSelect(i)}>{step.area.name}</button>
          ) : (
            <strong aria-current="location">{step.area.name}</strong>
          )}
        </span>
      ))}
    </nav>
  );
}

const METRIC_LABEL: Record<GridMetric, keyof Text> = { open: "metricOpen", overdue: "metricOverdue", coverage: "metricCoverage", weekly: "metricWeekly" };

export function MetricPanel({ metric, onMetric, text }: { metric: GridMetric; onMetric: (m: GridMetric) => void; text: Text }) {
  const unit = metric === "coverage" || metric === "weekly" ? text.legendVisits : text.legendCases;
  return (
    <div className="map-panel map-metric">
      <div className="map-panel-title">{text.metric}</div>
      <div className="map-metric-switch" role="radiogroup" aria-label={text.metric}>
        {GRID_METRICS.map((m) => (
          <button key={m} type="button" role="radio" aria-checked={m === metric} className={m === metric ? "active" : ""} onClick={() => onMetric(m)} data-metric={m}>
            {text[METRIC_LABEL[m]]}
          </button>
        ))}
      </div>
      <ol className="map-legend">
        {legendEntries(metric).map((entry) => (
          <li key={entry.label}>
            <span className="map-swatch" style={{ background: css([entry.color[0], entry.color[1], entry.color[2], 255]) }} />
            {entry.label} {unit}
          </li>
        ))}
      </ol>
      {metric === "weekly" ? <p className="map-legend-note">{fill(text.legendWeeklyRule, { minimum: WEEKLY_MINIMUM_VISITS })}</p> : null}
    </div>
  );
}

const SHAPE_CHAR: Record<(typeof PRIORITY_STYLE)[Priority]["shape"], string> = { triangle: "▲", diamond: "◆", circle: "●", square: "■" };

export function MarkerLegend({ language, text }: { language: Language; text: Text }) {
  const priorities: Priority[] = ["urgent", "high", "normal", "low"];
  return (
    <div className="map-panel map-marker-legend">
      <div className="map-panel-title">{text.priorityLegend}</div>
      <div className="map-legend-row">
        {priorities.map((p) => (
          <span key={p}>
            <span style={{ color: PRIORITY_STYLE[p].color }}>{SHAPE_CHAR[PRIORITY_STYLE[p].shape]}</span> {PRIORITY_NAMES[language][p]}
          </span>
        ))}
      </div>
      <div className="map-legend-row">
        {OPEN_STATUSES_DRAWN.map((s) => (
          <span key={s}>
            <b>{STATUS_GLYPHS[language][s]}</b> {STATUS_NAMES[language][s]}
          </span>
        ))}
      </div>
      <div className="map-legend-row">
        <span><span className="map-ring" /> {text.overdueRing}</span>
      </div>
      <div className="map-legend-row">{text.unitLegend}</div>
    </div>
  );
}

export function UnitStatusBar({ shown, stale, sos, text }: { shown: number; stale: number; sos: number; text: Text }) {
  return (
    <div className="map-panel map-units">
      <span>{text.unitsShown}</span>
      <strong data-testid="unit-count" data-count={shown}>{shown}</strong>
      {stale > 0 && <span className="map-units-stale">{fill(text.unitsStale, { count: stale })}</span>}
      {sos > 0 && <span className="map-units-sos">⚠ {text.sos} {sos}</span>}
    </div>
  );
}

export function fixAge(at: number, now: number, text: Text): string {
  if (!(at > 0)) return text.never;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return fill(text.secondsAgo, { n: seconds });
  if (seconds < 3600) return fill(text.minutesAgo, { n: Math.floor(seconds / 60) });
  return fill(text.hoursAgo, { n: Math.floor(seconds / 3600) });
}

export function UnitCard({ unit, fixAt, now, gridName, language, text, onClose, children }: { unit: UnitView; fixAt: number; now: number; gridName: string | undefined; language: Language; text: Text; onClose: () => void; children?: ReactNode }) {
  return (
    <div className={`map-panel map-unit-card${unit.status === "sos" ? " sos" : ""}`} data-testid="map-unit-card">
      <div className="map-unit-card-head">
        <strong>{unit.name}</strong>
        <button type="button" onClick={onClose} aria-label={text.close}>✕</button>
      </div>
      <dl>
        <dt>{text.role}</dt>
        <dd>{ROLE_NAMES[language][unit.role]}</dd>
        <dt>{text.status}</dt>
        <dd>{UNIT_STATUS_NAMES[language][unit.status]}</dd>
        <dt>{text.lastFix}</dt>
        <dd>{fixAge(fixAt, now, text)}</dd>
        <dt>{text.grid}</dt>
        <dd>{gridName ?? unit.gridCode}</dd>
        {unit.phone !== undefined && (
          <>
            <dt>{text.phone}</dt>
            <dd>{maskPhone(unit.phone)}</dd>
          </>
        )}
      </dl>
      {children}
    </div>
  );
}

/** Faults listed on the map: the rest are in the log (the English of each). */
const FAULTS_LISTED = 200;

/**
 * A grid layer's faults over the map, in the console's language: which
 * features were left out or drawn wrong, so the duty operator knows which
 * grids the map lacks and the GIS technician where to look. `drawn` is the
 * number of grids drawn, null when none could be.
 */
export function RegionFaultPanel({ faults, drawn, language }: { faults: readonly RegionImportIssue[]; drawn: number | null; language: Language }) {
  const text = regionFaultMessages[language];
  const [open, setOpen] = useState(true);
  const omitted = faults.filter((f) => f.omitted === true).length;
  const summary = drawn === null ? fill(text.summaryBlank, { count: faults.length }) : fill(text.summaryPartial, { count: faults.length, drawn, omitted });
  return (
    <section className={`map-panel map-region-faults${drawn === null ? " map-region-faults--blank" : ""}`} data-testid="region-layer-faults" data-count={faults.length} role="alert" aria-label={text.panelTitle}>
      <div className="map-region-faults-head">
        <strong>⚠ {text.panelTitle}</strong>
        <span>{summary}</span>
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? text.collapse : text.expand}
        </button>
      </div>
      {open && (
        <>
          <p className="map-region-faults-hint">{text.fixHint}</p>
          <ol className="map-region-faults-list">
            {faults.slice(0, FAULTS_LISTED).map((fault, i) => {
              const { where, what } = describeRegionFault(fault, language);
              return (
                <li key={i} data-testid="region-layer-fault" data-code={fault.code} data-feature-index={fault.index ?? ""} data-omitted={String(fault.omitted === true)}>
                  <span className="map-region-faults-where">{where}</span>
                  {fault.omitted !== undefined && <span className={`map-region-faults-tag${fault.omitted ? " left-out" : ""}`}>{fault.omitted ? text.leftOut : text.drawnWrong}</span>}
                  <span className="map-region-faults-what">{what}</span>
                </li>
              );
            })}
          </ol>
          {faults.length > FAULTS_LISTED && <p className="map-region-faults-hint">{fill(text.more, { count: faults.length - FAULTS_LISTED })}</p>}
        </>
      )}
    </section>
  );
}
