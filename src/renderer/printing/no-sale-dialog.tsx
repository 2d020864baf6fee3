/**
 * F9 開錢箱: No Sale. The cashier picks or types a reason; main checks the permission (a role
 * without it gets the manager PIN pad), writes the audit row and kicks the drawer through the
 * receipt printer (DLE DC4 where the printer allows it, so it opens with the paper out).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { useErrorText } from '../hooks/use-error-text';
import { findPosApi } from '../pos';
import { isApprovalCancelled } from '../stores/approval-store';
import { usePosStores } from '../stores/stores-context';

const REASONS = ['change', 'correction', 'check', 'other'] as const;

export function NoSaleDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { ui, approval } = usePosStores();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const api = findPosApi();
    const text = reason.trim().slice(0, 200);
    if (text === '') {
      setMessage(t('hardware.noSale.needReason'));
      return;
    }
    if (!api) return;
    setBusy(true);
    const result = await approval.getState().withApproval('no-sale', (given) => api['drawer:no-sale']({ reason: text, ...(given ? { approval: given } : {}) }));
    setBusy(false);
    if (result.ok) close();
    else if (!isApprovalCancelled(result)) setMessage(errorText(result.error));
  };

  return (
    <Dialog title={t('hardware.noSale.title')} testId="dialog-no-sale" size="small" onClose={close}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <div className="chip-row" role="group" aria-label={t('hardware.noSale.reason')}>
          {REASONS.map((key) => {
            const words = t(`hardware.noSale.reasons.${key}`);
            return (
              <button
                key={key}
                type="button"
                className={reason === words ? 'chip is-selected' : 'chip'}
                data-testid={`no-sale-reason-${key}`}
                onMouseDown={keepFocus}
                onClick={() => {
                  setReason(key === 'other' ? '' : words);
                  setMessage('');
                  if (key === 'other') document.querySelector<HTMLInputElement>('[data-testid="no-sale-reason"]')?.focus();
                }}
              >
                {words}
              </button>
            );
          })}
        </div>
        <label className="field">
          <span className="field-label">{t('hardware.noSale.reason')}</span>
          <input
            className="field-input"
            data-testid="no-sale-reason"
            type="text"
            maxLength={200}
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
        <DialogButtons onCancel={close} busy={busy} okLabel={t('hardware.noSale.confirm')} />
      </form>
    </Dialog>
  );
}
