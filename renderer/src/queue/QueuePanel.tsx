import { useCallback, useMemo, useRef, useState } from "react";
import { EMPTY_FILTER, queueFacets, type QueueFilter } from "../../../shared/domain/queue.js";
import { areaLabel } from "../../../shared/geo/gazetteer.js";
import { useAreaNames, useGridWords } from "../actions/places.js";
import { moveCursor } from "../actions/shortcuts.js";
import { useShortcuts } from "../app/shortcuts.js";
import { useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { queueMessages } from "./messages.js";
import { QueueFilters } from "./QueueFilters.js";
import { QueueRow } from "./QueueRow.js";
import { useCategories, useQueue } from "./useQueue.js";
import { useRowVirtualizer } from "./useRowVirtualizer.js";

/** Row height in rem; the virtualizer measures real rows, this is only its first guess. */
const ROW_REM = 4.5;

const rootFontPx = () => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

export function QueuePanel() {
  const { ui } = useConsole();
  const t = useMessages(queueMessages);
  const language = useUiSelector((s) => s.language);
  const area = useUiSelector((s) => s.area);
  const selectedId = useUiSelector((s) => s.selectedIncidentId);
  const incidents = useDataSelector((s) => s.incidents);
  const categories = useCategories();
  const [ownFilter, setOwnFilter] = useState<QueueFilter>(EMPTY_FILTER);
  const filter = useMemo(() => ({ ...ownFilter, area: area?.code ?? null }), [ownFilter, area]);
  const queue = useQueue(filter);
  const facets = useMemo(() => queueFacets(incidents.values()), [incidents]);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const names = useAreaNames();
  const gridWords = useGridWords();
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Read once per render: the virtualizer asks for an estimate per row, and a style lookup for each of 100,000 rows added up.
  const rowEstimate = ROW_REM * rootFontPx();
  const virtualizer = useRowVirtualizer({
    count: queue.items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowEstimate,
    getItemKey: (index) => queue.items[index]?.incident.id ?? index,
    overscan: 6,
  });

  const select = useCallback(
    (id: string) => {
      setCursorId(id);
      ui.update({ selectedIncidentId: id });
    },
    [ui],
  );

  useShortcuts((shortcut) => {
    switch (shortcut.kind) {
      case "next":
      case "previous": {
        const ids = queue.items.map((item) => item.incident.id);
        const next = moveCursor(ids, cursorId ?? selectedId, shortcut.kind === "next" ? 1 : -1);
        if (next === null) return false;
        setCursorId(next);
        virtualizer.scrollToIndex(ids.indexOf(next), { align: "auto" });
        return true;
      }
      case "open":
        if (cursorId === null) return false;
        ui.update({ selectedIncidentId: cursorId });
        return true;
      case "search":
        searchRef.current?.focus();
        return true;
      default:
        return false;
    }
  });

  return (
    <section className="panel queue" aria-label={t.title}>
      <header className="panel__header">
        <h2>{t.title}</h2>
        <span className="queue__total">
          {t.total.split("{count}")[0]}
          <strong data-testid="queue-total">{queue.items.length}</strong>
          {t.total.split("{count}")[1]}
        </span>
      </header>
      <QueueFilters
        filter={ownFilter}
        onChange={setOwnFilter}
        area={area}
        areaName={area ? (areaLabel(names, area.code) ?? area.code) : null}
        onClearArea={() => ui.update({ area: null })}
        majors={facets.majors}
        departments={facets.departments}
        language={language}
        searchRef={searchRef}
      />
      <div className="queue__scroll" ref={scrollRef} data-testid="incident-queue" role="listbox" aria-label={t.title}>
        {queue.items.length === 0 ? (
          <p className="queue__empty">{t.empty}</p>
        ) : (
          <div className="queue__inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = queue.items[row.index];
              if (!item) return null;
              return (
                <div key={row.key} className="queue__slot" data-index={row.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${row.start}px)` }}>
                  <QueueRow
                    incident={item.incident}
                    categories={categories}
                    language={language}
                    cursor={cursorId === item.incident.id}
                    selected={selectedId === item.incident.id}
                    gridLabel={gridWords(item.incident.gridCode, "short").label}
                    gridTitle={gridWords(item.incident.gridCode, "short").title}
                    onSelect={select}
                  />
                </div>
              );
            })}
          </div>
        )}
      </div>
      <footer className="panel__hint">{t.hint}</footer>
    </section>
  );
}
