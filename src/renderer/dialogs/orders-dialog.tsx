import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { PosErrorBody } from '../../shared/errors';
import type { OrderFilter, TillOrder } from '../../shared/order-schemas';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { useStoreTime } from '../hooks/use-store-time';
import { localName } from '../names';
import { useOrders, usePosStores, useRegister } from '../stores/stores-context';
import type { OrderNotice } from '../stores/orders-store';

/** Who won a clash: the register the cloud named, or 另一部收銀機 until the next pull names it. */
function clashWinner(order: TillOrder, t: TFunction): string {
  return order.conflict?.by || t('orders.anotherRegister');
}

const FILTERS: readonly OrderFilter[] = ['open', 'new', 'preparing', 'ready', 'collected', 'cancelled', 'all'];

function quantityText(milli: number): string {
  return Number.isInteger(milli / 1000) ? String(milli / 1000) : (milli / 1000).toFixed(3).replace(/0+$/, '');
}

/**
 * 網上訂單 (⇧F5): the store's online and social orders for pickup. Scan the customer's order code
 * (or type its number) to collect it; on the selected order print the pick list (準備), mark it
 * ready, or cancel it. Usable offline from what was last pulled.
 */
export function OrdersDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText('orders');
  const { ui, orders } = usePosStores();
  const list = useOrders((s) => s.list);
  const loadState = useOrders((s) => s.loadState);
  const filter = useOrders((s) => s.filter);
  const selected = useOrders((s) => s.selected);
  const busy = useOrders((s) => s.busy);
  const notice = useOrders((s) => s.notice);
  const error = useOrders((s) => s.error);
  const [code, setCode] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const close = () => ui.getState().close();

  // Opening the queue (⇧F5) clears its old message; mounting must not: coming back from the social
  // order form shows the number of the order just created. A pull that brings changed orders moves
  // the cursor in the register's status: the open queue reads its list again.
  const pulledCursor = useRegister((s) => s.status?.orders?.cursor);
  useEffect(() => {
    void orders.getState().load();
  }, [orders, pulledCursor]);

  const order = list?.orders.find((o) => o.orderNo === selected) ?? null;
  const collect = async (event: FormEvent) => {
    event.preventDefault();
    const text = code.trim();
    if (text === '') return;
    const outcome = await orders.getState().collect(text);
    // Cleared only if it still holds this number: one typed while the cloud answered stays.
    if (outcome.ok) setCode((typed) => (typed.trim() === text ? '' : typed));
  };

  return (
    <Dialog title={t('orders.title')} testId="dialog-orders" onClose={close} size="large">
      <form className="orders-collect" onSubmit={(e) => void collect(e)}>
        <label className="field orders-collect-field">
          <span className="field-label">{t('orders.collectLabel')}</span>
          <input
            className="field-input"
            data-testid="orders-code"
            type="text"
            autoComplete="off"
            autoFocus
            maxLength={64}
            value={code}
            placeholder={t('orders.collectHint')}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <button type="submit" className="dialog-button is-primary" data-testid="orders-collect" disabled={busy} onMouseDown={keepFocus}>
          {t('orders.collect')}
          <kbd className="action-key">Enter</kbd>
        </button>
        <button
          type="button"
          className="dialog-button"
          data-testid="orders-new-social"
          onMouseDown={keepFocus}
          onClick={() => ui.getState().open({ kind: 'social-order' })}
        >
          {t('orders.newSocial')}
        </button>
      </form>
      <OrderMessage notice={notice} error={error === null ? '' : errorText(error)} final={error === null ? null : finalOf(error)} />
      <div className="orders-filters" role="tablist" aria-label={t('orders.filter')}>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            role="tab"
            aria-selected={filter === f}
            className={filter === f ? 'orders-filter is-current' : 'orders-filter'}
            data-testid={`orders-filter-${f}`}
            onMouseDown={keepFocus}
            onClick={() => orders.getState().setFilter(f)}
          >
            {t(`orders.filter_${f}`)}
            {f !== 'open' && f !== 'all' && list ? <span className="orders-count"> {list.counts[f]}</span> : null}
          </button>
        ))}
      </div>
      {list && list.conflicts > 0 && (
        <p className="dialog-warning" data-testid="orders-conflicts">
          {t('orders.conflicts', { count: list.conflicts })}
        </p>
      )}
      <div className="orders-body">
        <ul className="orders-list" data-testid="orders-list">
          {list === null || list.orders.length === 0 ? (
            <li className="panel-message">
              {loadState === 'failed' ? t('orders.failed') : loadState === 'ready' ? t('orders.empty') : t('orders.loading')}
            </li>
          ) : (
            list.orders.map((o) => <OrderRow key={o.orderNo} order={o} current={o.orderNo === selected} />)
          )}
        </ul>
        {order && (
          <OrderDetail
            order={order}
            busy={busy}
            cancelling={cancelling}
            reason={reason}
            onReason={setReason}
            onCancelStart={() => {
              setCancelling(true);
              setReason('');
            }}
            onCancelEnd={() => setCancelling(false)}
          />
        )}
      </div>
    </Dialog>
  );
}

