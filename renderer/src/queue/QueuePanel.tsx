import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { EMPTY_FILTER, type QueueFilter } from "../../../shared/domain/queue.js";
import { areaLabel } from "../../../shared/geo/gazetteer.js";
import { useAreaNames, useGridWords } from "../actions/places.js";
import { useShortcuts } from "../app/shortcuts.js";
import { useMessages } from "../i18n/index.js";
import { useConsole, useUiSelector } from "../state/context.js";
import { queueMessages } from "./messages.js";
import { QueueFilters } from "./QueueFilters.js";
import { QueueRow } from "./QueueRow.js";
import { useCategories, useQueueWindow } from "./useQueue.js";
import { useFixedRows } from "./useFixedRows.js";

/** Row height in rem: `.queue-row` is this tall by CSS (theme/cases.css), so rows are placed by arithmetic. */
const ROW_REM = 4.5;

const rootFontPx = () => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

export function QueuePanel() {
  const { ui } = useConsole();
  const t = useMessages(queueMessages);
  const language = useUiSelector((s) => s.language);
  const area = useUiSelector((s) => s.area);
  const selectedId = useUiSelector((s) => s.selectedIncidentId);
  const categories = useCategories();
  const [ownFilter, setOwnFilter] = useState<QueueFilter>(EMPTY_FILTER);
  const filter = useMemo(() => ({ ...ownFilter, area: area?.code ?? null }), [ownFilter, area]);
  // The engine's window of the queue (issue 14): rows for what is on screen, the total, the facets.
  const queue = useQueueWindow(filter);
  // The keyboard cursor: a case, and where it was in the queue (a row scrolled out of the window shown keeps its place for J/K).
  const [cursor, setCursor] = useState<{ id: string | null; index: number } | null>(null);
  const cursorId = cursor?.id ?? (cursor ? (queue.rowAt(cursor.index)?.id ?? null) : null);
  const names = useAreaNames();
  const gridWords = useGridWords();
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const rowHeight = ROW_REM * rootFontPx();
  const list = useFixedRows({ count: queue.total, rowHeight, overscan: 6, scrollRef });
  const visible = list.rows;
  const first = visible[0]?.index ?? 0;
  const last = visible.at(-1)?.index ?? 0;
  const { show } = queue;
  useEffect(() => show(first, last), [show, first, last]);

  const select = useCallback(
    (id: string) => {
      setCursor({ id, index: queue.indexOf(id) });
      ui.update({ selectedIncidentId: id });
    },
    [ui, queue],
  );

  useShortcuts((shortcut) => {
    switch (shortcut.kind) {
      case "next":
      case "previous": {
        if (queue.total === 0) return false;
        // From the cursor (or the open case) where the window shows it, else from where the cursor last was; with neither, the top.
        const from = cursorId ?? selectedId;
        const shownAt = from === null ? -1 : queue.indexOf(from);
        const at = shownAt !== -1 ? shownAt : (cursor?.index ?? -1);
        const index = at === -1 ? 0 : Math.min(queue.total - 1, Math.max(0, at + (shortcut.kind === "next" ? 1 : -1)));
        // A row outside the window shown is named once the window that holds it arrives.
        setCursor({ id: queue.rowAt(index)?.id ?? null, index });
        list.scrollToIndex(index);
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
          <strong data-testid="queue-total">{queue.total}</strong>
          {t.total.split("{count}")[1]}
        </span>
      </header>
      <QueueFilters
        filter={ownFilter}
        onChange={setOwnFilter}
        area={area}
        areaName={area ? (areaLabel(names, area.code) ?? area.code) : null}
        onClearArea={() => ui.update({ area: null })}
        majors={queue.majors}
        departments={queue.departments}
        language={language}
        searchRef={searchRef}
      />
      <div className="queue__scroll" ref={scrollRef} data-testid="incident-queue" role="listbox" aria-label={t.title}>
        {queue.total === 0 ? (
          <p className="queue__empty">{t.empty}</p>
        ) : (
          <div className="queue__inner" style={{ height: list.totalSize }}>
            {visible.map((row) => {
              const item = queue.rowAt(row.index);
              if (!item) return null;
              return (
                <div key={item.id} className="queue__slot" data-index={row.index} style={{ transform: `translateY(${row.start}px)` }}>
                  <QueueRow
                    incident={item}
                    categories={categories}
                    language={language}
                    cursor={cursorId === item.id}
                    selected={selectedId === item.id}
                    gridLabel={gridWords(item.gridCode, "short").label}
                    gridTitle={gridWords(item.gridCode, "short").title}
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
