import { useState, type FormEvent } from "react";
import type { HandoverRecord } from "../../../shared/bridge/handover.js";
import { HANDOVER_NOTE_LIMIT } from "../../../shared/bridge/handover.js";
import { useShortcuts } from "../app/shortcuts.js";
import { fill, useMessages } from "../i18n/index.js";
import { useDataSelector } from "../state/context.js";
import { HandoverRecordView } from "./HandoverRecordView.js";
import { ExportHandoverButton } from "./ExportHandoverButton.js";
import { shortTime } from "./format.js";
import { handoverMessages } from "./messages.js";
import { useHandover } from "./useHandover.js";
import "./handover.css";

/*
 * 交接班 on the operator's console (never on the briefing wall): a button that
 * opens the outgoing operator's form, and the record waiting for the next
 * operator, shown as a dialog until someone takes the shift over ("later"
 * folds it into a banner that stays).
 */
export function HandoverDesk() {
  const t = useMessages(handoverMessages);
  const handover = useHandover();
  const [writing, setWriting] = useState(false);
  const [foldedId, setFoldedId] = useState<string | null>(null);
  const pending = handover.pending;
  const folded = pending !== null && foldedId === pending.id;

  useShortcuts((shortcut) => {
    if (shortcut.kind !== "escape") return false;
    if (writing) setWriting(false);
    else if (pending && !folded) setFoldedId(pending.id);
    else return false;
    return true;
  });

  return (
    <>
      <button type="button" className="button wall__handover" data-testid="handover-open" data-shift-from={handover.shiftFrom ?? ""} onClick={() => setWriting(true)}>
        ⇄ {t.open}
      </button>
      {writing && <HandoverForm shiftFrom={handover.shiftFrom} onWrite={handover.write} onClose={() => setWriting(false)} />}
      {!writing && pending && !folded && <RecordDialog record={pending} onAcknowledge={handover.acknowledge} onLater={() => setFoldedId(pending.id)} />}
      {pending && folded && (
        <div className="handover-banner" role="status" data-testid="handover-banner">
          <span>{fill(t.banner, { name: pending.by.name, time: shortTime(pending.to) })}</span>
          <button type="button" className="button button--small button--primary" data-testid="handover-show" onClick={() => setFoldedId(null)}>
            {t.show}
          </button>
        </div>
      )}
    </>
  );
}

type Writer = ReturnType<typeof useHandover>["write"];

function HandoverForm({ shiftFrom, onWrite, onClose }: { shiftFrom: string | null; onWrite: Writer; onClose: () => void }) {
  const t = useMessages(handoverMessages);
  const operatorName = useDataSelector((s) => s.settings?.operator.name ?? "");
  const [name, setName] = useState(operatorName);
  const [note, setNote] = useState("");
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    const answer = await onWrite({ note, ...(name.trim() && { name: name.trim() }) });
    setSending(false);
    if (answer.ok) onClose();
    else setFailure(fill(t.failed, { message: answer.error.message }));
  };

  return (
    <div className="dialog-backdrop">
      <form className="dialog handover" role="dialog" aria-label={t.formTitle} data-testid="handover" onSubmit={submit}>
        <header className="dialog__header">
          <h2>{t.formTitle}</h2>
        </header>
        <p className="field__hint">{fill(t.formHint, { from: shiftFrom ? shortTime(shiftFrom) : "—" })}</p>
        <label className="field">
          <span className="field__label">{t.outgoing}</span>
          <input className="input" data-testid="handover-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">{t.note}</span>
          <textarea
            className="input textarea"
            data-testid="handover-note"
            rows={6}
            value={note}
            maxLength={HANDOVER_NOTE_LIMIT}
            placeholder={t.notePlaceholder}
            onChange={(e) => setNote(e.target.value)}
            autoFocus
          />
        </label>
        {failure && (
          <p className="field__error" role="alert">
            {failure}
          </p>
        )}
        <div className="handover__actions">
          <button type="button" className="button" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" className="button button--primary" data-testid="handover-submit" disabled={sending}>
            {t.submit}
          </button>
        </div>
      </form>
    </div>
  );
}

type Acknowledger = ReturnType<typeof useHandover>["acknowledge"];

function RecordDialog({ record, onAcknowledge, onLater }: { record: HandoverRecord; onAcknowledge: Acknowledger; onLater: () => void }) {
  const t = useMessages(handoverMessages);
  const [name, setName] = useState("");
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const acknowledge = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    const answer = await onAcknowledge({ id: record.id, ...(name.trim() && { name: name.trim() }) });
    setSending(false);
    if (!answer.ok) setFailure(fill(t.failed, { message: answer.error.message }));
  };

  // The header stays in reach (language, connection, clock) while the record waits: the backdrop starts below it.
  return (
    <div className="dialog-backdrop handover-backdrop">
      <form className="dialog handover handover--record" role="dialog" aria-label={t.recordTitle} data-testid="handover-record" data-handover-id={record.id} onSubmit={acknowledge}>
        <header className="dialog__header">
          <h2>
            ⇄ {t.recordTitle}
          </h2>
        </header>
        <HandoverRecordView record={record} />
        {failure && (
          <p className="field__error" role="alert">
            {failure}
          </p>
        )}
        <div className="handover__actions">
          <label className="field handover__incoming">
            <span className="field__label">{t.incoming}</span>
            <input className="input" data-testid="handover-incoming" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </label>
          <ExportHandoverButton recordId={record.id} />
          <button type="button" className="button" data-testid="handover-later" onClick={onLater}>
            {t.later}
          </button>
          <button type="submit" className="button button--primary" data-testid="handover-acknowledge" disabled={sending}>
            {t.acknowledge}
          </button>
        </div>
      </form>
    </div>
  );
}
