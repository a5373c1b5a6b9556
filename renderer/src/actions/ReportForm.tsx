import { useEffect, useMemo, useState, type FormEvent } from "react";
import { PRIORITIES } from "../../../shared/protocol/schemas.js";
import type { Priority } from "../../../shared/protocol/types.js";
import { PRIORITY_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { regionLayerOf } from "../state/region.js";
import { buildReportDraft, type FieldError, type ReportForm as Fields } from "./drafts.js";
import { buildGridIndex, gridAt, type GridIndex } from "./gridLookup.js";
import { FormFooter } from "./FormFooter.js";
import { actionMessages } from "./messages.js";

const EMPTY: Fields = { title: "", categoryCode: "", priority: "normal", address: "", description: "", reporterName: "", reporterPhone: "", lon: "", lat: "" };

/** 登记: a phone-in report. The place comes from a click on the map or typed coordinates; the grid from the region layer. */
export function ReportForm({ onClose }: { onClose: () => void }) {
  const { bridge, ui } = useConsole();
  const t = useMessages(actionMessages);
  const language = useUiSelector((s) => s.language);
  const picking = useUiSelector((s) => s.pickingLocation);
  const categories = useDataSelector((s) => s.settings?.categories);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [grids, setGrids] = useState<GridIndex>({ grids: [] });

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

  // The map writes the operator's click to pickedLocation; take it once and stop picking.
  useEffect(
    () =>
      ui.subscribe(() => {
        const picked = ui.getState().pickedLocation;
        if (!picked) return;
        setFields((f) => ({ ...f, lon: picked.lon.toFixed(6), lat: picked.lat.toFixed(6) }));
        ui.update({ pickingLocation: false, pickedLocation: null });
      }),
    [ui],
  );

  useEffect(() => () => ui.update({ pickingLocation: false }), [ui]);

  const gridCode = useMemo(() => {
    const lon = Number(fields.lon);
    const lat = Number(fields.lat);
    return fields.lon !== "" && fields.lat !== "" && Number.isFinite(lon) && Number.isFinite(lat) ? gridAt(grids, lon, lat) : null;
  }, [fields.lon, fields.lat, grids]);

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
    else setFailure(fill(t.sendFailed, { message: sent.error.message }));
  };

  return (
    <form className="drawer report-form" data-testid="report-form" onSubmit={submit}>
      <header className="drawer__header">
        <h2>{t.newReport}</h2>
        <button type="button" className="button button--ghost" onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="drawer__body">
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
          <div className="field-row">
            <input className="input" aria-label={t.lon} placeholder={t.lon} data-testid="report-lon" value={fields.lon} onChange={(e) => set({ lon: e.target.value })} />
            <input className="input" aria-label={t.lat} placeholder={t.lat} data-testid="report-lat" value={fields.lat} onChange={(e) => set({ lat: e.target.value })} />
            <button type="button" className={`button${picking ? " button--on" : ""}`} data-testid="report-pick" onClick={() => ui.update({ pickingLocation: !picking, pickedLocation: null })}>
              ◎ {t.pickOnMap}
            </button>
          </div>
          {picking && <span className="field__hint">{t.picking}</span>}
          {errorFor("place")}
          <span className="field__hint" data-testid="report-grid">
            {t.grid}: {gridCode ?? t.gridUnknown}
          </span>
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
