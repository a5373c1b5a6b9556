import type { CoverageSummary, PatrolChecks, PatrolVerdict, UnitView } from "../../../shared/bridge/contract.js";
import { coverageReport } from "../../../shared/domain/coverage.js";
import { change, type PeriodMetrics } from "../../../shared/domain/kpi.js";
import { UNASSIGNED } from "../../../shared/domain/kpi-departments.js";
import { formatClock, formatDate } from "../../../shared/domain/time.js";
import { PRIORITY_NAMES, ROLE_NAMES, STATUS_NAMES } from "../app/labels.js";
import { fill } from "../i18n/index.js";
import { describeChange, formatValue, type GoodWhen, type MetricKind } from "../panels/format.js";
import { TILE_SPECS } from "../panels/KpiTiles.js";
import { panelMessages, type PanelMessages } from "../panels/messages.js";
import { patrolBriefing } from "../patrol/briefing.js";
import { VERDICT_ICONS, verdictWord } from "../patrol/evidence.js";
import { patrolMessages } from "../patrol/messages.js";
import { patrolRows, VERDICTS } from "../patrol/rows.js";
import type { Situation } from "../../../shared/domain/situation.js";
import type { Language } from "../state/ui.js";
import { exportMessages, type ExportMessageKey } from "./messages.js";

/*
 * What goes on the exported briefing, as plain data: figures already
 * formatted, names already masked. Pure, so what reaches the paper (and what
 * must never) is tested without a browser. The record types have no field for
 * a reporter, an address or a description: the document cannot print them.
 */

/** Chinese always; English beneath it when the console is in English. */
export type Words = { zh: string; en?: string };

export type KpiRow = { key: keyof PeriodMetrics | "onDuty"; label: Words; value: string; /** No figure today: `value` says why in words. */ missing: boolean; dayOnDay: string; weekOnWeek: string; definition: Words };
export type LedgerLine = { name: Words; overdue: number };
export type RankingLine = { rank: string; name: string; onTimeRate: string; closed: number; dispatched: number; overdue: number };
export type NotableLine = { id: string; title: string; category: string; grid: string; status: Words; priority: Words; overdue: boolean };
export type PatrolSection = {
  staff: Words;
  source: Words;
  counts: { verdict: PatrolVerdict; label: Words; count: number }[];
  suspects: { name: string; role: Words; grid: string; reasons: Words; evidence: Words[] }[];
  more: Words | null;
};
export type CoverageSection = { visited: Words; belowWeekly: Words; grids: { name: string; visits: number }[]; more: Words | null; partial: Words | null };

export type ExportDocument = {
  language: Language;
  subCenterName: string;
  /** Set while the data comes from the embedded demo feed: printed at the head of every page, as the demo banner is on every view. */
  demo: Words | null;
  /** "数据截至 …（北京时间）": printed at the head of every page. */
  dataAsOf: Words;
  generatedAt: Words;
  kpis: KpiRow[];
  ledger: LedgerLine[];
  ledgerTotal: number;
  ranking: RankingLine[];
  notable: NotableLine[];
  coverage: CoverageSection | null;
  /** Null when the checks could not be read. */
  patrols: PatrolSection | null;
};

export type ExportInput = {
  language: Language;
  subCenterName: string;
  /** settings.demo: the data comes from the embedded reference feed. */
  demo: boolean;
  /** When the document is made (epoch ms). */
  generatedAt: number;
  /** The newest applied data (ISO), from the connection status; the situation's own time when unknown. */
  dataAsOf: string | null;
  situation: Situation;
  names: ReadonlyMap<string, string>;
  gridCodes: readonly string[];
  coverage: CoverageSummary | null;
  patrolChecks: PatrolChecks | null;
  units: ReadonlyMap<string, UnitView>;
  /** The grid a point of evidence lies in, when the region layer is at hand. */
  placeOf?: (lon: number, lat: number) => string | undefined;
};

const COVERAGE_LISTED = 40;
const SUSPECTS_LISTED = 40;
const ZH = panelMessages["zh-CN"];

/** A panel word (the KPI tiles' labels and definitions: one wording for the wall and the paper), in Chinese, with English when asked. */
const panelWords = (key: keyof PanelMessages, language: Language): Words => bilingual(panelMessages["zh-CN"][key], panelMessages.en[key], language);

/** `2026-12-06 09:41:03`, Beijing time whatever the machine's zone. */
export const beijingDateTime = (ms: number): string => `${formatDate(ms)} ${formatClock(ms)}`;

export function wordsOf(language: Language): (key: ExportMessageKey, values?: Record<string, string | number>) => Words {
  return (key, values = {}) => {
    const zh = fill(exportMessages["zh-CN"][key], values);
    return language === "en" ? { zh, en: fill(exportMessages.en[key], values) } : { zh };
  };
}

function changeText(delta: number | null, kind: MetricKind, goodWhen: GoodWhen): string {
  if (delta === null) return ZH.noComparison;
  const view = describeChange(delta, kind, goodWhen, ZH);
  if (view.arrow === "") return view.text;
  const tone = view.tone === "better" ? ` ${ZH.better}` : view.tone === "worse" ? ` ${ZH.worse}` : "";
  return `${view.arrow} ${view.text}${tone}`;
}