/** Who reached a final state first, from an ORDER_FINAL refusal (issues finalBy, status, receiptNo). */
function finalOf(error: PosErrorBody): { who: string; status: string; receiptNo: string } | null {
  if (error.code !== 'ORDER_FINAL') return null;
  const issue = (path: string) => error.issues?.find((i) => i.path === path)?.message ?? '';
  return { who: issue('finalBy'), status: issue('status'), receiptNo: issue('receiptNo') };
}

function OrderMessage({
  notice,
  error,
  final,
}: {
  notice: OrderNotice | null;
  error: string;
  final: { who: string; status: string; receiptNo: string } | null;
}) {
  const { t } = useTranslation();
  if (error) {
    // Lost to another register or the shop: say who, and on which number, so nothing is handed over twice.
    const text =
      final?.who && final.status === 'collected' && final.receiptNo
        ? t('orders.alreadyCollected', { who: final.who, receiptNo: final.receiptNo })
        : final?.who && final.status === 'cancelled'
          ? t('orders.alreadyCancelled', { who: final.who })
          : `${error}${final?.who ? ` ${t('orders.finalBy', { who: final.who })}` : ''}`;
    return <FieldMessage testId="orders-error">{text}</FieldMessage>;
  }
  if (!notice) return null;
  return (
    <p className="orders-notice" role="status" data-testid="orders-notice">
      {notice.kind === 'handed-over'
        ? t('orders.handedOver', { orderNo: notice.orderNo, handoverNo: notice.handoverNo })
        : notice.kind === 'printed'
          ? t('orders.printed', { orderNo: notice.orderNo })
          : notice.kind === 'created'
            ? t('orders.created', { orderNo: notice.orderNo })
            : notice.kind === 'moved'
              ? t('orders.moved', { orderNo: notice.orderNo, status: t(`orders.status_${notice.status}`) })
              : t('orders.inCart', { orderNo: notice.orderNo })}
    </p>
  );
}

function OrderRow({ order, current }: { order: TillOrder; current: boolean }) {
  const { t } = useTranslation();
  const { orders } = usePosStores();
  return (
    <li>
      <button
        type="button"
        className={current ? 'orders-row is-current' : 'orders-row'}
        data-testid={`order-${order.orderNo}`}
        data-status={order.status}
        onMouseDown={keepFocus}
        onClick={() => orders.getState().select(order.orderNo)}
      >
        <span className="orders-row-no">{order.orderNo}</span>
        <span className={`orders-status status-${order.status}`} data-testid={`order-status-${order.orderNo}`}>
          {t(`orders.status_${order.status}`)}
          {order.partlyCollected ? ` · ${t('orders.partlyCollected')}` : ''}
          {order.pending ? ` · ${t('orders.pending')}` : ''}
        </span>
        <span className="orders-row-meta">
          {t(`orders.channel_${order.channel}`)} · {order.customerName} {order.customerPhone ?? ''}
        </span>
        <span className="orders-row-pay">
          {order.due === 0 ? (
            t('orders.prepaid')
          ) : (
            <>
              {t('orders.toPay')} <Money cents={order.due} />
            </>
          )}
        </span>
        {order.conflict && (
          <span className="dialog-warning orders-row-clash">{t('orders.conflictShort', { who: clashWinner(order, t) })}</span>
        )}
      </button>
    </li>
  );
}

