import { useCallback, useMemo, type ReactNode } from "react";
import type { IncidentView, UnitView, WallPush } from "../../../shared/bridge/contract.js";
import { deadlineState, indexCategories, type CategoryIndex } from "../../../shared/domain/deadlines.js";
import { gridLayerKey } from "../../../shared/domain/grid-counts.js";
import { gridTally } from "../../../shared/domain/incident-markers.js";
import { maskName } from "../../../shared/domain/masking.js";
import { formatClock, formatShort } from "../../../shared/domain/time.js";
import { PRIORITY_NAMES, ROLE_NAMES, STATUS_NAMES, UNIT_STATUS_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import type { Language } from "../state/ui.js";
import { useDataSelector, useHeldCases } from "../state/context.js";
import { useRegionIndex } from "../panels/hooks.js";
import { wallMessages } from "./messages.js";
import "./wall.css";

type Text = (typeof wallMessages)["zh-CN"];

const NO_IDS: readonly string[] = [];
const ON_DUTY = new Set<UnitView["status"]>(["on_patrol", "busy", "sos"]);

export type WallPicture = {
  /** The cases this page holds (the pushed one among them: WallPushed holds it while it shows). */
  incidents: ReadonlyMap<string, IncidentView>;
  /** Held ids the engine said it does not have: until then a held case is on its way, not gone. */
  missing: ReadonlySet<string>;
  units: ReadonlyMap<string, UnitView>;
  /** Area names by division code (the region layer). */
  names: ReadonlyMap<string, string>;
  categories: CategoryIndex;
  /** Open cases in a grid, and of them urgent and overdue ones, from the engine's markers; null when it has none for this layer. */
  gridCases: (code: string) => { open: number; urgent: number; overdue: number } | null;
};

/** The picture a wall draws a push from: the page's store, the region's names and the engine's markers. */
export function useWallPicture(): WallPicture {
  const settings = useDataSelector((s) => s.settings);
  const incidents = useDataSelector((s) => s.incidents);
  const missing = useDataSelector((s) => s.missing);
  const units = useDataSelector((s) => s.units);
  const markers = useDataSelector((s) => s.markers);
  const region = useRegionIndex();
  const categories = useMemo(() => indexCategories(settings?.categories ?? []), [settings]);
  const layerKey = useMemo(() => gridLayerKey(region.gridCodes.map((code) => ({ code }))), [region]);
  const gridCases = useCallback(
    (code: string) => {
      const index = region.gridCodes.indexOf(code);
      return index < 0 || markers.layer !== layerKey ? null : gridTally(markers, index);
    },
    [region, markers, layerKey],
  );
  return useMemo(() => ({ incidents, missing, units, names: region.names, categories, gridCases }), [incidents, missing, units, region, categories, gridCases]);
}

/**
 * What an operator pushed, shown large on the wall with who pushed it and
 * when the rotation comes back (`ends="overlay"`: when it leaves the view it
 * covers). Drawn from the wall's own picture (a briefing page's holds no
 * case free text, and none is drawn on any page); names of staff are masked
 * here, as everywhere visitors read (张*), and no phone or reporter is shown.
 */
export function WallPushed({ push, picture, language, now, ends = "rotation" }: { push: WallPush; picture: WallPicture; language: Language; now: number; ends?: "rotation" | "overlay" }) {
  const m = useMessages(wallMessages);
  // The pushed case is held (asked of the engine, kept current) while it shows: the page holds no other.
  useHeldCases(push.kind === "incident" ? [push.targetId] : NO_IDS);
  const body = push.kind === "incident" ? incidentBody(push.targetId, picture, language, now, m) : push.kind === "unit" ? unitBody(push.targetId, picture, language, m) : gridBody(push.targetId, picture, m);
  // A pushed case the engine has not answered for yet: its header and 正在读取…, not yet the pushed item (`wall-pushed`), which is drawn with the case.
  const loading = body === null && push.kind === "incident" && !picture.incidents.has(push.targetId) && !picture.missing.has(push.targetId);
  return (
    <section className="wall-pushed" data-testid={loading ? "wall-pushed-loading" : "wall-pushed"} data-kind={push.kind} data-id={push.targetId} data-at={push.at} aria-live="polite">
      <header className="wall-pushed-head">
        <span className={`wall-pushed-kind wall-pushed-kind-${push.kind}`}>{m[push.kind]}</span>
        <span className="wall-pushed-by" data-testid="wall-pushed-by">
          {fill(m.pushedBy, { name: push.by.name, time: formatClock(Date.parse(push.at)) })}
        </span>
        <span className="wall-pushed-until">{fill(ends === "rotation" ? m.returnsAt : m.leavesAt, { time: formatClock(Date.parse(push.until)) })}</span>
      </header>
      {body ?? <p className="wall-pushed-gone">{loading ? m.loading : m.gone}</p>}
    </section>
  );
}

function Facts({ rows }: { rows: [label: string, value: ReactNode, tone?: "alarm"][] }) {
  return (
    <dl className="wall-pushed-facts">
      {rows.map(([label, value, tone]) => (
        <div key={label} className={tone ? `wall-pushed-fact ${tone}` : "wall-pushed-fact"}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const gridName = (code: string, names: ReadonlyMap<string, string>): string => names.get(code) ?? code;

function incidentBody(id: string, picture: WallPicture, language: Language, now: number, m: Text): ReactNode {
  const incident = picture.incidents.get(id);
  if (!incident) return null;
  const deadline = deadlineState(incident, picture.categories, now);
  const rows: [string, ReactNode, "alarm"?][] = [
    [m.category, `${incident.category.major} · ${incident.category.minor}`],
    [m.priority, PRIORITY_NAMES[language][incident.priority], incident.priority === "urgent" ? "alarm" : undefined],
    [m.status, STATUS_NAMES[language][incident.status]],
    [m.gridName, gridName(incident.gridCode, picture.names)],
    [m.reportedAt, formatShort(Date.parse(incident.createdAt))],
  ];
  if (incident.department) rows.push([m.department, incident.department.name]);
  if (deadline.overdue) rows.push([m.deadline, m.overdue, "alarm"]);
  else if (deadline.due !== null) rows.push([m.deadline, fill(m.dueAt, { time: formatShort(deadline.due) })]);
  return (
    <div className="wall-pushed-body">
      <div className="wall-pushed-id">{incident.id}</div>
      <h2 className="wall-pushed-title">{incident.title}</h2>
      <Facts rows={rows} />
    </div>
  );
}

function unitBody(id: string, picture: WallPicture, language: Language, m: Text): ReactNode {
  const unit = picture.units.get(id);
  if (!unit) return null;
  return (
    <div className="wall-pushed-body">
      <h2 className="wall-pushed-title">{maskName(unit.name)}</h2>
      <Facts
        rows={[
          [m.role, ROLE_NAMES[language][unit.role]],
          [m.status, UNIT_STATUS_NAMES[language][unit.status], unit.status === "sos" ? "alarm" : undefined],
          [m.gridName, gridName(unit.gridCode, picture.names)],
        ]}
      />
    </div>
  );
}

function gridBody(code: string, picture: WallPicture, m: Text): ReactNode {
  const name = picture.names.get(code);
  if (!name) return null;
  const { open, urgent, overdue } = picture.gridCases(code) ?? { open: 0, urgent: 0, overdue: 0 };
  let staff = 0;
  for (const unit of picture.units.values()) if (unit.gridCode === code && ON_DUTY.has(unit.status)) staff++;
  // Division codes nest by prefix: the street's 9 digits, the community's 12.
  const area = [code.slice(0, 9), code.slice(0, 12)].map((c) => picture.names.get(c)).filter((n): n is string => n !== undefined);
  return (
    <div className="wall-pushed-body">
      <div className="wall-pushed-id">{code}</div>
      <h2 className="wall-pushed-title">{name}</h2>
      <Facts
        rows={[
          [m.area, area.join(" · ") || "—"],
          [m.openCases, fill(m.casesUnit, { count: open })],
          [m.urgentCases, fill(m.casesUnit, { count: urgent }), urgent > 0 ? "alarm" : undefined],
          [m.overdueCases, fill(m.casesUnit, { count: overdue }), overdue > 0 ? "alarm" : undefined],
          [m.staffOnDuty, fill(m.peopleUnit, { count: staff })],
        ]}
      />
    </div>
  );
}
