import { LedgerChart } from "../../panels/charts.js";
import { formatValue } from "../../panels/format.js";
import type { SceneProps } from "./types.js";

/** 挂账榜: every department's overdue open cases, a clean sheet included. */
export function LedgerScene({ situation, m, panel }: SceneProps) {
  const total = situation.ledger.reduce((sum, row) => sum + row.overdue, 0);
  return (
    <div className="briefing-split briefing-split-narrow-left">
      <section className="briefing-card briefing-bignumber">
        <h2 className="briefing-card-title">{m.totalOverdue}</h2>
        <p className="briefing-figure" data-figure="overdue-total">
          {total}
          <small>{m.casesUnit}</small>
        </p>
      </section>
      <section className="briefing-card">
        <h2 className="briefing-card-title">{panel.ledger}</h2>
        <div className="briefing-chart">
          {situation.ledger.length === 0 ? (
            <p className="briefing-empty">{m.noData}</p>
          ) : (
            <LedgerChart ledger={situation.ledger} m={panel} limit={situation.ledger.length} labelWidthRem={11} fontRem={1.25} />
          )}
        </div>
      </section>
    </div>
  );
}

/** 部门考评排名 over the last 7 days; medals are shapes and numbers, not colours. */
export function RankingScene({ situation, m }: SceneProps) {
  const rows = situation.ranking.slice(0, 12);
  return (
    <section className="briefing-card briefing-full">
      <h2 className="briefing-card-title">{m.ranking}</h2>
      {rows.length === 0 ? (
        <p className="briefing-empty">{m.noData}</p>
      ) : (
        <table className="briefing-table">
          <thead>
            <tr>
              <th scope="col">{m.rank}</th>
              <th scope="col">{m.department}</th>
              <th scope="col" className="briefing-num">
                {m.onTimeRate}
              </th>
              <th scope="col" className="briefing-num">
                {m.closed}
              </th>
              <th scope="col" className="briefing-num">
                {m.dispatched}
              </th>
              <th scope="col" className="briefing-num">
                {m.overdue}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.departmentId}>
                <td>{row.onTimeRate === null ? "—" : index + 1}</td>
                <td>{row.name}</td>
                <td className="briefing-num">
                  <span className="briefing-rate">
                    {row.onTimeRate === null ? null : <span className="briefing-rate-bar" style={{ width: `${row.onTimeRate * 100}%` }} />}
                    <span className="briefing-rate-text">{formatValue(row.onTimeRate, "rate")}</span>
                  </span>
                </td>
                <td className="briefing-num">{row.closed}</td>
                <td className="briefing-num">{row.dispatched}</td>
                <td className={`briefing-num${row.overdue > 0 ? " briefing-alarm" : ""}`}>{row.overdue > 0 ? `⚠ ${row.overdue}` : "0"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
