import type { RefObject } from "react";
import type { IncidentStatus } from "../../../shared/protocol/types.js";
import { INCIDENT_STATUSES, SOURCES } from "../../../shared/protocol/schemas.js";
import type { QueueFilter, Source } from "../../../shared/domain/queue.js";
import { SOURCE_NAMES, STATUS_NAMES } from "../app/labels.js";
import { useMessages } from "../i18n/index.js";
import type { AreaSelection, Language } from "../state/ui.js";
import { queueMessages } from "./messages.js";

type Props = {
  filter: QueueFilter;
  onChange: (next: QueueFilter) => void;
  area: AreaSelection;
  /** The selected area as a person reads it (its code where the layer does not name it); the code goes in the tooltip. */
  areaName: string | null;
  onClearArea: () => void;
  majors: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
  language: Language;
  searchRef: RefObject<HTMLInputElement | null>;
};

export function QueueFilters({ filter, onChange, area, areaName, onClearArea, majors, departments, language, searchRef }: Props) {
  const t = useMessages(queueMessages);
  const set = (patch: Partial<QueueFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="queue-filters">
      <input
        ref={searchRef}
        className="input queue-filters__search"
        type="search"
        data-testid="queue-search"
        placeholder={t.search}
        value={filter.search}
        onChange={(e) => set({ search: e.target.value })}
      />
      <div className="queue-filters__row">
        <select
          className="select"
          aria-label={t.status}
          data-testid="queue-filter-status"
          value={filter.statuses[0] ?? ""}
          onChange={(e) => set({ statuses: e.target.value === "" ? [] : [e.target.value as IncidentStatus] })}
        >
          <option value="">{t.allOpen}</option>
          {INCIDENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_NAMES[language][status]}
            </option>
          ))}
        </select>
        <select className="select" aria-label={t.category} data-testid="queue-filter-category" value={filter.category ?? ""} onChange={(e) => set({ category: e.target.value || null })}>
          <option value="">{t.allCategories}</option>
          {[...majors].sort(([a], [b]) => a.localeCompare(b)).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <select
          className="select"
          aria-label={t.department}
          data-testid="queue-filter-department"
          value={filter.departmentId ?? ""}
          onChange={(e) => set({ departmentId: e.target.value || null })}
        >
          <option value="">{t.allDepartments}</option>
          {[...departments].sort(([a], [b]) => a.localeCompare(b)).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select className="select" aria-label={t.source} data-testid="queue-filter-source" value={filter.source ?? ""} onChange={(e) => set({ source: (e.target.value || null) as Source | null })}>
          <option value="">{t.allSources}</option>
          {SOURCES.map((source) => (
            <option key={source} value={source}>
              {SOURCE_NAMES[language][source]}
            </option>
          ))}
        </select>
        <label className="toggle">
          <input type="checkbox" data-testid="queue-filter-overdue" checked={filter.overdueOnly} onChange={(e) => set({ overdueOnly: e.target.checked })} />
          {t.overdueOnly}
        </label>
      </div>
      {area && (
        <div className="queue-filters__area">
          {t.area}:{" "}
          <strong title={area.code} data-area-code={area.code}>
            {areaName ?? area.code}
          </strong>
          <button type="button" className="button button--ghost button--small" aria-label={t.clearArea} onClick={onClearArea}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
