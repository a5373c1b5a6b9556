import { useMemo, useState, type FormEvent } from "react";
import type { IncidentView } from "../../../shared/bridge/contract.js";
import type { CaseAction } from "../../../shared/domain/lifecycle.js";
import { defaultDepartment } from "../../../shared/domain/reference.js";
import { ACTION_NAMES, RATING_NAMES } from "../app/labels.js";
import { RATINGS } from "../../../shared/protocol/schemas.js";
import { useMessages } from "../i18n/index.js";
import { useClock } from "../app/ticker.js";
import { useConsole, useDataSelector, useUiSelector } from "../state/context.js";
import { buildCaseDraft, defaultDispatchDeadlines, NOTE_RULES, type CaseForm, type FieldError } from "./drafts.js";
import { sendFailureText } from "./failure.js";
import { FormFooter } from "./FormFooter.js";
import { actionMessages } from "./messages.js";

type Props = { action: CaseAction; incident: IncidentView; onDone: () => void };

/** The fields one action needs, checked before the command is queued. */
export function ActionForm({ action, incident, onDone }: Props) {
  const { bridge } = useConsole();
  const t = useMessages(actionMessages);
  const language = useUiSelector((s) => s.language);
  const settings = useDataSelector((s) => s.settings);
  const departments = useMemo(() => settings?.departments ?? [], [settings]);
  const clock = useClock();
  const [form, setForm] = useState<CaseForm>(() => {
    const category = settings?.categories.find((c) => c.code === incident.category.code);
    // On the clock cases are judged on: a default deadline the platform's clock has already passed would be overdue at once.
    const deadlines = action === "dispatch" ? defaultDispatchDeadlines(category, clock()) : { respondBy: "", closeBy: "" };
    const departmentId = action === "dispatch" ? (defaultDepartment(departments, incident.category.code)?.id ?? "") : "";
    return { note: "", departmentId, rating: "", ...deadlines };
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const rule = NOTE_RULES[action];
  const noteLabel = action === "close" ? t.verification : action === "urge" ? t.urgeNote : action === "evaluate" ? t.evaluationNote : rule.key === "reason" ? t.reason : t.note;
  const errorFor = (field: FieldError["field"]) => {
    const error = errors.find((e) => e.field === field);
    if (!error) return null;
    const text = error.code === "required" ? t.errRequired : error.code === "order" ? t.errOrder : t.errInvalid;
    return (
      <span className="field__error" role="alert" data-testid={`action-error-${field}`}>
        {text}
      </span>
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = buildCaseDraft(action, incident, form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setSending(true);
    const sent = await bridge.call("sendCommand", result.draft).catch((error: unknown) => ({ ok: false as const, error: { code: "unavailable" as const, message: String(error) } }));
    setSending(false);
    if (sent.ok) onDone();
    else setFailure(sendFailureText(t, sent.error));
  };

  return (
    <form className="action-form" data-testid="action-form" data-action={action} onSubmit={submit}>
      <h3 className="action-form__title">{ACTION_NAMES[language][action]}</h3>
      {action === "dispatch" && (
        <>
          <label className="field">
            <span className="field__label">
              {t.department} <em>({t.required})</em>
            </span>
            <select className="select" data-testid="action-department" value={form.departmentId} onChange={(e) => setForm({ ...form, departmentId: e.target.value })}>
              <option value="">{t.chooseDepartment}</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            {errorFor("department")}
          </label>
          <div className="field-row">
            <label className="field">
              <span className="field__label">{t.respondBy}</span>
              <input className="input" type="datetime-local" data-testid="action-respond-by" value={form.respondBy} onChange={(e) => setForm({ ...form, respondBy: e.target.value })} />
              {errorFor("respondBy")}
            </label>
            <label className="field">
              <span className="field__label">{t.closeBy}</span>
              <input className="input" type="datetime-local" data-testid="action-close-by" value={form.closeBy} onChange={(e) => setForm({ ...form, closeBy: e.target.value })} />
              {errorFor("closeBy")}
            </label>
          </div>
        </>
      )}
      {action === "evaluate" && (
        <label className="field">
          <span className="field__label">
            {t.rating} <em>({t.required})</em>
          </span>
          <select className="select" data-testid="action-rating" value={form.rating ?? ""} onChange={(e) => setForm({ ...form, rating: e.target.value })}>
            <option value="">{t.chooseRating}</option>
            {RATINGS.map((rating) => (
              <option key={rating} value={rating}>
                {RATING_NAMES[language][rating]}
              </option>
            ))}
          </select>
          {errorFor("rating")}
        </label>
      )}
      <label className="field">
        <span className="field__label">
          {noteLabel} {rule.required && <em>({t.required})</em>}
        </span>
        <textarea
          className="input textarea"
          data-testid="action-note"
          rows={3}
          autoFocus
          value={form.note}
          onChange={(e) => setForm({ ...form, note: e.target.value })}
        />
        {errorFor("note")}
      </label>
      <FormFooter failure={failure} sending={sending} submitTestId="action-submit" cancelTestId="action-cancel" onCancel={onDone} />
    </form>
  );
}