function OrderDetail({
  order,
  busy,
  cancelling,
  reason,
  onReason,
  onCancelStart,
  onCancelEnd,
}: {
  order: TillOrder;
  busy: boolean;
  cancelling: boolean;
  reason: string;
  onReason: (text: string) => void;
  onCancelStart: () => void;
  onCancelEnd: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const storeTime = useStoreTime();
  const { orders, ui } = usePosStores();
  const open = order.status === 'new' || order.status === 'preparing' || order.status === 'ready';
  const button = (testId: string, label: string, onPress: () => void, primary = false) => (
    <button
      type="button"
      className={primary ? 'dialog-button is-primary' : 'dialog-button'}
      data-testid={testId}
      disabled={busy}
      onMouseDown={keepFocus}
      onClick={onPress}
    >
      {label}
    </button>
  );
  return (
    <section className="orders-detail" data-testid="order-detail" aria-label={order.orderNo}>
      <p className="dialog-subject">
        {order.orderNo} · {t(`orders.channel_${order.channel}`)}
      </p>
      {/* first: the cashier reads the clash before anything else of the order */}
      {order.conflict && (
        <OrderClash
          order={order}
          acknowledge={button('order-acknowledge', t('orders.acknowledge'), () => void orders.getState().acknowledge(order.orderNo))}
        />
      )}
      <p>
        {order.customerName} {order.customerPhone ?? ''}
        {order.pickupOn ? ` · ${t('orders.pickupOn', { date: order.pickupOn })}` : ''}
      </p>
      <p className="field-hint">{t('orders.placedAt', { time: storeTime.dateTime(order.createdAt) })}</p>
      <ul className="orders-lines" data-testid="order-lines">
        {order.lines.map((l) => (
          <li key={l.line} className="orders-line" data-testid={`order-line-${l.line}`}>
            <span>
              {localName(l, locale)} × {quantityText(l.quantityMilli)}
              {l.collectedMilli + l.releasedMilli > 0 && (
                <span className="field-hint">
                  {' '}
                  {l.collectedMilli > 0 ? t('orders.lineCollected', { collected: quantityText(l.collectedMilli) }) : ''}
                  {l.collectedMilli > 0 && l.releasedMilli > 0 ? ' · ' : ''}
                  {l.releasedMilli > 0 ? t('orders.lineSwapped', { swapped: quantityText(l.releasedMilli) }) : ''}
                  {' · '}
                  {t('orders.lineLeft', { left: quantityText(l.quantityMilli - l.collectedMilli - l.releasedMilli) })}
                </span>
              )}
            </span>
            <Money cents={l.amount} />
          </li>
        ))}
      </ul>
      <p className="orders-line">
        <span>{t('orders.total')}</span>
        <Money cents={order.total} />
      </p>
      <p className="orders-line">
        <span>{t('orders.paid')}</span>
        <Money cents={order.paid} />
      </p>
      {order.partlyCollected && (
        <p className="orders-partly" data-testid="order-partly">
          {t('orders.partlyCollected')}:{' '}
          {t('orders.stillToCollect', {
            items: order.lines
              .filter((l) => l.quantityMilli - l.collectedMilli - l.releasedMilli > 0)
              .map((l) => `${localName(l, locale)} × ${quantityText(l.quantityMilli - l.collectedMilli - l.releasedMilli)}`)
              .join('、'),
          })}
        </p>
      )}
      <p className="orders-line orders-due" data-testid="order-due">
        <span>{order.due === 0 ? t('orders.prepaid') : t('orders.toPay')}</span>
        <Money cents={order.due} />
      </p>
      {order.note && <p className="field-hint">{order.note}</p>}
      {order.finalBy && (
        <p data-testid="order-final-by">
          {order.status === 'cancelled'
            ? t('orders.cancelledBy', { who: order.finalBy, reason: order.cancelReason ?? '' })
            : t('orders.collectedBy', { who: order.finalBy, receiptNo: order.receiptNo ?? '' })}
        </p>
      )}
      {open && !cancelling && (
        <div className="dialog-buttons">
          {button('order-prepare', t('orders.prepare'), () => void orders.getState().printPickList(order.orderNo))}
          {order.status !== 'ready' && button('order-ready', t('orders.ready'), () => void orders.getState().move(order.orderNo, 'ready'))}
          {button('order-cancel', t('orders.cancel'), onCancelStart)}
          {/* nothing more is handed over while a clash stands (main refuses it too: ORDER_CLASH) */}
          {!order.conflict &&
            button('order-pickup', t('orders.pickupOpen'), () => ui.getState().open({ kind: 'order-pickup', orderNo: order.orderNo }))}
          {!order.conflict &&
            button(
              'order-collect',
              order.due === 0 ? t('orders.handOver') : t('orders.takePayment'),
              () => void orders.getState().collect(order.orderNo),
              true,
            )}
        </div>
      )}
      {open && cancelling && (
        <form
          className="dialog-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim() === '') return;
            void orders
              .getState()
              .move(order.orderNo, 'cancelled', reason.trim())
              .then(() => onCancelEnd());
          }}
        >
          <label className="field">
            <span className="field-label">{t('orders.cancelReason')}</span>
            <input
              className="field-input"
              data-testid="order-cancel-reason"
              type="text"
              maxLength={200}
              autoFocus
              value={reason}
              onChange={(e) => onReason(e.target.value)}
            />
          </label>
          <div className="dialog-buttons">
            {button('order-cancel-back', t('dialog.cancel'), onCancelEnd)}
            <button
              type="submit"
              className="dialog-button is-primary"
              data-testid="order-cancel-confirm"
              disabled={busy || reason.trim() === ''}
            >
              {t('orders.cancelConfirm')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/**
 * A clash on the order, as the cashier must read it before handing more of it over: who got there
 * first, which of this register's slips or receipts the cloud refused (their goods went out here as
 * well: to follow up), and which it handed over that still wait for the cloud (counted in the
 * order's lines, so not to be handed over again).
 */
function OrderClash({ order, acknowledge }: { order: TillOrder; acknowledge: ReactNode }) {
  const { t } = useTranslation();
  const conflict = order.conflict!;
  const waiting = order.pickups.filter((p) => p.by === '').map((p) => p.receiptNo);
  return (
    <div className="dialog-warning orders-clash" data-testid="order-conflict">
      <p>{t('orders.conflict', { who: clashWinner(order, t), status: t(`orders.status_${conflict.status}`) })}</p>
      {conflict.refused.length > 0 && (
        <p data-testid="order-conflict-refused">{t('orders.conflictRefused', { numbers: conflict.refused.join('、') })}</p>
      )}
      {waiting.length > 0 && <p data-testid="order-conflict-pending">{t('orders.conflictPending', { numbers: waiting.join('、') })}</p>}
      <p>{t('orders.conflictAcknowledge')}</p>
      {acknowledge}
    </div>
  );
}
