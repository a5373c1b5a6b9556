import type { ExportDocument, Words } from "./document.js";
import type { ExportMap } from "./map.js";
import { exportMessages, type ExportMessageKey } from "./messages.js";
import { PrintFrame } from "./PrintFrame.js";

/** Light to dark blue, distinct in print and for colour-blind readers; shade 0 is no open case. */
const SHADES = ["#ffffff", "#deebf7", "#9ecae1", "#4292c6", "#08519c"];
const OVERDUE_STROKE = "#b2182b";

function Say({ words, block = false }: { words: Words; block?: boolean }) {
  return (
    <>
      {words.zh}
      {words.en ? block ? <span className="export-en export-en-block">{words.en}</span> : <span className="export-en"> {words.en}</span> : null}
    </>
  );
}

/** A table's head: each column's title in the document's languages, numeric columns right-aligned. */
function Head({ h, columns }: { h: (key: ExportMessageKey) => Words; columns: readonly (ExportMessageKey | readonly [ExportMessageKey, "num"])[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const [key, numeric] = typeof column === "string" ? [column, false] : [column[0], true];
          return (
            <th key={key} {...(numeric ? { className: "export-num" } : {})}>
              <Say words={h(key)} block />
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** The printable briefing, in the shared page frame (./PrintFrame.tsx): sub-center and title in the running head. */
export function ExportDocumentView({ doc, map }: { doc: ExportDocument; map: ExportMap | null }) {
  const en = doc.language === "en";
  const h = (key: ExportMessageKey): Words => (en ? { zh: exportMessages["zh-CN"][key], en: exportMessages.en[key] } : { zh: exportMessages["zh-CN"][key] });
  return (
    <PrintFrame
      testId="export-document"
      title={
        <>
          {doc.subCenterName} · <Say words={h("title")} />
        </>
      }
      demo={doc.demo ? <Say words={doc.demo} /> : null}
      asOf={<Say words={doc.dataAsOf} />}
    >
      <header className="export-title-block">
        <h1>
          <Say words={h("title")} block />
        </h1>
        <p className="export-sub">
          {doc.subCenterName} · <Say words={doc.dataAsOf} /> · <Say words={doc.generatedAt} />
        </p>
        <p className="export-note">
          <Say words={h("masked")} />
        </p>
      </header>

      <section className="export-section">
        <h2>
          <Say words={h("kpis")} />
        </h2>
        <table className="export-table export-kpis">
          <Head h={h} columns={["indicator", ["today", "num"], ["dayOnDay", "num"], ["weekOnWeek", "num"], "definition"]} />
          <tbody>
            {doc.kpis.map((row) => (
              <tr key={row.key} data-kpi={row.key}>
                <th scope="row">
                  <Say words={row.label} block />
                </th>
                <td className={row.missing ? "export-num export-value-missing" : "export-num export-value"}>{row.value}</td>
                <td className="export-num">{row.dayOnDay}</td>
                <td className="export-num">{row.weekOnWeek}</td>
                <td className="export-definition">
                  <Say words={row.definition} block />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="export-section export-map-section">
        <h2>
          <Say words={h("map")} />
        </h2>
        {map ? <MapFigure map={map} caption={h(map.level === "grid" ? "mapCaption" : "mapCaptionCommunities")} none={h("legendNone")} overdue={h("legendOverdue")} /> : <p className="export-empty">{<Say words={h("mapMissing")} />}</p>}
      </section>

      <section className="export-section">
        <h2>
          <Say words={h("ledger")} />
        </h2>
        <div className="export-columns">
          <table className="export-table">
            <Head h={h} columns={["department", ["overdueCount", "num"]]} />
            <tbody>
              {doc.ledger.map((row, index) => (
                <tr key={index}>
                  <td>
                    <Say words={row.name} />
                  </td>
                  <td className={`export-num${row.overdue > 0 ? " export-alarm" : ""}`}>{row.overdue > 0 ? `⚠ ${row.overdue}` : "0"}</td>
                </tr>
              ))}
              <tr className="export-total">
                <th scope="row">
                  <Say words={h("ledgerTotal")} />
                </th>
                <td className="export-num">{doc.ledgerTotal}</td>
              </tr>
            </tbody>
          </table>
          <div>
            <h3>
              <Say words={h("ranking")} />
            </h3>
            {doc.ranking.length === 0 ? (
              <p className="export-empty">
                <Say words={h("noData")} />
              </p>
            ) : (
              <table className="export-table">
                <Head h={h} columns={["rank", "department", ["onTimeRateShort", "num"], ["closedCount", "num"], ["dispatchedCount", "num"], ["overdueCount", "num"]]} />
                <tbody>
                  {doc.ranking.map((row) => (
                    <tr key={row.name}>
                      <td>{row.rank}</td>
                      <td>{row.name}</td>
                      <td className="export-num">{row.onTimeRate}</td>
                      <td className="export-num">{row.closed}</td>
                      <td className="export-num">{row.dispatched}</td>
                      <td className={`export-num${row.overdue > 0 ? " export-alarm" : ""}`}>{row.overdue > 0 ? `⚠ ${row.overdue}` : "0"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      </section>

      <section className="export-section">
        <h2>
          <Say words={h("notable")} />
        </h2>
        {doc.notable.length === 0 ? (
          <p className="export-empty">
            <Say words={h("noNotable")} />
          </p>
        ) : (
          <table className="export-table" data-testid="export-notable">
            <Head h={h} columns={["caseTitle", "category", "grid", "priority", "status"]} />
            <tbody>
              {doc.notable.map((row) => (
                <tr key={row.id}>
                  <td>{row.title}</td>
                  <td>{row.category}</td>
                  <td>{row.grid}</td>
                  <td>
                    <Say words={row.priority} />
                  </td>
                  <td>
                    <Say words={row.status} />
                    {row.overdue ? <span className="export-alarm"> ⚠ {exportMessages["zh-CN"].overdueMark}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="export-section">
        <h2>
          <Say words={h("coverage")} />
        </h2>
        {doc.coverage === null ? (
          <p className="export-empty">
            <Say words={h("coverageMissing")} />
          </p>
        ) : (
          <>
            <p>
              <strong>
                <Say words={h("visitedToday")} />
              </strong>
              ：<Say words={doc.coverage.visited} />
            </p>
            {doc.coverage.partial ? (
              <p className="export-note">
                <Say words={doc.coverage.partial} />
              </p>
            ) : null}
            <h3>
              <Say words={doc.coverage.belowWeekly} />
            </h3>
            <ul className="export-gridlist">
              {doc.coverage.grids.map((grid) => (
                <li key={grid.name}>
                  <span>{grid.name}</span>
                  <span className="export-num">{grid.visits}</span>
                </li>
              ))}
            </ul>
            {doc.coverage.more ? (
              <p className="export-note">
                <Say words={doc.coverage.more} />
              </p>
            ) : null}
          </>
        )}
      </section>
      <section className="export-section">
        <h2>
          <Say words={h("patrols")} />
        </h2>
        {doc.patrols === null ? (
          <p className="export-empty">
            <Say words={h("patrolMissing")} />
          </p>
        ) : (
          <>
            <div className="export-keep">
              <p>
                <strong>
                  <Say words={doc.patrols.staff} />
                </strong>
                {doc.patrols.counts.map((count) => (
                  <span key={count.verdict} className="export-verdict" data-verdict={count.verdict}>
                    <Say words={count.label} /> <strong>{count.count}</strong>
                  </span>
                ))}
              </p>
              <p className="export-note">
                <Say words={doc.patrols.source} />
              </p>
              <h3>
                <Say words={h("patrolSuspects")} />
              </h3>
              {doc.patrols.suspects.length === 0 ? (
                <p className="export-empty">
                  <Say words={h("noSuspects")} />
                </p>
              ) : null}
            </div>
            {doc.patrols.suspects.length === 0 ? null : (
              <table className="export-table">
                <Head h={h} columns={["staffName", "role", "grid", "reasons", "evidence"]} />
                <tbody>
                  {doc.patrols.suspects.map((suspect, index) => (
                    <tr key={index}>
                      <td>{suspect.name}</td>
                      <td>
                        <Say words={suspect.role} />
                      </td>
                      <td>{suspect.grid}</td>
                      <td>
                        <Say words={suspect.reasons} block />
                      </td>
                      <td className="export-definition">
                        {suspect.evidence.map((line, i) => (
                          <div key={i}>
                            <Say words={line} block />
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {doc.patrols.more ? (
              <p className="export-note">
                <Say words={doc.patrols.more} />
              </p>
            ) : null}
          </>
        )}
      </section>
    </PrintFrame>
  );
}

function MapFigure({ map, caption, none, overdue }: { map: ExportMap; caption: Words; none: Words; overdue: Words }) {
  const lower = [1, ...map.breaks.slice(0, -1).map((b) => b + 1)];
  return (
    <figure className="export-map">
      <svg viewBox={`0 0 ${map.width} ${map.height}`} width="100%" role="img" aria-label={caption.zh}>
        <g>
          {map.areas.map((area) => (
            <path key={area.code} d={area.d} fill={SHADES[area.shade]} stroke="#9e9e9e" strokeWidth={0.4} />
          ))}
        </g>
        <g fill="none" stroke="#424242" strokeWidth={1.2}>
          {map.streets.map((d, index) => (
            <path key={index} d={d} />
          ))}
        </g>
        <g fill="none" stroke={OVERDUE_STROKE} strokeWidth={2.4}>
          {map.areas
            .filter((area) => area.overdue)
            .map((area) => (
              <path key={area.code} d={area.d} />
            ))}
        </g>
        <g className="export-map-labels">
          {map.labels.map((label) => (
            <text key={`${label.text}-${label.x}`} x={label.x} y={label.y} textAnchor="middle">
              {label.text}
            </text>
          ))}
        </g>
      </svg>
      <figcaption>
        <Say words={caption} />
        <span className="export-legend">
          <span className="export-swatch" style={{ background: SHADES[0] }} /> <Say words={none} />
          {map.breaks.map((upper, index) => (
            <span key={upper} className="export-legend-item">
              <span className="export-swatch" style={{ background: SHADES[index + 1] }} /> {lower[index] === upper ? upper : `${lower[index]}–${upper}`}
            </span>
          ))}
          <span className="export-legend-item">
            <span className="export-swatch export-swatch-overdue" style={{ borderColor: OVERDUE_STROKE }} /> <Say words={overdue} />
          </span>
        </span>
      </figcaption>
    </figure>
  );
}
