import { ROLE_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import { useDataSelector, useUiSelector } from "../state/context.js";
import { formatMeters, nearestOnPatrol } from "./nearest.js";
import { detailMessages } from "./messages.js";

/**
 * Linear in the units, for one case: it runs when the component renders (a
 * position batch or the 1 s tick), never per animation frame.
 */
export function NearestStaff({ lon, lat, now }: { lon: number; lat: number; now: number }) {
  const t = useMessages(detailMessages);
  const language = useUiSelector((s) => s.language);
  const units = useDataSelector((s) => s.units);
  const positions = useDataSelector((s) => s.positions);
  // The table is updated in place; subscribing to its version is what re-renders this when staff move.
  useDataSelector((s) => s.positionsVersion);
  const nearby = nearestOnPatrol(units.values(), positions, lon, lat, now);
  return (
    <section className="detail__section">
      <h3>{t.nearest}</h3>
      {nearby.length === 0 ? (
        <p className="muted">{t.nobodyNear}</p>
      ) : (
        <ol className="nearest" data-testid="nearest-staff">
          {nearby.map(({ unit, meters, fixAgeMs }) => (
            <li key={unit.id} className="nearest__row">
              <span className="nearest__name">{unit.name}</span>
              <span className="muted">{ROLE_NAMES[language][unit.role]}</span>
              <span className="nearest__distance">{formatMeters(meters)}</span>
              <span className="muted">{fill(t.fixAge, { seconds: Math.round(fixAgeMs / 1000) })}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
