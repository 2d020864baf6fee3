/**
 * 網上及社交訂單 (issue 15): the merchant's online-shop and chat orders that stores hand over at
 * the counter. The list filters by store, status, channel and day; an order opens with its lines,
 * payments and every move (who, which register); a manager marks it preparing or ready, or cancels
 * it with a reason; collecting stays the till's. A chat or phone order is typed in here and priced
 * by the cloud at the store's prices before it is entered (the figure to read out to the customer).
 */
import { useState, type FormEvent } from 'react';
import {
  consoleMovesFrom,
  type ConsoleOrderMove,
  type OrderDetail,
  type OrderListPage,
  type OrderQuote,
  type StoreItem,
} from '../../hq/contract';
import { orderStatuses, socialOrderChannels, socialPaidMethods, OrderChannel, type OrderStatus } from '../../../src/shared/order-schemas';
import { parseDayFirstDate } from '../../../src/shared/store-time';
import { useConsole, useLang, useMay, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { Pager, SelectField, pickRow, storeChoices } from '../controls';
import { ErrorLine, InputError, Money, PageHeader, When, quantityText, useAction, useLoad } from '../parts';

export function orderStatusName(tr: Tr, status: OrderStatus): string {
  const names: Record<OrderStatus, [string, string]> = {
    new: ['新訂單', 'New'],
    preparing: ['準備中', 'Preparing'],
    ready: ['可取貨', 'Ready'],
    collected: ['已取貨', 'Collected'],
    cancelled: ['已取消', 'Cancelled'],
  };
  return tr(...names[status]);
}

export function orderChannelName(tr: Tr, channel: OrderChannel): string {
  const names: Record<OrderChannel, [string, string]> = {
    online: ['網店', 'Online shop'],
    instagram: ['Instagram', 'Instagram'],
    whatsapp: ['WhatsApp', 'WhatsApp'],
    facebook: ['Facebook', 'Facebook'],
    phone: ['電話', 'Phone'],
    counter: ['門市', 'Counter'],
  };
  return tr(...names[channel]);
}

function methodName(tr: Tr, method: string): string {
  const names: Record<string, [string, string]> = {
    fps: ['轉數快', 'FPS'],
    payme: ['PayMe', 'PayMe'],
    bank: ['銀行轉賬', 'Bank transfer'],
    alipayhk: ['AlipayHK', 'AlipayHK'],
    wechatpay: ['WeChat Pay', 'WeChat Pay'],
    online: ['網上付款', 'Paid online'],
    cash: ['現金', 'Cash'],
    card: ['信用卡', 'Card'],
    octopus: ['八達通', 'Octopus'],
  };
  const found = names[method];
  return found ? tr(found[0], found[1]) : method;
}

type View = { kind: 'list' } | { kind: 'order'; orderNo: string } | { kind: 'enter' };

export function OrdersPage() {
  const tr = useTr();
  const may = useMay();
  const [view, setView] = useState<View>({ kind: 'list' });
  const stores = useLoad<{ stores: StoreItem[] }>('/stores').data?.stores ?? [];
  return (
    <section className="hq-page">
      <PageHeader title={tr('網上及社交訂單', 'Online & social orders')}>
        {view.kind !== 'list' ? (
          <button type="button" onClick={() => setView({ kind: 'list' })} data-testid="orders-back">
            {tr('返回訂單列表', 'Back to the list')}
          </button>
        ) : may('orders.manage') ? (
          <button type="button" className="primary" onClick={() => setView({ kind: 'enter' })} data-testid="orders-enter">
            {tr('輸入社交訂單', 'Enter a chat order')}
          </button>
        ) : null}
      </PageHeader>
      {view.kind === 'list' ? <OrderList stores={stores} onOpen={(orderNo) => setView({ kind: 'order', orderNo })} /> : null}
      {view.kind === 'order' ? <OrderView orderNo={view.orderNo} /> : null}
      {view.kind === 'enter' ? <OrderEntry stores={stores} onEntered={(orderNo) => setView({ kind: 'order', orderNo })} /> : null}
    </section>
  );
}

interface Filters {
  storeId: string;
  status: string;
  channel: string;
  from: string;
  to: string;
  page: number;
}

function OrderList({ stores, onOpen }: { stores: StoreItem[]; onOpen(orderNo: string): void }) {
  const tr = useTr();
  const lang = useLang();
  const [filters, setFilters] = useState<Filters>({ storeId: '', status: '', channel: '', from: '', to: '', page: 1 });
  const [draft, setDraft] = useState(filters);
  const [inputError, setInputError] = useState<string | null>(null);
  const query = new URLSearchParams(
    Object.entries(filters).flatMap(([key, value]) => (value === '' ? [] : [[key, String(value)]])),
  ).toString();
  const { data, error } = useLoad<OrderListPage>(`/orders?${query}`);
  const pages = data ? Math.max(1, Math.ceil(data.count / data.pageSize)) : 1;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const day = (text: string) => (text.trim() === '' ? '' : parseDayFirstDate(text));
    const from = day(draft.from);
    const to = day(draft.to);
    if (from === null || to === null) {
      setInputError(tr('日期格式為 日/月/年，例如 01/12/2026', 'Dates are day/month/year, e.g. 01/12/2026'));
      return;
    }
    setInputError(null);
    setFilters({ ...draft, from, to, page: 1 });
  };
  const set = (key: Exclude<keyof Filters, 'page'>) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <>
      <form className="hq-row" onSubmit={submit} data-testid="orders-filters">
        <SelectField
          label={tr('分店', 'Store')}
          value={draft.storeId}
          onChange={set('storeId')}
          blank={tr('所有分店', 'All stores')}
          choices={storeChoices(stores, lang)}
          testId="orders-store"
        />
        <SelectField
          label={tr('狀態', 'Status')}
          value={draft.status}
          onChange={set('status')}
          blank={tr('全部', 'All')}
          choices={orderStatuses.map((s) => [s, orderStatusName(tr, s)] as const)}
          testId="orders-status"
        />
        <SelectField
          label={tr('渠道', 'Channel')}
          value={draft.channel}
          onChange={set('channel')}
          blank={tr('全部', 'All')}
          choices={OrderChannel.options.map((c) => [c, orderChannelName(tr, c)] as const)}
          testId="orders-channel"
        />
        <label>
          {tr('由', 'From')}
          <input
            value={draft.from}
            onChange={(e) => set('from')(e.target.value)}
            placeholder="01/12/2026"
            size={10}
            data-testid="orders-from"
          />
        </label>
        <label>
          {tr('至', 'To')}
          <input value={draft.to} onChange={(e) => set('to')(e.target.value)} placeholder="31/12/2026" size={10} data-testid="orders-to" />
        </label>
        <button type="submit" data-testid="orders-search">
          {tr('搜尋', 'Search')}
        </button>
      </form>
      <InputError text={inputError} />
      <ErrorLine error={error} />
      <div className="hq-scroll-x" data-scrolls-x>
        <table className="hq-table hq-pick" data-testid="orders-table">
          <thead>
            <tr>
              <th>{tr('單號', 'Number')}</th>
              <th>{tr('渠道', 'Channel')}</th>
              <th>{tr('客人', 'Customer')}</th>
              <th className="num">{tr('件數', 'Items')}</th>
              <th className="num">{tr('總額', 'Total')}</th>
              <th>{tr('付款', 'Payment')}</th>
              <th>{tr('狀態', 'Status')}</th>
              <th>{tr('取貨分店', 'Pickup')}</th>
              <th>{tr('最後更新', 'Last change')}</th>
            </tr>
          </thead>
          <tbody>
            {(data?.orders ?? []).map((o) => (
              <tr key={o.orderNo} {...pickRow(() => onOpen(o.orderNo))} data-testid={`orders-row-${o.orderNo}`}>
                <td className="nowrap">{o.orderNo}</td>
                <td>{orderChannelName(tr, o.channel)}</td>
                <td className="wrap">
                  {o.customerName}
                  {o.customerPhone ? <span className="hq-muted nowrap"> {o.customerPhone}</span> : null}
                </td>
                <td className="num">{o.items}</td>
                <td className="num">
                  <Money cents={o.total} />
                </td>
                <td>
                  {o.due === 0 ? (
                    tr('已付', 'Paid')
                  ) : (
                    <span className="nowrap" data-testid={`orders-due-${o.orderNo}`}>
                      {tr('待付', 'To pay')} <Money cents={o.due} />
                    </span>
                  )}
                </td>
                <td className="nowrap" data-testid={`orders-status-${o.orderNo}`}>
                  {orderStatusName(tr, o.status)}
                  {o.partlyCollected ? ` · ${tr('部分取貨', 'Partly collected')}` : ''}
                </td>
                <td>{o.storeCode}</td>
                <td>
                  <When ms={o.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.orders.length === 0 ? <p data-testid="orders-empty">{tr('沒有符合的訂單', 'No orders match')}</p> : null}
      {data ? (
        <Pager
          status={
            <span>
              {tr(`第 ${filters.page} / ${pages} 頁，共 ${data.count} 張`, `Page ${filters.page} of ${pages}, ${data.count} orders`)}
            </span>
          }
          hasPrevious={filters.page > 1}
          hasNext={filters.page < pages}
          onPrevious={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}
          onNext={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
          testId="orders"
          rowTestId="orders-pages"
        />
      ) : null}
    </>
  );
}

function moveName(tr: Tr, to: ConsoleOrderMove): string {
  const names: Record<ConsoleOrderMove, [string, string]> = {
    preparing: ['標記為準備中', 'Mark preparing'],
    ready: ['標記為可取貨', 'Mark ready'],
    cancelled: ['取消訂單…', 'Cancel the order…'],
  };
  return tr(...names[to]);
}

function OrderView({ orderNo }: { orderNo: string }) {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const may = useMay();
  const loaded = useLoad<OrderDetail>(`/orders/${encodeURIComponent(orderNo)}`);
  const [moved, setMoved] = useState<OrderDetail | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const detail = moved ?? loaded.data;
  if (!detail) return <ErrorLine error={loaded.error} />;
  const { order } = detail;
  const move = async (to: ConsoleOrderMove, why: string | null) => {
    await action.run(async () => {
      setMoved(await api.post<OrderDetail>(`/orders/${encodeURIComponent(orderNo)}/status`, { to, reason: why }));
      setCancelling(false);
    });
  };
  const moves = may('orders.manage') ? consoleMovesFrom(order.status) : [];
  const open = order.status === 'new' || order.status === 'preparing' || order.status === 'ready';
  const partly = open && order.lines.some((l) => l.collectedMilli + l.releasedMilli > 0);
  const settled = order.lines.some((l) => l.collectedMilli + l.releasedMilli > 0);
  return (
    <div data-testid="order-detail">
      <h2>
        {order.orderNo}
        <span className="hq-tag" data-testid="order-detail-status">
          {orderStatusName(tr, order.status)}
          {partly ? ` · ${tr('部分取貨', 'Partly collected')}` : ''}
        </span>
      </h2>
      <dl className="hq-facts">
        <dt>{tr('渠道', 'Channel')}</dt>
        <dd>{orderChannelName(tr, order.channel)}</dd>
        <dt>{tr('客人', 'Customer')}</dt>
        <dd>
          {order.customerName} {order.customerPhone ?? ''}
        </dd>
        <dt>{tr('取貨分店', 'Pickup store')}</dt>
        <dd>
          {order.storeCode}
          {order.pickupOn ? ` · ${order.pickupOn}` : ''}
        </dd>
        {order.note ? (
          <>
            <dt>{tr('備註', 'Note')}</dt>
            <dd className="wrap">{order.note}</dd>
          </>
        ) : null}
        {order.cancelReason ? (
          <>
            <dt>{tr('取消原因', 'Why cancelled')}</dt>
            <dd className="wrap" data-testid="order-detail-reason">
              {order.cancelReason}
            </dd>
          </>
        ) : null}
        {order.receiptNo ? (
          <>
            <dt>{tr('取貨單號', 'Collected on')}</dt>
            <dd>{order.receiptNo}</dd>
          </>
        ) : null}
      </dl>
      <table className="hq-table" data-testid="order-detail-lines">
        <thead>
          <tr>
            <th>{tr('貨號', 'SKU')}</th>
            <th>{tr('貨品', 'Product')}</th>
            <th className="num">{tr('數量', 'Qty')}</th>
            {settled ? (
              <>
                <th className="num">{tr('已取', 'Collected')}</th>
                <th className="num">{tr('已換', 'Swapped')}</th>
                <th className="num">{tr('餘下', 'Left')}</th>
              </>
            ) : null}
            <th className="num">{tr('單價', 'Price')}</th>
            <th className="num">{tr('金額', 'Amount')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.line}>
              <td className="nowrap">{l.sku}</td>
              <td className="wrap">{lang === 'en' ? l.nameEn : l.nameZh}</td>
              <td className="num">{quantityText(l.quantityMilli)}</td>
              {settled ? (
                <>
                  <td className="num" data-testid={`order-line-collected-${l.line}`}>
                    {quantityText(l.collectedMilli)}
                  </td>
                  <td className="num">{quantityText(l.releasedMilli)}</td>
                  <td className="num" data-testid={`order-line-left-${l.line}`}>
                    {quantityText(open ? l.quantityMilli - l.collectedMilli - l.releasedMilli : 0)}
                  </td>
                </>
              ) : null}
              <td className="num">
                <Money cents={l.unitPrice} />
              </td>
              <td className="num">
                <Money cents={l.amount} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={settled ? 7 : 4}>{tr('總額', 'Total')}</th>
            <td className="num" data-testid="order-detail-total">
              <Money cents={order.total} />
            </td>
          </tr>
          <tr>
            <th colSpan={settled ? 7 : 4}>{tr('待付（取貨時）', 'To pay at pickup')}</th>
            <td className="num" data-testid="order-detail-due">
              <Money cents={order.due} />
            </td>
          </tr>
        </tfoot>
      </table>
      <h2>{tr('付款', 'Payments')}</h2>
      {detail.payments.length === 0 ? <p className="hq-muted">{tr('未有付款：取貨時付款', 'Nothing paid yet: paid at pickup')}</p> : null}
      <ul data-testid="order-detail-payments">
        {detail.payments.map((p, index) => (
          <li key={index}>
            {p.when === 'prepaid' ? tr('預付', 'Prepaid') : tr('取貨時', 'At pickup')} · {methodName(tr, p.method)} ·{' '}
            <Money cents={p.amount} />
            {p.reference ? ` · ${p.reference}` : ''}
          </li>
        ))}
      </ul>
      <h2>{tr('狀態紀錄', 'Status history')}</h2>
      <table className="hq-table" data-testid="order-detail-history">
        <thead>
          <tr>
            <th>{tr('時間', 'When')}</th>
            <th>{tr('狀態', 'Status')}</th>
            <th>{tr('由誰', 'By')}</th>
            <th>{tr('備註', 'Note')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.history.map((e, index) => (
            <tr key={index}>
              <td>
                <When ms={e.at} />
              </td>
              <td className="nowrap">
                {e.from ? `${orderStatusName(tr, e.from)} → ` : ''}
                {orderStatusName(tr, e.to)}
              </td>
              <td>{e.by}</td>
              <td className="wrap">{e.reason ?? e.receiptNo ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {moves.length > 0 ? (
        <div className="hq-row">
          {moves
            .filter((to) => to !== 'cancelled')
            .map((to) => (
              <button key={to} type="button" disabled={action.busy} onClick={() => void move(to, null)} data-testid={`order-move-${to}`}>
                {moveName(tr, to)}
              </button>
            ))}
          {moves.includes('cancelled') && !cancelling ? (
            <button type="button" onClick={() => setCancelling(true)} data-testid="order-move-cancelled">
              {moveName(tr, 'cancelled')}
            </button>
          ) : null}
          <span className="hq-muted">{tr('取貨在收銀機辦理。', 'Collecting is done at the till.')}</span>
        </div>
      ) : null}
      {cancelling ? (
        <form
          className="hq-row"
          onSubmit={(e) => {
            e.preventDefault();
            void move('cancelled', reason.trim());
          }}
          data-testid="order-cancel-form"
        >
          <label className="grow">
            {tr('取消原因（會通知分店）', 'Why cancel (the store sees it)')}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={200}
              autoFocus
              data-testid="order-cancel-reason"
            />
          </label>
          <button type="submit" className="primary" disabled={action.busy} data-testid="order-cancel-confirm">
            {tr('確認取消訂單', 'Cancel the order')}
          </button>
          <button type="button" onClick={() => setCancelling(false)}>
            {tr('返回', 'Back')}
          </button>
        </form>
      ) : null}
      <ErrorLine error={action.error} />
    </div>
  );
}

interface LineDraft {
  sku: string;
  quantity: string;
}

type SocialChannel = (typeof socialOrderChannels)[number];
type PaidMethod = (typeof socialPaidMethods)[number];

/** The form's own order number: a retried submit answers the same order; `HQ-` tells head office's from the till's. */
function newOrderNo(): string {
  const random = Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0');
  return `HQ-${Date.now().toString(36)}${random}`.toUpperCase();
}

function OrderEntry({ stores, onEntered }: { stores: StoreItem[]; onEntered(orderNo: string): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const [orderNo] = useState(newOrderNo);
  const [channel, setChannel] = useState<SocialChannel>('whatsapp');
  const [customerName, setCustomerName] = useState('');
  const [customerPhone, setCustomerPhone] = useState('');
  const [storeId, setStoreId] = useState('');
  const [pickupText, setPickupText] = useState('');
  const [note, setNote] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([{ sku: '', quantity: '1' }]);
  const [paidNow, setPaidNow] = useState(false);
  const [method, setMethod] = useState<PaidMethod>('fps');
  const [reference, setReference] = useState('');
  const [quote, setQuote] = useState<{ key: string; quote: OrderQuote } | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const pricing = useAction();
  const save = useAction();
  const store = storeId === '' ? (stores.length === 1 ? stores[0] : undefined) : stores.find((s) => String(s.id) === storeId);

  const requested = lines.filter((l) => l.sku.trim() !== '').map((l) => ({ sku: l.sku.trim(), quantity: Number(l.quantity) }));
  const quoteKey = JSON.stringify([store?.id, requested]);
  const current = quote?.key === quoteKey ? quote.quote : null;

  const setLine = (index: number, patch: Partial<LineDraft>) =>
    setLines((all) => all.map((l, i) => (i === index ? { ...l, ...patch } : l)));

  const fail = (text: string) => {
    setInputError(text);
    return false;
  };
  const checkLines = (): boolean => {
    if (!store) return fail(tr('請揀選取貨分店', 'Pick the pickup store'));
    if (requested.length === 0) return fail(tr('請輸入最少一件貨品的貨號', 'Type the SKU of at least one item'));
    if (requested.some((l) => !(l.quantity > 0))) return fail(tr('數量必須大於 0', 'Quantities must be more than 0'));
    setInputError(null);
    return true;
  };

  const price = async () => {
    if (!checkLines() || !store) return;
    const key = quoteKey;
    await pricing.run(async () => {
      setQuote({ key, quote: await api.post<OrderQuote>('/orders/quote', { storeId: store.id, lines: requested }) });
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!checkLines() || !store || !current) return;
    if (customerName.trim() === '') return void fail(tr('請輸入客人姓名', 'Type the customer’s name'));
    const pickupOn = pickupText.trim() === '' ? null : parseDayFirstDate(pickupText);
    if (pickupOn === null && pickupText.trim() !== '')
      return void fail(tr('日期格式為 日/月/年，例如 24/12/2026', 'Dates are day/month/year, e.g. 24/12/2026'));
    setInputError(null);
    const ok = await save.run(() =>
      api.post('/orders', {
        orderNo,
        storeId: store.id,
        channel,
        customerName: customerName.trim(),
        customerPhone: customerPhone.trim() === '' ? null : customerPhone.trim(),
        lines: requested,
        payment: paidNow ? { method, reference: reference.trim() === '' ? null : reference.trim() } : null,
        expectedTotal: current.total,
        pickupOn,
        note: note.trim(),
      }),
    );
    if (ok) onEntered(orderNo);
  };

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="order-entry">
      <p className="hq-muted">
        {tr(
          '客人在 WhatsApp、Instagram、Facebook 或電話落單：輸入後先計算總額（雲端按分店現價計算），告知客人後建立訂單；分店收銀機的「網上訂單」會即時收到。',
          'A customer ordered by WhatsApp, Instagram, Facebook or phone: type it in, price it (the cloud uses the store’s current prices), tell the customer, then enter it; the store’s registers get it in 網上訂單 at once.',
        )}
      </p>
      <fieldset disabled={save.busy} className="hq-row">
        <SelectField
          label={tr('渠道', 'Channel')}
          value={channel}
          onChange={setChannel}
          choices={socialOrderChannels.map((c) => [c, orderChannelName(tr, c)] as const)}
          testId="entry-channel"
        />
        <label>
          {tr('客人姓名', 'Customer name')}
          <input
            value={customerName}
            onChange={(e) => setCustomerName(e.target.value)}
            maxLength={100}
            size={14}
            data-testid="entry-name"
          />
        </label>
        <label>
          {tr('電話', 'Phone')}
          <input
            value={customerPhone}
            onChange={(e) => setCustomerPhone(e.target.value)}
            maxLength={20}
            size={11}
            inputMode="tel"
            data-testid="entry-phone"
          />
        </label>
        <SelectField
          label={tr('取貨分店', 'Pickup store')}
          value={store ? String(store.id) : ''}
          onChange={setStoreId}
          blank={tr('請揀選', 'Pick one')}
          choices={storeChoices(stores, lang)}
          testId="entry-store"
        />
        <label>
          {tr('取貨日期', 'Pickup day')}
          <input
            value={pickupText}
            onChange={(e) => setPickupText(e.target.value)}
            placeholder="24/12/2026"
            size={10}
            data-testid="entry-pickup"
          />
        </label>
      </fieldset>
      <fieldset disabled={save.busy}>
        {lines.map((l, index) => (
          <div className="hq-row" key={index}>
            <label>
              {tr('貨號', 'SKU')}
              <input
                value={l.sku}
                onChange={(e) => setLine(index, { sku: e.target.value })}
                maxLength={64}
                size={14}
                data-testid={`entry-sku-${index}`}
              />
            </label>
            <label>
              {tr('數量', 'Qty')}
              <input
                value={l.quantity}
                onChange={(e) => setLine(index, { quantity: e.target.value })}
                inputMode="decimal"
                size={5}
                data-testid={`entry-qty-${index}`}
              />
            </label>
            {lines.length > 1 ? (
              <button
                type="button"
                onClick={() => setLines((all) => all.filter((_, i) => i !== index))}
                data-testid={`entry-remove-${index}`}
              >
                {tr('刪除', 'Remove')}
              </button>
            ) : null}
          </div>
        ))}
        <div className="hq-row">
          <button type="button" onClick={() => setLines((all) => [...all, { sku: '', quantity: '1' }])} data-testid="entry-add-line">
            {tr('加一行', 'Add a line')}
          </button>
          <button type="button" onClick={() => void price()} disabled={pricing.busy} data-testid="entry-price">
            {tr('計算總額', 'Price it')}
          </button>
        </div>
      </fieldset>
      <ErrorLine error={pricing.error} />
      {current ? (
        <table className="hq-table" data-testid="entry-quote">
          <tbody>
            {current.lines.map((l) => (
              <tr key={l.line}>
                <td className="nowrap">{l.sku}</td>
                <td className="wrap">{lang === 'en' ? l.nameEn : l.nameZh}</td>
                <td className="num">
                  {quantityText(l.quantityMilli)} × <Money cents={l.unitPrice} />
                </td>
                <td className="num">
                  <Money cents={l.amount} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={3}>{tr(`總額（${store?.code ?? ''} 現價）`, `Total (${store?.code ?? ''} prices now)`)}</th>
              <td className="num" data-testid="entry-total">
                <Money cents={current.total} />
              </td>
            </tr>
          </tfoot>
        </table>
      ) : null}
      <fieldset disabled={save.busy} className="hq-row">
        <label className="hq-check">
          <input type="radio" name="entry-paid" checked={!paidNow} onChange={() => setPaidNow(false)} data-testid="entry-pay-later" />
          {tr('取貨時付款', 'Pay at pickup')}
        </label>
        <label className="hq-check">
          <input type="radio" name="entry-paid" checked={paidNow} onChange={() => setPaidNow(true)} data-testid="entry-paid-now" />
          {tr('已全數付款', 'Paid in full now')}
        </label>
        {paidNow ? (
          <>
            <SelectField
              label={tr('付款方式', 'Method')}
              value={method}
              onChange={setMethod}
              choices={socialPaidMethods.map((m) => [m, methodName(tr, m)] as const)}
              testId="entry-method"
            />
            <label>
              {tr('參考編號', 'Reference')}
              <input
                value={reference}
                onChange={(e) => setReference(e.target.value)}
                maxLength={64}
                size={12}
                data-testid="entry-reference"
              />
            </label>
          </>
        ) : null}
      </fieldset>
      <label>
        {tr('備註', 'Note')}
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="entry-note" />
      </label>
      <InputError text={inputError} testId="entry-input-error" />
      <ErrorLine error={save.error} />
      <div className="hq-row">
        <button type="submit" className="primary" disabled={save.busy || !current} data-testid="entry-save">
          {tr('建立訂單', 'Enter the order')}
        </button>
        {!current ? <span className="hq-muted">{tr('請先計算總額', 'Price it first')}</span> : null}
      </div>
    </form>
  );
}
