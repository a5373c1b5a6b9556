import { useMessages } from "../i18n/index.js";
import { actionMessages } from "./messages.js";

type Props = {
  /** Why the last send failed, shown above the buttons. */
  failure: string | null;
  sending: boolean;
  submitTestId: string;
  cancelTestId?: string;
  onCancel: () => void;
};

/** The foot of the action and report forms: the send failure, if any, then 提交 and 取消. */
export function FormFooter({ failure, sending, submitTestId, cancelTestId, onCancel }: Props) {
  const t = useMessages(actionMessages);
  return (
    <>
      {failure && (
        <p className="field__error" role="alert">
          {failure}
        </p>
      )}
      <div className="action-form__buttons">
        <button type="submit" className="button button--primary" data-testid={submitTestId} disabled={sending}>
          {sending ? t.sending : t.submit}
        </button>
        <button type="button" className="button button--ghost" data-testid={cancelTestId} onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </>
  );
}
