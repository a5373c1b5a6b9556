import { STATUS_NAMES } from "../../app/labels.js";
import type { SceneProps } from "./types.js";

/** How many the scene lists. */
const NOTABLE_SHOWN = 8;

/** Urgent and overdue open cases: title, category, grid and status only (shared/domain/notable.ts), as the engine keeps them with the situation. */
export function NotableScene({ region, situation, language, m }: SceneProps) {
  const cases = (situation.notable ?? []).slice(0, NOTABLE_SHOWN).map((c) => ({ ...c, gridName: region.names.get(c.gridCode) ?? c.gridName }));
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
