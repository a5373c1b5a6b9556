import { useMemo } from "react";
import { STATUS_NAMES } from "../../app/labels.js";
import { notableCases } from "../notable.js";
import type { SceneProps } from "./types.js";

/** Urgent and overdue open cases: title, category, grid and status only (see notable.ts). */
export function NotableScene({ incidents, categories, region, situation, language, m }: SceneProps) {
  const cases = useMemo(() => notableCases(incidents.values(), categories, region.names, situation.now), [incidents, categories, region.names, situation.now]);
  const statusNames = STATUS_NAMES[language];
  return (
    <section className="briefing-card briefing-full">
      <h2 className="briefing-card-title">{m.notable}</h2>
      {cases.length === 0 ? (
        <p className="briefing-empty">{m.noNotable}</p>
      ) : (
        <table className="briefing-table">
          <thead>
            <tr>
              <th scope="col">{m.caseTitle}</th>
              <th scope="col">{m.category}</th>
              <th scope="col">{m.grid}</th>
              <th scope="col">{m.status}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id}>
                <td className="briefing-ellipsis">{c.title}</td>
                <td>{c.category}</td>
                <td>{c.gridName}</td>
                <td>
                  {statusNames[c.status]}
                  {c.overdue ? <span className="briefing-alarm"> ⚠ {m.overdueMark}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
