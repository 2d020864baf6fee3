/**
 * 付款方式: the tender buttons the payment screen shows, in order. A manager switches methods on
 * and off, renames them, moves them (the first seven get F2…F8) and adds the store's own, such as
 * a mall's gift vouchers. Methods are never deleted: past sales name them.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentMethodSetting, SavePaymentMethod } from '../../../shared/payment-method-schemas';
import { useErrorText } from '../../hooks/use-error-text';
import { usePosStores } from '../../stores/stores-context';
import { ActionsCell, AdminInput, AdminSelect, ErrorLine, FormActions, SectionHeader, TableHead } from '../section-parts';
import { createPaymentMethodsStore } from '../stores/payment-methods-store';
import { useSectionStore } from '../use-section-store';

const emptyDraft: SavePaymentMethod = { code: '', nameZh: '', nameEn: '', kind: 'reference', active: true };

export function PaymentMethodsSection() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const stores = usePosStores();
  // The till's tender buttons follow each change at once.
  const methodsStore = useSectionStore((api) =>
    createPaymentMethodsStore(api, { onChanged: () => void stores.settings.getState().load() }),
  );
  const { methods, error, save } = methodsStore;
  const [draft, setDraft] = useState<SavePaymentMethod>(emptyDraft);
  const [editing, setEditing] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save({ ...draft, code: draft.code.trim().toLowerCase() })) {
      setDraft(emptyDraft);
      setEditing(null);
    }
  };
  const edit = (m: PaymentMethodSetting) => {
    setEditing(m.code);
    setDraft({ code: m.code, nameZh: m.nameZh, nameEn: m.nameEn, kind: m.kind === 'card' ? 'card' : 'reference', active: m.active });
  };

  return (
    <div className="payment-methods" data-testid="payment-methods">
      <SectionHeader title={t('paymentMethods.title')} hint={t('paymentMethods.hint')} />
      <ErrorLine testId="payment-methods-error">{error && errorText(error)}</ErrorLine>
      <table className="admin-table">
        <TableHead
          columns={[
            t('paymentMethods.key'),
            t('paymentMethods.nameZh'),
            t('paymentMethods.nameEn'),
            t('paymentMethods.kind'),
            t('paymentMethods.active'),
            '',
          ]}
        />
        <tbody>
          {methods.map((m, index) => (
            <tr key={m.code} data-testid={`payment-method-${m.code}`} className={m.active ? undefined : 'is-inactive'}>
              <td className="admin-key">{m.active && index < 7 ? `F${index + 2}` : ''}</td>
              <td lang="zh-HK">{m.nameZh}</td>
              <td lang="en">{m.nameEn}</td>
              <td>{t(`paymentMethods.kinds.${m.kind}`)}</td>
              <td>
                <label className="admin-toggle">
                  <input
                    type="checkbox"
                    checked={m.active}
                    disabled={m.kind === 'cash'}
                    data-testid={`payment-method-active-${m.code}`}
                    onChange={(event) =>
                      void save({
                        code: m.code,
                        nameZh: m.nameZh,
                        nameEn: m.nameEn,
                        kind: m.kind === 'card' ? 'card' : 'reference',
                        active: event.target.checked,
                      })
                    }
                  />
                  {m.active ? t('paymentMethods.on') : t('paymentMethods.off')}
                </label>
              </td>
              <ActionsCell>
                <button
                  type="button"
                  className="admin-button"
                  aria-label={t('paymentMethods.moveUp')}
                  disabled={index === 0}
                  onClick={() => void methodsStore.move(m.code, 'up')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="admin-button"
                  aria-label={t('paymentMethods.moveDown')}
                  disabled={index === methods.length - 1}
                  onClick={() => void methodsStore.move(m.code, 'down')}
                >
                  ↓
                </button>
                {m.kind !== 'cash' && (
                  <button type="button" className="admin-button" data-testid={`payment-method-edit-${m.code}`} onClick={() => edit(m)}>
                    {t('paymentMethods.edit')}
                  </button>
                )}
              </ActionsCell>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="admin-card admin-form" onSubmit={(event) => void submit(event)} data-testid="payment-method-form">
        <h3>{editing ? t('paymentMethods.editTitle', { name: draft.nameZh }) : t('paymentMethods.addTitle')}</h3>
        <AdminInput
          label={t('paymentMethods.code')}
          value={draft.code}
          disabled={editing !== null}
          required
          pattern="[a-z][a-z0-9\-]{1,31}"
          placeholder="voucher"
          data-testid="payment-method-code"
          onChange={(e) => setDraft({ ...draft, code: e.target.value })}
        />
        <AdminInput
          label={t('paymentMethods.nameZh')}
          value={draft.nameZh}
          required
          maxLength={40}
          lang="zh-HK"
          data-testid="payment-method-name-zh"
          onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })}
        />
        <AdminInput
          label={t('paymentMethods.nameEn')}
          value={draft.nameEn}
          required
          maxLength={40}
          lang="en"
          data-testid="payment-method-name-en"
          onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
        />
        <AdminSelect
          label={t('paymentMethods.kind')}
          value={draft.kind}
          disabled={editing !== null && methods.find((m) => m.code === editing)?.builtIn === true}
          data-testid="payment-method-kind"
          onChange={(e) => setDraft({ ...draft, kind: e.target.value as SavePaymentMethod['kind'] })}
        >
          <option value="reference">{t('paymentMethods.kinds.reference')}</option>
          <option value="card">{t('paymentMethods.kinds.card')}</option>
        </AdminSelect>
        <FormActions
          saveLabel={editing ? t('paymentMethods.save') : t('paymentMethods.add')}
          saveTestId="payment-method-save"
          cancel={
            editing
              ? {
                  label: t('dialog.cancel'),
                  onCancel: () => {
                    setEditing(null);
                    setDraft(emptyDraft);
                  },
                }
              : null
          }
        />
      </form>
    </div>
  );
}
