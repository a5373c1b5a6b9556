import { useMemo } from "react";
import { coverageReport } from "../../../../shared/domain/coverage.js";
import { fill } from "../../i18n/index.js";
import { formatValue } from "../../panels/format.js";
import type { SceneProps } from "./types.js";

/** As many as fill the card at 1080p (12 rows of 4); the rest are counted. */
const LISTED = 48;

/** Share of grids patrolled today, and the grids behind the weekly rule of three visits. */
export function CoverageScene({ coverage, region, m }: SceneProps) {
  const report = useMemo(() => (coverage ? coverageReport(coverage, region.gridCodes) : null), [coverage, region.gridCodes]);
  if (!report || report.grids === 0) {
    return (
      <section className="briefing-card briefing-full">
        <h2 className="briefing-card-title">{m.coverage}</h2>
        <p className="briefing-empty">{m.coverageMissing}</p>
      </section>
    );
  }
  const share = report.todayShare ?? 0;
  return (
    <div className="briefing-split briefing-split-narrow-left">
      <section className="briefing-card briefing-bignumber">
        <h2 className="briefing-card-title">{m.visitedToday}</h2>
        <p className="briefing-figure" data-figure="coverage-today">
          {formatValue(report.todayShare, "rate")}
        </p>
        <div className="briefing-meter" role="img" aria-label={formatValue(report.todayShare, "rate")}>
          <span style={{ width: `${share * 100}%` }} />
        </div>
        <p className="briefing-subfigure">{fill(m.visitedOf, { visited: report.visitedToday, total: report.grids })}</p>
        {report.daysCovered < 7 ? <p className="briefing-muted">{fill(m.coveragePartial, { days: report.daysCovered })}</p> : null}
      </section>
      {report.daysCovered < 7 ? (
        // A week's rule judged on fewer days would call grids unpatrolled that were patrolled on the days not yet in.
        <section className="briefing-card" data-figure="coverage-weekly-not-judged">
          <h2 className="briefing-card-title">{m.weeklyNotJudged}</h2>
          <p className="briefing-empty">{fill(m.weeklyNotJudgedDetail, { days: report.daysCovered, minimum: report.weeklyMinimum })}</p>
        </section>
      ) : (
        <WeeklyShortfall report={report} region={region} m={m} />
      )}
    </div>
  );
}

function WeeklyShortfall({ report, region, m }: { report: ReturnType<typeof coverageReport>; region: SceneProps["region"]; m: SceneProps["m"] }) {
  return (
    <section className="briefing-card">
      <h2 className="briefing-card-title">
        {fill(m.belowWeekly, { minimum: report.weeklyMinimum, count: report.belowWeekly.length })}
      </h2>
      <ul className="briefing-gridlist">
        {report.belowWeekly.slice(0, LISTED).map((grid) => (
          <li key={grid.gridCode}>
            <span>{region.names.get(grid.gridCode) ?? grid.gridCode}</span>
            <span className="briefing-num">{fill(m.visits, { visits: grid.visits })}</span>
            <span className="briefing-muted">{grid.lastVisit ? fill(m.lastVisit, { date: grid.lastVisit.slice(5) }) : m.neverVisited}</span>
          </li>
        ))}
      </ul>
      {report.belowWeekly.length > LISTED ? <p className="briefing-muted">{fill(m.andMore, { count: report.belowWeekly.length - LISTED })}</p> : null}
    </section>
  );
}