export function buildExportDocument(input: ExportInput): ExportDocument {
  const w = wordsOf(input.language);
  const { situation } = input;
  const { summary } = situation;
  const parsedAsOf = input.dataAsOf === null ? Number.NaN : Date.parse(input.dataAsOf);
  const asOf = Number.isFinite(parsedAsOf) ? parsedAsOf : situation.now;

  const kpis: KpiRow[] = TILE_SPECS.map((spec) => {
    const today = summary.today[spec.key];
    const compare = (other: PeriodMetrics | null): string => (other === null ? ZH.noHistory : changeText(change(today, other[spec.key]), spec.kind, spec.goodWhen));
    return {
      key: spec.key,
      label: panelWords(spec.label, input.language),
      // A rate with nothing to count says why in words (the tile's own words), never a bare dash.
      value: today === null ? (spec.empty ? ZH[spec.empty] : formatValue(today, spec.kind)) : `${formatValue(today, spec.kind)}${spec.unit ? ` ${ZH[spec.unit]}` : ""}`,
      missing: today === null,
      dayOnDay: compare(summary.yesterday),
      weekOnWeek: compare(summary.lastWeek),
      definition: panelWords(spec.definition, input.language),
    };
  });
  kpis.push({ key: "onDuty", label: panelWords("onDuty", input.language), value: `${summary.onDuty} ${ZH.people}`, missing: false, dayOnDay: "—", weekOnWeek: "—", definition: panelWords("onDutyDefinition", input.language) });

  // The engine chose them and masked their titles (shared/domain/notable.ts).
  const notable = (situation.notable ?? []).map((c) => ({
    id: c.id,
    title: c.title,
    category: c.category,
    grid: input.names.get(c.gridCode) ?? c.gridName,
    status: bilingual(STATUS_NAMES["zh-CN"][c.status], STATUS_NAMES.en[c.status], input.language),
    priority: bilingual(PRIORITY_NAMES["zh-CN"][c.priority], PRIORITY_NAMES.en[c.priority], input.language),
    overdue: c.overdue,
  }));

  return {
    language: input.language,
    subCenterName: input.subCenterName,
    demo: input.demo ? w("demo") : null,
    dataAsOf: w("dataAsOf", { time: beijingDateTime(asOf) }),
    generatedAt: w("generatedAt", { time: beijingDateTime(input.generatedAt) }),
    kpis,
    ledger: situation.ledger.map((row) => ({ name: row.departmentId === UNASSIGNED ? panelWords("unassigned", input.language) : { zh: row.name }, overdue: row.overdue })),
    ledgerTotal: situation.ledger.reduce((sum, row) => sum + row.overdue, 0),
    ranking: situation.ranking.slice(0, 12).map((row, index) => ({
      rank: row.onTimeRate === null ? "—" : String(index + 1),
      name: row.name,
      onTimeRate: formatValue(row.onTimeRate, "rate"),
      closed: row.closed,
      dispatched: row.dispatched,
      overdue: row.overdue,
    })),
    notable,
    coverage: coverageSection(input, w),
    patrols: patrolSection(input, w),
  };
}

/** The briefing's patrol checks (patrol/briefing.ts: every staff name masked, no unit id, no phone), worded in both languages when asked. */
function patrolSection(input: ExportInput, w: ReturnType<typeof wordsOf>): PatrolSection | null {
  if (input.patrolChecks === null) return null;
  const rows = patrolRows(input.patrolChecks.checks, input.units, input.names);
  const now = input.situation.now;
  const zh = patrolBriefing(rows, patrolMessages["zh-CN"], now, input.placeOf);
  const en = input.language === "en" ? patrolBriefing(rows, patrolMessages.en, now, input.placeOf) : null;
  const both = (zhText: string, enText: string | undefined): Words => (enText === undefined ? { zh: zhText } : { zh: zhText, en: enText });
  const source = input.patrolChecks.source === "platform" ? "sourcePlatform" : "sourceLive";
  return {
    staff: w("patrolStaff", { count: zh.staff }),
    source: both(patrolMessages["zh-CN"][source], en ? patrolMessages.en[source] : undefined),
    counts: VERDICTS.map((verdict) => ({
      verdict,
      label: both(`${VERDICT_ICONS[verdict]} ${verdictWord(verdict, patrolMessages["zh-CN"])}`, en ? verdictWord(verdict, patrolMessages.en) : undefined),
      count: zh.counts[verdict],
    })),
    suspects: zh.suspects.slice(0, SUSPECTS_LISTED).map((suspect, index) => {
      const english = en?.suspects[index];
      return {
        name: suspect.name,
        role: suspect.role === null ? { zh: "—" } : bilingual(ROLE_NAMES["zh-CN"][suspect.role], ROLE_NAMES.en[suspect.role], input.language),
        grid: suspect.gridName,
        reasons: both(suspect.reasons.join("、"), english?.reasons.join(", ")),
        evidence: suspect.evidence.map((line, i) => both(line, english?.evidence[i])),
      };
    }),
    more: zh.suspects.length > SUSPECTS_LISTED ? w("andMore", { count: zh.suspects.length - SUSPECTS_LISTED }) : null,
  };
}

function coverageSection(input: ExportInput, w: ReturnType<typeof wordsOf>): CoverageSection | null {
  if (input.coverage === null) return null;
  const report = coverageReport(input.coverage, input.gridCodes);
  if (report.grids === 0) return null;
  return {
    visited: w("visitedOf", { visited: report.visitedToday, total: report.grids, share: formatValue(report.todayShare, "rate") }),
    belowWeekly: w("belowWeekly", { minimum: report.weeklyMinimum, count: report.belowWeekly.length }),
    grids: report.belowWeekly.slice(0, COVERAGE_LISTED).map((grid) => ({ name: input.names.get(grid.gridCode) ?? grid.gridCode, visits: grid.visits })),
    more: report.belowWeekly.length > COVERAGE_LISTED ? w("andMore", { count: report.belowWeekly.length - COVERAGE_LISTED }) : null,
    partial: report.daysCovered < 7 ? w("coveragePartial", { days: report.daysCovered }) : null,
  };
}

const bilingual = (zh: string, en: string, language: Language): Words => (language === "en" ? { zh, en } : { zh });
