import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseCents } from '../../shared/money';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { useErrorText } from '../hooks/use-error-text';
import { useCatalog, usePosStores } from '../stores/stores-context';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';

/**
 * 新增貨品: an unknown code becomes a product there and then (a manager, or a manager's PIN), and
 * one goes into the cart, filed under one of the shop's categories (or none).
 */
export function QuickAddDialog({ code }: { code: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { cart, ui } = usePosStores();
  const { locale } = useLocale();
  const categories = useCatalog((s) => s.categories);
  const [nameZh, setNameZh] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [price, setPrice] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseCents(price);
    if (nameZh.trim() === '') return setMessage(t('quickAdd.invalid.nameZh'));
    if (nameEn.trim() === '') return setMessage(t('quickAdd.invalid.nameEn'));
    if (cents === null) return setMessage(t('quickAdd.invalid.price'));
    setBusy(true);
    const outcome = await cart
      .getState()
      .quickAdd({ code, nameZh: nameZh.trim(), nameEn: nameEn.trim(), price: cents, categoryCode: category });
    setBusy(false);
    if (outcome.ok) close();
    else if (!outcome.cancelled) setMessage(errorText(outcome.error));
  };

  const field = (
    label: string,
    testId: string,
    value: string,
    set: (v: string) => void,
    extra: { autoFocus?: boolean; numeric?: boolean } = {},
  ) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className={extra.numeric ? 'field-input is-number' : 'field-input'}
        data-testid={testId}
        type="text"
        inputMode={extra.numeric ? 'decimal' : 'text'}
        autoComplete="off"
        maxLength={100}
        autoFocus={extra.autoFocus}
        value={value}
        onChange={(e) => {
          set(e.target.value);
          setMessage('');
        }}
      />
    </label>
  );

  return (
    <Dialog title={t('quickAdd.title')} testId="dialog-quick-add" onClose={close}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <p className="dialog-subject">
          {t('quickAdd.code')}: <code data-testid="quick-add-code">{code}</code>
        </p>
        <div className="field-row">
          {field(t('quickAdd.nameZh'), 'quick-add-name-zh', nameZh, setNameZh, { autoFocus: true })}
          {field(t('quickAdd.nameEn'), 'quick-add-name-en', nameEn, setNameEn)}
        </div>
        {field(t('quickAdd.price'), 'quick-add-price', price, setPrice, { numeric: true })}
        <div className="chip-row" role="radiogroup" aria-label={t('quickAdd.category')}>
          <span className="field-label">{t('quickAdd.category')}</span>
          {[null, ...categories].map((c) => (
            <button
              key={c?.code ?? 'none'}
              type="button"
              role="radio"
              aria-checked={category === (c?.code ?? null)}
              className={category === (c?.code ?? null) ? 'chip is-selected' : 'chip'}
              data-testid={`quick-add-category-${c?.code ?? 'none'}`}
              onMouseDown={keepFocus}
              onClick={() => setCategory(c?.code ?? null)}
            >
              {c ? localName(c, locale) : t('quickAdd.noCategory')}
            </button>
          ))}
        </div>
        <FieldMessage>{message}</FieldMessage>
        <DialogButtons onCancel={close} busy={busy} okLabel={t('quickAdd.save')} />
      </form>
    </Dialog>
  );
}
