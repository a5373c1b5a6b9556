import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { buildGazetteer, gridLabel, gridTitle, nameGrid, type PastAddress, type Place } from "../../../shared/geo/gazetteer.js";
import { PRIORITIES } from "../../../shared/protocol/schemas.js";
import type { Priority } from "../../../shared/protocol/types.js";
import { PRIORITY_NAMES } from "../app/labels.js";
import { useShortcuts } from "../app/shortcuts.js";
import { useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import type { UiState } from "../state/ui.js";
import { regionLayerOf } from "../state/region.js";
import { buildReportDraft, type FieldError, type ReportForm as Fields } from "./drafts.js";
import { buildGridIndex, gridAt, type GridIndex } from "./gridLookup.js";
import { sendFailureText } from "./failure.js";
import { FormFooter } from "./FormFooter.js";
import { actionMessages } from "./messages.js";
import { useAreaNames } from "./places.js";
import { PlaceSearch } from "./PlaceSearch.js";
import "./report-form.css";

/** The typed or picked point, or null while either coordinate is missing or not a number. */
function pointOf(fields: Fields): { lon: number; lat: number } | null {
  const lon = Number(fields.lon);
  const lat = Number(fields.lat);
  return fields.lon.trim() !== "" && fields.lat.trim() !== "" && Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : null;
}

const EMPTY: Fields = { title: "", categoryCode: "", priority: "normal", address: "", description: "", reporterName: "", reporterPhone: "", lon: "", lat: "" };

const NO_PAST: PastAddress[] = [];

/** Where past cases were, for the address search: asked of the engine once the operator goes to the search (the page holds no cases). */
function usePastAddresses(searching: boolean): PastAddress[] {
  const { bridge } = useConsole();
  const [past, setPast] = useState<PastAddress[]>(NO_PAST);
  useEffect(() => {
    if (!searching) return;
    let alive = true;
    bridge.call("getPastAddresses", {}).then(
      (result) => alive && result.ok && setPast(result.value),
      // Without them the search still finds areas and the deployment's address list.
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [bridge, searching]);
  return past;
}

/**
 * 登记: a phone-in report. The place comes from the address search, a click on
 * the map or typed coordinates; the grid from the region layer. The point is
 * the map's `pickedLocation` while the form is open, so the map marks it; while
 * the operator picks, the form shrinks to its header so the whole map is free.
 */
export function ReportForm({ onClose }: { onClose: () => void }) {
  const { bridge, ui } = useConsole();
  const t = useMessages(actionMessages);
  const language = useUiSelector((s) => s.language);
  const picking = useUiSelector((s) => s.pickingLocation);
  const categories = useDataSelector((s) => s.settings?.categories);
  const listed = useDataSelector((s) => s.settings?.addresses);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [grids, setGrids] = useState<GridIndex>({ grids: [] });
  const names = useAreaNames();
  /*
   * Built when the operator first goes to the search (a city's 130,000 names take a few hundred ms: F2 alone
   * must not wait for them), from the cases held then: one arriving while the operator types needs no new index.
   */
  const [searching, setSearching] = useState(false);
  const past = usePastAddresses(searching);
  const gazetteer = useMemo(() => buildGazetteer(names, past, searching ? listed : []), [names, past, searching, listed]);

  useEffect(() => {
    let alive = true;
    regionLayerOf(bridge).then(
      (result) => alive && result.ok && setGrids(buildGridIndex(result.value)),
      // Without the layer the report still goes out; the platform places it by coordinates.
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [bridge]);

  const gridCode = useMemo(() => {
    const at = pointOf(fields);
    return at ? gridAt(grids, at.lon, at.lat) : null;
  }, [fields, grids]);

  /*
   * The form's point is the map's pickedLocation while it is open. A click on
   * the map arrives there (any object but the one the form put); the form puts
   * its own point there for the map to mark, with `focus` where the map should
   * bring it into view at street level (a search result).
   */
  const shared = useRef<UiState["pickedLocation"]>(null);
  const focusNext = useRef(false);
  useEffect(
    () =>
      ui.subscribe(() => {
        const picked = ui.getState().pickedLocation;
        if (!picked || picked === shared.current) return;
        setFields((f) => ({ ...f, lon: picked.lon.toFixed(6), lat: picked.lat.toFixed(6) }));
      }),
    [ui],
  );
  const point = pointOf(fields);
  const pointLon = point?.lon;
  const pointLat = point?.lat;
  useEffect(() => {
    const next = pointLon === undefined || pointLat === undefined ? null : { lon: pointLon, lat: pointLat, ...(focusNext.current ? { focus: true } : {}) };
    focusNext.current = false;
    shared.current = next;
    ui.update({ pickedLocation: next });
  }, [ui, pointLon, pointLat]);
  useEffect(() => () => ui.update({ pickingLocation: false, pickedLocation: null }), [ui]);

  useShortcuts((shortcut) => {
    if (shortcut.kind !== "escape" || !ui.getState().pickingLocation) return false;
    ui.update({ pickingLocation: false });
    return true;
  });

  const pickPlace = (place: Place) => {
    focusNext.current = true;
    ui.update({ pickingLocation: false });
    setFields((f) => ({ ...f, lon: place.lon.toFixed(6), lat: place.lat.toFixed(6), address: f.address === "" && (place.kind === "address" || place.kind === "listed") ? (place.address ?? place.name) : f.address }));
  };
  const gridName = gridCode === null ? null : nameGrid(names, gridCode);

  const set = (patch: Partial<Fields>) => setFields((f) => ({ ...f, ...patch }));
  const chooseCategory = (code: string) => {
    const category = categories?.find((c) => c.code === code);
    set({ categoryCode: code, priority: category?.defaultPriority ?? fields.priority, title: fields.title || (category?.minor ?? "") });
  };
  const errorFor = (field: FieldError["field"]) => {
    const error = errors.find((e) => e.field === field);
    return error ? <span className="field__error" role="alert">{error.code === "required" ? t.errRequired : t.errInvalid}</span> : null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = buildReportDraft(fields, crypto.randomUUID(), gridCode);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setSending(true);
    const sent = await bridge.call("sendCommand", result.draft).catch((error: unknown) => ({ ok: false as const, error: { code: "unavailable" as const, message: String(error) } }));
    setSending(false);
    if (sent.ok) onClose();
    else setFailure(sendFailureText(t, sent.error));
  };

  return (
    <form className={`drawer report-form${picking ? " report-form--picking" : ""}`} data-testid="report-form" data-picking={picking} onSubmit={submit}>
      <header className="drawer__header">
        <h2>{t.newReport}</h2>
        <button type="button" className="button button--ghost" onClick={onClose}>
          ✕
        </button>
      </header>
      {picking && (
        <div className="report-form__picking" role="status">
          <span>✚ {t.pickingCompact}</span>
          <button type="button" className="button button--small" onClick={() => ui.update({ pickingLocation: false })}>
            {t.cancelPicking}
          </button>
        </div>
      )}
      {/* Hidden, not unmounted, while picking: what the operator typed stays. */}
      <div className="drawer__body" hidden={picking}>
        <label className="field">
          <span className="field__label">{t.category}</span>
          <select className="select" data-testid="report-category" value={fields.categoryCode} onChange={(e) => chooseCategory(e.target.value)}>
            <option value="">{t.chooseCategory}</option>
            {categories?.map((c) => (
              <option key={c.code} value={c.code}>
                {c.major} / {c.minor}
              </option>
            ))}
          </select>
          {errorFor("category")}
        </label>
        <label className="field">
          <span className="field__label">{t.reportTitle}</span>
          <input className="input" data-testid="report-title" value={fields.title} onChange={(e) => set({ title: e.target.value })} autoFocus />
          {errorFor("title")}
        </label>
        <label className="field">
          <span className="field__label">{t.priority}</span>
          <select className="select" data-testid="report-priority" value={fields.priority} onChange={(e) => set({ priority: e.target.value as Priority })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_NAMES[language][p]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend className="field__label">{t.place}</legend>
          <PlaceSearch gazetteer={gazetteer} onPick={pickPlace} onFocus={() => setSearching(true)} />
          <div className="field-row">
            <input className="input" aria-label={t.lon} placeholder={t.lon} data-testid="report-lon" value={fields.lon} onChange={(e) => set({ lon: e.target.value })} />
            <input className="input" aria-label={t.lat} placeholder={t.lat} data-testid="report-lat" value={fields.lat} onChange={(e) => set({ lat: e.target.value })} />
            <button type="button" className={`button${picking ? " button--on" : ""}`} data-testid="report-pick" onClick={() => ui.update({ pickingLocation: !picking, pickedLocation: null })}>
              ◎ {t.pickOnMap}
            </button>
          </div>
          {errorFor("place")}
          <p className={`report-form__point${point ? "" : " report-form__point--none"}`} data-testid="report-grid" data-grid-code={gridCode ?? ""} title={gridName ? gridTitle(gridName, t.gridUnknownName) : undefined}>
            <span className="report-form__pin" aria-hidden="true">
              ◉
            </span>
            <span>
              {t.grid}：<strong>{gridName ? gridLabel(gridName, "full", t.gridUnknownName) : t.gridUnknown}</strong>
            </span>
          </p>
        </fieldset>
        <label className="field">
          <span className="field__label">{t.address}</span>
          <input className="input" data-testid="report-address" value={fields.address} onChange={(e) => set({ address: e.target.value })} />
        </label>
        <label className="field">
          <span className="field__label">{t.description}</span>
          <textarea className="input textarea" rows={3} data-testid="report-description" value={fields.description} onChange={(e) => set({ description: e.target.value })} />
        </label>
        <div className="field-row">
          <label className="field">
            <span className="field__label">{t.reporterName}</span>
            <input className="input" data-testid="report-reporter-name" value={fields.reporterName} onChange={(e) => set({ reporterName: e.target.value })} />
          </label>
          <label className="field">
            <span className="field__label">{t.reporterPhone}</span>
            <input className="input" type="tel" data-testid="report-reporter-phone" value={fields.reporterPhone} onChange={(e) => set({ reporterPhone: e.target.value })} />
          </label>
        </div>
        <FormFooter failure={failure} sending={sending} submitTestId="report-submit" onCancel={onClose} />
      </div>
    </form>
  );
}
