import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { CategoryShare, TrendDay } from "../../../shared/domain/kpi-breakdown.js";
import { UNASSIGNED, type LedgerRow } from "../../../shared/domain/kpi-departments.js";
import type { PanelMessages } from "./messages.js";
import { fitName } from "./format.js";
import { OKABE_ITO } from "./palette.js";
import { useRem } from "./useRem.js";

/*
 * The panel's charts. Animation is off: a wall redrawn every second should not
 * wobble, and a briefing screenshot should be the data, not a frame of a tween.
 * Every bar carries its number, so nothing is read from colour or length alone.
 */

const AXIS = "#B8C4D0";
const GRID = "#2A3A4F";

/** `fontRem`: 0.875 (14 px at 1080p) on the operator wall; the briefing, read from further away, passes more. */
function useChartFont(fontRem: number) {
  const rem = useRem();
  return { rem, tick: { fill: AXIS, fontSize: fontRem * rem }, label: { fill: "#E6EDF3", fontSize: fontRem * rem } };
}

/** The trend's key, set in the caption line rather than under the plot: a narrow column cannot spare the height. */
export function TrendLegend({ m }: { m: PanelMessages }) {
  return (
    <span className="kpi-legend">
      <span className="kpi-legend-item">
        <span className="kpi-legend-swatch" style={{ background: OKABE_ITO.skyBlue }} aria-hidden="true" />
        {m.trendReported}
      </span>
      <span className="kpi-legend-item">
        <span className="kpi-legend-swatch" style={{ background: OKABE_ITO.orange }} aria-hidden="true" />
        {m.trendClosed}
      </span>
    </span>
  );
}

/** Reported and closed per day, as paired bars (reported left, closed right, each with its number): the gap is the backlog building up. */
export function TrendChart({ trend, m, fontRem = 0.875 }: { trend: readonly TrendDay[]; m: PanelMessages; fontRem?: number }) {
  const { rem, tick, label } = useChartFont(fontRem);
  const data = trend.map((d) => ({ ...d, day: d.date.slice(5) }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 1.25 * rem, right: 0.5 * rem, bottom: 0, left: 0 }} barGap={2}>
        <CartesianGrid stroke={GRID} vertical={false} />
        {/* recharts' 30 px axis, in rem: at 4K its 28 px dates otherwise hang below the chart's edge. */}
        <XAxis dataKey="day" tick={tick} stroke={GRID} interval={0} height={(30 / 14) * fontRem * rem} />
        {/* Room for four digits and the tick: a busy district reports over 1,000 cases a day. */}
        <YAxis tick={tick} stroke={GRID} allowDecimals={false} width={3.6 * fontRem * rem} />
        <Bar dataKey="reported" name={m.trendReported} fill={OKABE_ITO.skyBlue} isAnimationActive={false}>
          <LabelList dataKey="reported" position="top" style={label} />
        </Bar>
        <Bar dataKey="closed" name={m.trendClosed} fill={OKABE_ITO.orange} isAnimationActive={false}>
          <LabelList dataKey="closed" position="top" style={label} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export type BarRow = { name: string; value: number };

/** Named bars, longest at the top, each labelled with its number. */
export function BarList({ rows, colour, labelWidthRem, fontRem = 0.875 }: { rows: readonly BarRow[]; colour: string; labelWidthRem: number; fontRem?: number }) {
  const { rem, tick, label } = useChartFont(fontRem);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={[...rows]} layout="vertical" margin={{ top: 0.125 * rem, right: 2.5 * rem, bottom: 0.125 * rem, left: 0 }} barCategoryGap="18%">
        <XAxis type="number" hide allowDecimals={false} domain={[0, (max: number) => Math.max(1, max)]} />
        <YAxis type="category" dataKey="name" tick={<NameTick style={tick} widthEm={(labelWidthRem * rem) / tick.fontSize - 0.75} />} stroke={GRID} width={labelWidthRem * rem} interval={0} />
        <Bar dataKey="value" fill={colour} isAnimationActive={false} minPointSize={1}>
          <LabelList dataKey="value" position="right" style={label} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** A bar's name that fits its axis: cut with "…" when too long (format.ts fitName), the whole name in its tooltip. */
function NameTick({ x, y, payload, style, widthEm }: { x?: number | string; y?: number | string; payload?: { value?: unknown }; style: { fill: string; fontSize: number }; widthEm: number }) {
  const name = String(payload?.value ?? "");
  const shown = fitName(name, widthEm);
  return (
    <text x={x} y={y} dy="0.355em" textAnchor="end" fill={style.fill} fontSize={style.fontSize}>
      {shown !== name && <title>{name}</title>}
      {shown}
    </text>
  );
}

export function CategoryChart({ categories, limit = 6 }: { categories: readonly CategoryShare[]; limit?: number }) {
  return <BarList rows={categories.slice(0, limit).map((c) => ({ name: c.major, value: c.count }))} colour={OKABE_ITO.bluishGreen} labelWidthRem={5.5} />;
}

/** 挂账榜: departments with the most overdue open cases; departments at zero stay on the board (a clean sheet is news too). */
export function LedgerChart({ ledger, m, limit = 6, fontRem, labelWidthRem = 8 }: { ledger: readonly LedgerRow[]; m: PanelMessages; limit?: number; fontRem?: number; labelWidthRem?: number }) {
  // A caller that shows the sub-center's own backlog apart passes the departments' rows only (splitLedger).
  const rows = ledger.slice(0, limit).map((r) => ({ name: r.departmentId === UNASSIGNED ? m.unassigned : r.name, value: r.overdue }));
  return <BarList rows={rows} colour={OKABE_ITO.vermillion} labelWidthRem={labelWidthRem} fontRem={fontRem} />;
}
