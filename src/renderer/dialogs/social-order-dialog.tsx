import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseCents } from '../../shared/money';
import type { SocialOrderInput } from '../../shared/order-schemas';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { usePosStores } from '../stores/stores-context';
import { PickedItemsEntry, usePickedItems } from './picked-items';

const CHANNELS = ['instagram', 'whatsapp', 'facebook', 'phone'] as const;
const PAID_METHODS = ['fps', 'payme', 'bank', 'alipayhk', 'wechatpay'] as const;

/**
 * A chat or phone order taken at the till: the items (scan or type a barcode / SKU), the customer,
 * what they already transferred (a deposit or the whole amount, with the bank's reference) and the
 * pickup date. The cloud prices it and it joins every register's queue; it needs the cloud.
 */
export function SocialOrderDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { ui, orders } = usePosStores();
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('instagram');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [paidText, setPaidText] = useState('');
  const [method, setMethod] = useState<(typeof PAID_METHODS)[number]>('fps');
  const [reference, setReference] = useState('');
  const [pickupOn, setPickupOn] = useState('');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const picked = usePickedItems(setMessage);
  const lines = picked.items;
  const back = () => ui.getState().open({ kind: 'orders' });
  const total = lines.reduce((sum, l) => sum + Math.round(l.product.price * l.quantity), 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (lines.length === 0) return setMessage(t('socialOrder.needItems'));
    if (name.trim() === '') return setMessage(t('socialOrder.needName'));
    const paid = paidText.trim() === '' ? 0 : parseCents(paidText);
    if (paid === null || paid < 0) return setMessage(t('socialOrder.badPaid'));
    const input: SocialOrderInput = {
      channel,
      customerName: name.trim(),
      customerPhone: phone.trim() === '' ? null : phone.trim(),
      lines: lines.map((l) => ({ sku: l.product.sku, quantity: l.quantity })),
      paid: paid === 0 ? null : { amount: paid, method, reference: reference.trim() === '' ? null : reference.trim() },
      pickupOn: pickupOn === '' ? null : pickupOn,
      note: note.trim(),
    };
    setBusy(true);
    const outcome = await orders.getState().create(input);
    setBusy(false);
    if (outcome.ok) back();
    else setMessage(errorText(outcome.error));
  };

  return (
    <Dialog title={t('socialOrder.title')} testId="dialog-social-order" onClose={back} size="large">
      <form className="dialog-form social-order-form" onSubmit={(e) => void submit(e)}>
        <div className="social-order-grid">
          <label className="field">
            <span className="field-label">{t('socialOrder.channel')}</span>
            <select
              className="field-input"
              data-testid="social-channel"
              value={channel}
              onChange={(e) => setChannel(e.target.value as (typeof CHANNELS)[number])}
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`orders.channel_${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('socialOrder.name')}</span>
            <input
              className="field-input"
              data-testid="social-name"
              maxLength={100}
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('socialOrder.phone')}</span>
            <input
              className="field-input"
              data-testid="social-phone"
              inputMode="tel"
              maxLength={20}
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('socialOrder.pickupOn')}</span>
            <input
              className="field-input"
              data-testid="social-pickup"
              type="date"
              value={pickupOn}
              onChange={(e) => setPickupOn(e.target.value)}
            />
          </label>
        </div>
        <PickedItemsEntry
          picked={picked}
          label={t('socialOrder.item')}
          addLabel={t('socialOrder.add')}
          removeLabel={t('socialOrder.remove')}
          testIds={{ code: 'social-item-code', add: 'social-item-add', lines: 'social-lines' }}
        />
        <p className="orders-line orders-due">
          <span>{t('orders.total')}</span>
          <Money cents={total} testId="social-total" />
        </p>
        <div className="social-order-grid">
          <label className="field">
            <span className="field-label">{t('socialOrder.paid')}</span>
            <input
              className="field-input"
              data-testid="social-paid"
              inputMode="decimal"
              value={paidText}
              onChange={(e) => setPaidText(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('socialOrder.paidMethod')}</span>
            <select
              className="field-input"
              data-testid="social-paid-method"
              value={method}
              onChange={(e) => setMethod(e.target.value as (typeof PAID_METHODS)[number])}
            >
              {PAID_METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`socialOrder.method_${m}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('socialOrder.reference')}</span>
            <input
              className="field-input"
              data-testid="social-reference"
              maxLength={64}
              value={reference}
              onChange={(e) => setReference(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('socialOrder.note')}</span>
            <input
              className="field-input"
              data-testid="social-note"
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
        </div>
        <FieldMessage>{message}</FieldMessage>
        <DialogButtons onCancel={back} busy={busy} okLabel={t('socialOrder.create')} />
      </form>
    </Dialog>
  );
}
