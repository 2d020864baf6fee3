/**
 * A dialog that asks why before it acts (取消交易, 開錢箱): preset reasons as chips, words typed
 * when none fits, OK and Cancel. The caller does the work with the reason and says how it went.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';

/** How the caller's action went: done (the dialog closes), refused with words, or backed out of. */
export type ReasonOutcome = { done: true } | { done: false; message?: string };

const REASON_LENGTH = 200;

interface ReasonDialogProps {
  title: string;
  /** The dialog's test id is `dialog-<name>`; the field is `<name>-reason`, a chip `<name>-reason-<key>`. */
  name: string;
  size?: 'small' | 'medium';
  /** The preset reasons, each shown in words; picking `other` empties the field for typing. */
  reasons: readonly string[];
  reasonWords: (key: string) => string;
  fieldLabel: string;
  needReason: string;
  okLabel: string;
  /** Shown above the chips (a warning of what will go). */
  lead?: ReactNode;
  onClose: () => void;
  onConfirm: (reason: string) => Promise<ReasonOutcome>;
}

export function ReasonDialog({
  title,
  name,
  size = 'medium',
  reasons,
  reasonWords,
  fieldLabel,
  needReason,
  okLabel,
  lead,
  onClose,
  onConfirm,
}: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const fieldId = `${name}-reason`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim().slice(0, REASON_LENGTH);
    if (text === '') {
      setMessage(needReason);
      return;
    }
    setBusy(true);
    const outcome = await onConfirm(text);
    setBusy(false);
    if (outcome.done) onClose();
    else if (outcome.message !== undefined) setMessage(outcome.message);
  };

  return (
    <Dialog title={title} testId={`dialog-${name}`} size={size} onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        {lead}
        <div className="chip-row" role="group" aria-label={fieldLabel}>
          {reasons.map((key) => {
            const words = reasonWords(key);
            return (
              <button
                key={key}
                type="button"
                className={reason === words ? 'chip is-selected' : 'chip'}
                data-testid={`${fieldId}-${key}`}
                onMouseDown={keepFocus}
                onClick={() => {
                  setReason(key === 'other' ? '' : words);
                  setMessage('');
                  if (key === 'other') document.querySelector<HTMLInputElement>(`[data-testid="${fieldId}"]`)?.focus();
                }}
              >
                {words}
              </button>
            );
          })}
        </div>
        <label className="field">
          <span className="field-label">{fieldLabel}</span>
          <input
            className="field-input"
            data-testid={fieldId}
            type="text"
            maxLength={REASON_LENGTH}
            autoComplete="off"
            autoFocus
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setMessage('');
            }}
          />
        </label>
        <FieldMessage>{message}</FieldMessage>
        <DialogButtons onCancel={onClose} busy={busy} okLabel={okLabel} />
      </form>
    </Dialog>
  );
}
