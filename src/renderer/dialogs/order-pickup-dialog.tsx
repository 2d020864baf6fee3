import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useOrders, usePosStores } from '../stores/stores-context';
import { PickedItemsEntry, usePickedItems } from './picked-items';

function quantityText(milli: number): string {
  return Number.isInteger(milli / 1000) ? String(milli / 1000) : (milli / 1000).toFixed(3).replace(/0+$/, '');
}

/** A typed count of whole units (a weighed line goes whole: 0 or all of it). */
function milliOf(text: string, leftMilli: number): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (leftMilli % 1000 !== 0) return trimmed === quantityText(leftMilli) ? leftMilli : trimmed === '0' ? 0 : null;
  if (!/^\d{1,6}$/.test(trimmed)) return null;
  return Number(trimmed) * 1000;
}

/**
 * 部分取貨 / 換貨 (from the 網上訂單 queue): part of an order, or a swap. Per line, how many the
 * customer takes now and how many they swap out; the items taken instead are scanned (or typed).
 * Lines left at 0 stay reserved. Nothing to pay and nothing swapped in: a 已預付 slip; else the
 * cart opens with the taken lines at the order's prices and the new items at the store's, the
 * prepayment the pickup uses already deducted (a cheaper swap pays back).
 */
export function OrderPickupDialog({ orderNo }: { orderNo: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const errorText = useErrorText('order-pickup');
  const { ui, orders } = usePosStores();
  const order = useOrders((s) => s.list?.orders.find((o) => o.orderNo === orderNo) ?? null);
  const busy = useOrders((s) => s.busy);
  const open = (o: { quantityMilli: number; collectedMilli: number; releasedMilli: number }) =>
    o.quantityMilli - o.collectedMilli - o.releasedMilli;
  const lines = (order?.lines ?? []).filter((l) => open(l) > 0);
  const [take, setTake] = useState<Record<number, string>>(() => Object.fromEntries(lines.map((l) => [l.line, quantityText(open(l))])));
  const [swap, setSwap] = useState<Record<number, string>>({});
  const [message, setMessage] = useState('');
  const picked = usePickedItems(setMessage);
  const added = picked.items;
  const back = () => ui.getState().open({ kind: 'orders' });

  // A scan while this dialog is open is an item taken instead (scan-router.ts hands it to the store).
  const addRef = useRef(picked.add);
  useEffect(() => {
    addRef.current = picked.add;
  });
  useEffect(
    () =>
      orders.subscribe((state, before) => {
        if (state.swapInScan !== null && state.swapInScan !== before.swapInScan) void addRef.current(state.swapInScan.code);
      }),
    [orders],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parts = [];
    for (const l of lines) {
      const left = open(l);
      const collectMilli = milliOf(take[l.line] ?? '', left);
      const swapMilli = milliOf(swap[l.line] ?? '', left);
      if (collectMilli === null || swapMilli === null || collectMilli + swapMilli > left)
        return setMessage(`${localName(l, locale)}: ${t('orders.lineLeft', { left: quantityText(left) })}`);
      parts.push({ line: l.line, collectMilli, swapMilli });
    }
    if (parts.every((p) => p.collectMilli + p.swapMilli === 0) && added.length === 0) return setMessage(t('orders.pickupNothing'));
    if (parts.some((p) => p.swapMilli > 0) && added.length === 0) return setMessage(t('orders.swapInNeeded'));
    const outcome = await orders.getState().pickup({
      orderNo,
      lines: parts.filter((p) => p.collectMilli + p.swapMilli > 0),
      add: added.map((a) => ({ code: a.product.sku, quantity: a.quantity })),
    });
    if (!outcome.ok) return setMessage(errorText(outcome.error));
    // handed over: back to the queue, which shows the slip's number; in the cart: the till shows it
    if ('result' in outcome && outcome.result?.kind === 'handed-over') back();
  };

  const quantityField = (testId: string, value: string, onChange: (text: string) => void, label: string, autoFocus = false) => (
    <input
      className="field-input pickup-quantity"
      data-testid={testId}
      inputMode="numeric"
      maxLength={9}
      aria-label={label}
      autoFocus={autoFocus}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onFocus={(e) => e.target.select()}
    />
  );

  return (
    <Dialog title={t('orders.pickupTitle', { orderNo })} testId="dialog-order-pickup" onClose={back} size="large">
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <p className="field-hint">{t('orders.pickupHint')}</p>
        <table className="pickup-table" data-testid="pickup-lines">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{t('orders.take')}</th>
              <th scope="col">{t('orders.swapOut')}</th>
              <th scope="col" className="is-amount">
                {t('orders.unitPrice')}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, index) => (
              <tr key={l.line} data-testid={`pickup-line-${l.line}`}>
                <th scope="row">
                  {localName(l, locale)}
                  <span className="field-hint">
                    {' '}
                    {t('orders.lineLeft', { left: quantityText(open(l)) })}
                    {l.collectedMilli > 0 ? ` · ${t('orders.lineCollected', { collected: quantityText(l.collectedMilli) })}` : ''}
                    {l.releasedMilli > 0 ? ` · ${t('orders.lineSwapped', { swapped: quantityText(l.releasedMilli) })}` : ''}
                  </span>
                </th>
                <td>
                  {quantityField(
                    `pickup-take-${l.line}`,
                    take[l.line] ?? '',
                    (text) => setTake((c) => ({ ...c, [l.line]: text })),
                    `${t('orders.take')} ${localName(l, locale)}`,
                    index === 0,
                  )}
                </td>
                <td>
                  {quantityField(
                    `pickup-swap-${l.line}`,
                    swap[l.line] ?? '',
                    (text) => setSwap((c) => ({ ...c, [l.line]: text })),
                    `${t('orders.swapOut')} ${localName(l, locale)}`,
                  )}
                </td>
                <td className="is-amount">
                  <Money cents={l.unitPrice} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PickedItemsEntry
          picked={picked}
          label={t('orders.swapIn')}
          addLabel={t('orders.swapInAdd')}
          removeLabel={t('orders.swapInRemove')}
          testIds={{ code: 'pickup-swap-code', add: 'pickup-swap-add', lines: 'pickup-swap-lines' }}
        />
        {order && order.paid > order.appliedPaid && (
          <p className="orders-line">
            <span>{t('orders.prepaidLeft')}</span>
            <Money cents={order.paid - order.appliedPaid} testId="pickup-credit" />
          </p>
        )}
        <FieldMessage testId="pickup-error">{message}</FieldMessage>
        <DialogButtons onCancel={back} busy={busy} okLabel={t('orders.pickupConfirm')} />
      </form>
    </Dialog>
  );
}
