import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { searchGazetteer, type Gazetteer, type Place } from "../../../shared/geo/gazetteer.js";
import { useMessages } from "../i18n/index.js";
import { actionMessages } from "./messages.js";

type Props = { gazetteer: Gazetteer; onPick: (place: Place) => void; onFocus?: () => void };

/**
 * 地址搜索: the layer's grids, communities and streets and past case
 * addresses, as the operator types. ↑/↓ move, Enter picks, Esc closes the
 * list (a second Esc closes the form, as everywhere).
 */
export function PlaceSearch({ gazetteer, onPick, onFocus }: Props) {
  const t = useMessages(actionMessages);
  const listId = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [cursor, setCursor] = useState(0);
  const results = useMemo(() => searchGazetteer(gazetteer, query), [gazetteer, query]);
  const shown = open && query.trim() !== "";

  const pick = (place: Place) => {
    setQuery(place.name);
    setOpen(false);
    onPick(place);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      if (results.length > 0) setCursor((c) => (c + (event.key === "ArrowDown" ? 1 : results.length - 1)) % results.length);
    } else if (event.key === "Enter") {
      // Enter in the search picks; it never submits the report.
      event.preventDefault();
      const place = results[Math.min(cursor, results.length - 1)];
      if (shown && place) pick(place);
    } else if (event.key === "Escape" && shown) {
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="place-search">
      <input
        className="input"
        type="search"
        role="combobox"
        aria-label={t.searchPlace}
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && results.length > 0 ? `${listId}-${cursor}` : undefined}
        placeholder={t.searchPlaceHint}
        data-testid="report-place-search"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setCursor(0);
          setOpen(true);
        }}
        onFocus={() => {
          setOpen(true);
          onFocus?.();
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {shown && (
        <ul className="place-search__results" id={listId} role="listbox" data-testid="report-place-results">
          {results.length === 0 && <li className="place-search__none">{t.searchNone}</li>}
          {results.map((place, index) => (
            <li
              key={`${place.kind}:${place.name}:${index}`}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === cursor}
              className={`place-search__result${index === cursor ? " place-search__result--cursor" : ""}`}
              data-testid="report-place-result"
              data-kind={place.kind}
              // Before the input's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(place);
              }}
              onMouseEnter={() => setCursor(index)}
            >
              <span className={`place-search__kind place-search__kind--${place.kind}`}>{t[KIND_WORDS[place.kind]]}</span>
              <span className="place-search__name">{place.name}</span>
              {place.context && <span className="place-search__context">{place.context}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const KIND_WORDS = { grid: "kindGrid", community: "kindCommunity", street: "kindStreet", listed: "kindListed", address: "kindAddress" } as const;
