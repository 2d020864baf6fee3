/**
 * Stock (issue 14): on-hand per store and product with what open online orders hold back, a
 * low-stock filter; purchase orders (list with ordered against received, create, cancel an open
 * one); transfers between stores still in transit; shared stocktakes (多機盤點) open or closed this
 * week, with each register's scans. Orders go through the same domain functions as
 * the admin CLI, so the store's registers pull a new or cancelled order at their next sync.
 */
import { useState, type FormEvent } from 'react';
import {
  purchaseOrderStatuses,
  type CountSessionRow,
  type OnHandRow,
  type PurchaseOrderRow,
  type PurchaseOrderStatus,
  type StoreItem,
  type TransferInTransit,
} from '../../hq/contract';
import { parseCents, parseDecimal } from '../../../src/shared/money';
import { ConsoleApiError } from '../api';
import { useConsole, useMay, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { Pager, SearchBox, SelectField, TabRow, storeChoices, useSearch } from '../controls';
import { ErrorLine, OkLine, PageHeader, When, quantityText, useAction, useLoad } from '../parts';

const PAGE = 50;

type Tab = 'on-hand' | 'orders' | 'transfers' | 'counts';

export function StockPage() {
  const tr = useTr();
  const [tab, setTab] = useState<Tab>('on-hand');
  const [store, setStore] = useState('');
  const stores = useLoad<{ stores: StoreItem[] }>('/stores').data?.stores ?? [];
  const tabs: [Tab, string][] = [
    ['on-hand', tr('存貨', 'On hand')],
    ['orders', tr('採購單', 'Purchase orders')],
    ['transfers', tr('調貨途中', 'Transfers in transit')],
    ['counts', tr('多機盤點', 'Shared counts')],
  ];
  return (
    <section className="hq-page">
      <PageHeader title={tr('庫存', 'Stock')}>
        <SelectField
          label={tr('分店', 'Store')}
          hideLabel
          value={store}
          onChange={setStore}
          blank={tr('所有分店', 'All stores')}
          choices={storeChoices(stores, 'zh-HK')}
          testId="stock-store"
        />
      </PageHeader>
      <TabRow label={tr('庫存', 'Stock')} tabs={tabs} current={tab} onPick={setTab} testId="stock-tab" />
      {tab === 'on-hand' ? <OnHand store={store} /> : null}
      {tab === 'orders' ? <PurchaseOrders store={store} stores={stores} /> : null}
      {tab === 'transfers' ? <Transfers store={store} stores={stores} /> : null}
      {tab === 'counts' ? <CountSessions store={store} /> : null}
    </section>
  );
}

function OnHand({ store }: { store: string }) {
  const tr = useTr();
  const may = useMay();
  const { text, setText, query: q, offset, setOffset } = useSearch();
  const [low, setLow] = useState(false);
  const params = new URLSearchParams({ q, offset: String(offset), limit: String(PAGE) });
  if (store) params.set('store', store);
  if (low) params.set('low', '1');
  const { data, error, reload } = useLoad<{ rows: OnHandRow[]; more: boolean }>(`/stock/on-hand?${params.toString()}`);
  const rows = data?.rows ?? [];
  const manage = may('stock.manage');
  return (
    <>
      <div className="hq-row">
        <SearchBox
          label={tr('搜尋貨品', 'Search products')}
          value={text}
          onChange={setText}
          placeholder={tr('貨號、條碼或名稱', 'SKU, barcode or name')}
          className="grow"
          testId="stock-search"
        />
        <label className="hq-check">
          <input
            type="checkbox"
            checked={low}
            onChange={(e) => {
              setLow(e.target.checked);
              setOffset(0);
            }}
            data-testid="stock-low"
          />
          {tr('只顯示低存貨（可用不多於補貨水平）', 'Low stock only (available at or under the reorder level)')}
        </label>
      </div>
      <p className="hq-muted small">
        {tr(
          '可用 = 在庫減網上訂單預留。補貨水平由總部在此設定，各分店收銀機同步後用於低存貨清單（收銀機不能自行更改）。',
          'Available = on hand less what open online orders hold. Reorder levels are set here by head office; the store’s registers pull them for their low-stock list (a register cannot change them).',
        )}
      </p>
      <ErrorLine error={error} />
      <div className="hq-scroll-x" data-scrolls-x>
        <table className="hq-table" data-testid="stock-on-hand">
          <thead>
            <tr>
              <th>{tr('分店', 'Store')}</th>
              <th>{tr('貨號', 'SKU')}</th>
              <th>{tr('名稱', 'Name')}</th>
              <th className="num">{tr('在庫', 'On hand')}</th>
              <th className="num">{tr('預留', 'Reserved')}</th>
              <th className="num">{tr('可用', 'Available')}</th>
              <th className="num">{tr('補貨水平', 'Reorder at')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const isLow = r.reorderMilli !== null && r.availableMilli <= r.reorderMilli;
              return (
                <tr
                  key={`${r.storeId}:${r.sku}`}
                  className={r.active ? undefined : 'inactive'}
                  data-testid={`on-hand-${r.storeCode}-${r.sku}`}
                  data-low={isLow ? 'true' : undefined}
                >
                  <td className="nowrap">{r.storeCode}</td>
                  <td className="nowrap">{r.sku}</td>
                  <td className="wrap">
                    {r.nameZh}
                    <span className="hq-muted"> {r.nameEn}</span>
                  </td>
                  <td className="num" data-testid="on-hand-quantity">
                    {quantityText(r.onHandMilli)}
                  </td>
                  <td className="num" data-testid="on-hand-reserved">
                    {r.reservedMilli === 0 ? '—' : quantityText(r.reservedMilli)}
                  </td>
                  <td className={r.availableMilli <= 0 || isLow ? 'num hq-error' : 'num'} data-testid="on-hand-available">
                    {quantityText(r.availableMilli)}
                  </td>
                  <td className="num nowrap" data-testid="on-hand-reorder">
                    {manage ? (
                      <ReorderLevelInput key={r.reorderMilli ?? 'none'} row={r} onSaved={reload} />
                    ) : r.reorderMilli === null ? (
                      '—'
                    ) : (
                      quantityText(r.reorderMilli)
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {data && rows.length === 0 ? <p className="hq-muted">{tr('沒有符合的貨品', 'No products match')}</p> : null}
      <Pager
        status={
          <span className="hq-muted" data-testid="stock-page">
            {rows.length === 0 ? '' : tr(`第 ${offset + 1}–${offset + rows.length} 行`, `Rows ${offset + 1}–${offset + rows.length}`)}
          </span>
        }
        hasPrevious={offset > 0}
        hasNext={Boolean(data?.more)}
        onPrevious={() => setOffset(Math.max(0, offset - PAGE))}
        onNext={() => setOffset(offset + PAGE)}
        testId="stock"
      />
    </>
  );
}

/**
 * A store's reorder level for one product, edited in its row: type it and press Enter (or 儲存); an
 * empty field clears it. The store's registers pull it at their next sync.
 */
function ReorderLevelInput({ row, onSaved }: { row: OnHandRow; onSaved: () => void }) {
  const tr = useTr();
  const { api } = useConsole();
  const save = useAction();
  const shown = row.reorderMilli === null ? '' : String(row.reorderMilli / 1000);
  // the row remounts this (its key is the stored level) when a save or reload changes the level
  const [value, setValue] = useState(shown);
  const typed = value.trim() === '' ? null : parseDecimal(value.trim(), 3);
  const invalid = value.trim() !== '' && typed === null;
  const changed = !invalid && (typed === null ? row.reorderMilli !== null : typed !== row.reorderMilli);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!changed) return;
    const ok = await save.run(() =>
      api.put('/stock/reorder-levels', { storeId: row.storeId, sku: row.sku, reorderLevel: typed === null ? null : typed / 1000 }),
    );
    if (ok) onSaved();
  };
  return (
    <form className="hq-inline" onSubmit={(e) => void submit(e)}>
      <input
        inputMode="decimal"
        size={5}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="—"
        aria-label={tr(`${row.storeCode} ${row.sku} 補貨水平`, `${row.storeCode} ${row.sku} reorder level`)}
        aria-invalid={invalid || save.error !== null}
        title={save.error instanceof ConsoleApiError ? save.error.message : undefined}
        data-testid="reorder-input"
      />
      {changed ? (
        <button type="submit" disabled={save.busy} data-testid="reorder-save">
          {tr('儲存', 'Save')}
        </button>
      ) : null}
    </form>
  );
}

export function statusName(tr: Tr, status: PurchaseOrderStatus): string {
  return status === 'open' ? tr('待收貨', 'Open') : status === 'received' ? tr('已收貨', 'Received') : tr('已取消', 'Cancelled');
}

function PurchaseOrders({ store, stores }: { store: string; stores: StoreItem[] }) {
  const tr = useTr();
  const may = useMay();
  const { api } = useConsole();
  const [status, setStatus] = useState<PurchaseOrderStatus | ''>('');
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const cancel = useAction();
  const params = new URLSearchParams();
  if (store) params.set('store', store);
  if (status) params.set('status', status);
  const { data, error, reload } = useLoad<{ orders: PurchaseOrderRow[] }>(`/purchase-orders?${params.toString()}`);
  const manage = may('stock.manage');

  const cancelOrder = async (poNo: string) => {
    setConfirm(null);
    const ok = await cancel.run(() => api.post(`/purchase-orders/${encodeURIComponent(poNo)}/cancel`));
    if (ok) {
      setNote(
        tr(`${poNo} 已取消，收銀機下次同步後不能再收貨`, `${poNo} is cancelled: registers can no longer receive it after their next sync`),
      );
      reload();
    }
  };

  return (
    <>
      <div className="hq-row">
        <SelectField
          label={tr('狀態', 'Status')}
          value={status}
          onChange={setStatus}
          blank={tr('全部', 'All')}
          choices={purchaseOrderStatuses.map((s) => [s, statusName(tr, s)] as const)}
          testId="po-status-filter"
        />
        <span className="grow" />
        {manage && !creating ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setCreating(true);
              setNote(null);
            }}
            data-testid="po-new"
          >
            {tr('新增採購單', 'New purchase order')}
          </button>
        ) : null}
      </div>
      {creating ? (
        <PurchaseOrderForm
          stores={stores}
          store={store}
          onDone={(poNo) => {
            setCreating(false);
            if (poNo) {
              setNote(
                tr(
                  `${poNo} 已建立，收銀機下次同步後可收貨`,
                  `${poNo} is created: the store's registers can receive it after their next sync`,
                ),
              );
              reload();
            }
          }}
        />
      ) : null}
      <OkLine text={note} testId="po-note" />
      <ErrorLine error={error} />
      <ErrorLine error={cancel.error} testId="po-cancel-error" />
      <div className="hq-scroll-x" data-scrolls-x>
        <table className="hq-table" data-testid="po-table">
          <thead>
            <tr>
              <th>{tr('採購單號', 'PO no.')}</th>
              <th>{tr('分店', 'Store')}</th>
              <th>{tr('供應商', 'Supplier')}</th>
              <th>{tr('建立時間', 'Created')}</th>
              <th>{tr('狀態', 'Status')}</th>
              <th>{tr('訂購 / 收到（每項）', 'Ordered / received (per line)')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data?.orders ?? []).map((o) => (
              <tr key={o.poId} className={o.status === 'cancelled' ? 'inactive' : undefined} data-testid={`po-${o.poNo}`}>
                <td className="nowrap">{o.poNo}</td>
                <td>{o.store}</td>
                <td className="wrap">{o.supplier || '—'}</td>
                <td className="nowrap">
                  <When ms={o.createdAt} />
                </td>
                <td className="nowrap" data-testid="po-status">
                  {statusName(tr, o.status)}
                  {o.receivedBy ? <span className="hq-muted small"> {o.receivedBy}</span> : null}
                </td>
                <td className="wrap small" data-testid="po-lines">
                  {o.lines.map((l) => (
                    <span
                      key={l.sku}
                      className={l.receivedMilli !== null && l.receivedMilli !== l.orderedMilli ? 'nowrap hq-error' : 'nowrap'}
                    >
                      {l.sku} {quantityText(l.orderedMilli)} / {l.receivedMilli === null ? '—' : quantityText(l.receivedMilli)}
                      {'  '}
                    </span>
                  ))}
                </td>
                <td className="actions">
                  {manage && o.status === 'open' ? (
                    confirm === o.poNo ? (
                      <>
                        <button
                          type="button"
                          className="danger"
                          disabled={cancel.busy}
                          onClick={() => void cancelOrder(o.poNo)}
                          data-testid="po-cancel-confirm"
                        >
                          {tr('確定取消', 'Yes, cancel it')}
                        </button>
                        <button type="button" onClick={() => setConfirm(null)}>
                          {tr('不取消', 'Keep it')}
                        </button>
                      </>
                    ) : (
                      <button type="button" onClick={() => setConfirm(o.poNo)} data-testid={`po-cancel-${o.poNo}`}>
                        {tr('取消採購單', 'Cancel order')}
                      </button>
                    )
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.orders.length === 0 ? <p className="hq-muted">{tr('沒有採購單', 'No purchase orders')}</p> : null}
    </>
  );
}

interface LineInput {
  sku: string;
  quantity: string;
  cost: string;
}

const emptyLine = (): LineInput => ({ sku: '', quantity: '', cost: '' });

/** A server issue (cloud/domain/purchase-orders.ts names the field) in the screen's language. */
function issueText(tr: Tr, path: string, message: string): string {
  if (path === 'storeId') return tr('不是你的分店', 'Not one of your stores');
  if (path === 'poNo' && message === 'exists already') return tr('此單號已用過', 'This PO number is already used');
  if (message.startsWith('no product')) return tr('沒有此貨號', 'No such product');
  if (message.endsWith('is on another line')) return tr('此貨號已在另一行', 'This SKU is on another line');
  return `${tr('輸入有誤', 'Not valid')} (${message})`;
}

function PurchaseOrderForm({ stores, store, onDone }: { stores: StoreItem[]; store: string; onDone(poNo: string | null): void }) {
  const tr = useTr();
  const { api } = useConsole();
  const [storeId, setStoreId] = useState(store || (stores.length === 1 ? String(stores[0]!.id) : ''));
  const [poNo, setPoNo] = useState('');
  const [supplier, setSupplier] = useState('');
  const [lines, setLines] = useState<LineInput[]>([emptyLine()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useAction();

  const setLine = (index: number, change: Partial<LineInput>) =>
    setLines((all) => all.map((l, i) => (i === index ? { ...l, ...change } : l)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!storeId) found.storeId = tr('請揀選分店', 'Pick a store');
    if (!/^[A-Za-z0-9-]{1,32}$/.test(poNo.trim()))
      found.poNo = tr('單號為 1 至 32 個英文字母、數字或 -', 'The PO number is 1 to 32 letters, digits or dashes');
    if (supplier.trim().length > 100) found.supplier = tr('最多 100 字', 'At most 100 characters');
    // blank rows are dropped, so the rows shown are the lines sent (the server's lines.N)
    const filled = lines.filter((l) => l.sku.trim() || l.quantity.trim() || l.cost.trim());
    setLines(filled.length > 0 ? filled : [emptyLine()]);
    if (filled.length === 0) found['lines.0.sku'] = tr('最少要有一項貨品', 'At least one product');
    const skus = filled.map((l) => l.sku.trim());
    const body = filled.map((l, i) => {
      const milli = parseDecimal(l.quantity, 3);
      const cost = l.cost.trim() === '' ? null : parseCents(l.cost);
      if (!skus[i]) found[`lines.${i}.sku`] = tr('請輸入貨號', 'Type the SKU');
      else if (skus.indexOf(skus[i]!) < i) found[`lines.${i}.sku`] = tr('此貨號已在另一行', 'This SKU is on another line');
      if (milli === null || milli === 0 || milli > 1_000_000_000)
        found[`lines.${i}.quantity`] = tr('數量大於 0，最多 3 個小數位', 'A quantity above 0, at most 3 decimals');
      if (l.cost.trim() !== '' && cost === null)
        found[`lines.${i}.costCents`] = tr('成本為港幣金額，例如 4.50', 'The cost is an amount in HK$, e.g. 4.50');
      return { sku: skus[i]!, quantity: (milli ?? 0) / 1000, costCents: cost };
    });
    if (Object.keys(found).length > 0) return setErrors(found);
    setErrors({});
    let created: string | null = null;
    await save.run(async () => {
      try {
        const answer = await api.post<{ order: { poNo: string } }>('/purchase-orders', {
          storeId: Number(storeId),
          poNo: poNo.trim(),
          supplier: supplier.trim(),
          lines: body,
        });
        created = answer.order.poNo;
      } catch (error) {
        const issues =
          error instanceof ConsoleApiError ? (error.details.issues as { path: string; message: string }[] | undefined) : undefined;
        if (issues && issues.length > 0) {
          setErrors(Object.fromEntries(issues.map((i) => [i.path, issueText(tr, i.path, i.message)])));
          return;
        }
        throw error;
      }
    });
    if (created !== null) onDone(created);
  };

  const fieldError = (path: string) =>
    errors[path] ? (
      <span className="hq-error small hq-field-error" role="alert" data-testid={`po-error-${path}`}>
        {errors[path]}
      </span>
    ) : null;

  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="po-form" noValidate>
      <h2>{tr('新增採購單', 'New purchase order')}</h2>
      <fieldset disabled={save.busy}>
        <div className="hq-row hq-fields">
          <SelectField
            label={tr('分店', 'Store')}
            value={storeId}
            onChange={setStoreId}
            blank="—"
            choices={storeChoices(stores, 'zh-HK')}
            invalid={Boolean(errors.storeId)}
            testId="po-store"
          >
            {fieldError('storeId')}
          </SelectField>
          <label>
            {tr('採購單號', 'PO no.')}
            <input
              value={poNo}
              onChange={(e) => setPoNo(e.target.value)}
              maxLength={32}
              size={14}
              aria-invalid={Boolean(errors.poNo)}
              data-testid="po-no"
            />
            {fieldError('poNo')}
          </label>
          <label className="grow">
            {tr('供應商', 'Supplier')}
            <input
              value={supplier}
              onChange={(e) => setSupplier(e.target.value)}
              maxLength={120}
              aria-invalid={Boolean(errors.supplier)}
              data-testid="po-supplier"
            />
            {fieldError('supplier')}
          </label>
        </div>
        <table className="hq-table hq-fields" data-testid="po-form-lines">
          <thead>
            <tr>
              <th>{tr('貨號', 'SKU')}</th>
              <th>{tr('數量', 'Quantity')}</th>
              <th>{tr('成本 (HK$，可留空)', 'Cost (HK$, optional)')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i} data-testid={`po-line-${i}`}>
                <td>
                  <input
                    value={l.sku}
                    onChange={(e) => setLine(i, { sku: e.target.value })}
                    maxLength={64}
                    size={14}
                    aria-label={tr('貨號', 'SKU')}
                    aria-invalid={Boolean(errors[`lines.${i}.sku`])}
                    data-testid={`po-line-sku-${i}`}
                  />
                  {fieldError(`lines.${i}.sku`)}
                </td>
                <td>
                  <input
                    inputMode="decimal"
                    value={l.quantity}
                    onChange={(e) => setLine(i, { quantity: e.target.value })}
                    size={8}
                    aria-label={tr('數量', 'Quantity')}
                    aria-invalid={Boolean(errors[`lines.${i}.quantity`])}
                    data-testid={`po-line-quantity-${i}`}
                  />
                  {fieldError(`lines.${i}.quantity`)}
                </td>
                <td>
                  <input
                    inputMode="decimal"
                    value={l.cost}
                    onChange={(e) => setLine(i, { cost: e.target.value })}
                    size={8}
                    aria-label={tr('成本', 'Cost')}
                    aria-invalid={Boolean(errors[`lines.${i}.costCents`])}
                    data-testid={`po-line-cost-${i}`}
                  />
                  {fieldError(`lines.${i}.costCents`)}
                </td>
                <td className="actions">
                  {lines.length > 1 ? (
                    <button
                      type="button"
                      onClick={() => setLines((all) => all.filter((_, j) => j !== i))}
                      data-testid={`po-line-remove-${i}`}
                    >
                      {tr('移除', 'Remove')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setLines((all) => [...all, emptyLine()])} data-testid="po-line-add">
          {tr('加一項', 'Add a line')}
        </button>
      </fieldset>
      <ErrorLine error={save.error} testId="po-save-error" />
      <div className="hq-row">
        <button type="submit" className="primary" disabled={save.busy} data-testid="po-save">
          {tr('建立採購單', 'Create the order')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {tr('返回', 'Back')}
        </button>
      </div>
    </form>
  );
}

function Transfers({ store, stores }: { store: string; stores: StoreItem[] }) {
  const tr = useTr();
  const { data, error } = useLoad<{ transfers: TransferInTransit[] }>('/stock/transfers');
  const code = stores.find((s) => String(s.id) === store)?.code;
  const shown = (data?.transfers ?? []).filter((t) => code === undefined || t.fromStoreCode === code || t.toStoreCode === code);
  return (
    <>
      <p className="hq-muted small">
        {tr(
          '分店之間已發出、對方收銀機仍未收貨的調貨（只供檢視；在收銀機的後台 › 庫存收貨）。',
          'Transfers one store sent that the other has not received yet (view only: they are received at the register, Back office › Stock).',
        )}
      </p>
      <ErrorLine error={error} />
      <table className="hq-table" data-testid="transfer-table">
        <thead>
          <tr>
            <th>{tr('單號', 'Doc no.')}</th>
            <th>{tr('由', 'From')}</th>
            <th>{tr('到', 'To')}</th>
            <th>{tr('發出時間', 'Sent')}</th>
            <th>{tr('貨品', 'Products')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((t) => (
            <tr key={t.docId} data-testid={`transfer-${t.docNo}`}>
              <td className="nowrap">{t.docNo}</td>
              <td>{t.fromStoreCode}</td>
              <td>{t.toStoreCode}</td>
              <td className="nowrap">
                <When ms={t.sentAt} />
              </td>
              <td className="wrap small">
                {t.lines.map((l) => (
                  <span key={l.sku} className="nowrap">
                    {l.sku} × {quantityText(l.quantityMilli)}
                    {'  '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && shown.length === 0 ? <p className="hq-muted">{tr('沒有調貨途中', 'Nothing in transit')}</p> : null}
    </>
  );
}

function countStatus(tr: Tr, s: CountSessionRow): string {
  return s.status === 'open' ? tr('進行中', 'Open') : s.status === 'posted' ? tr('已過帳', 'Posted') : tr('已取消', 'Cancelled');
}

/** A register that left a shared count, and what became of its scans. */
function leftText(tr: Tr, scans: CountSessionRow['participants'][number]['leftScans']): string {
  return scans === 'withdrawn'
    ? tr('已退出 · 掃描已撤回，不計入', 'Left · scans withdrawn, not counted')
    : scans === 'too-late'
      ? tr('已退出 · 撤回太遲（已過帳），掃描已計入', 'Left · withdrawal too late (posted), scans counted')
      : tr('已退出 · 掃描仍計入', 'Left · scans still count');
}

/**
 * Shared stocktakes (多機盤點) of the stores in scope, open or closed in the last week: who opened
 * it, each register counting into it (its scans, the products and units they name, its last scan,
 * scans refused because they arrived after the close, whether it left and its scans still count),
 * and how it ended. View only: counts are opened, joined, left and posted at the registers
 * (後台 › 存貨 › 盤點).
 */
function CountSessions({ store }: { store: string }) {
  const tr = useTr();
  const params = new URLSearchParams();
  if (store) params.set('store', store);
  const { data, error } = useLoad<{ sessions: CountSessionRow[] }>(`/stock/count-sessions?${params.toString()}`);
  const sessions = data?.sessions ?? [];
  return (
    <>
      <p className="hq-muted small">
        {tr(
          '各分店收銀機共同進行的盤點（進行中，及最近 7 日內已過帳或取消的）。只供檢視：在收銀機的後台 › 存貨 › 盤點開單、加入及過帳。',
          'Counts the registers of a store take together (open, and those posted or cancelled in the last 7 days). View only: they are opened, joined and posted at the registers (Back office › Stock › Count).',
        )}
      </p>
      <ErrorLine error={error} />
      <table className="hq-table" data-testid="count-session-table">
        <thead>
          <tr>
            <th>{tr('單號 · 狀態', 'Doc no. · status')}</th>
            <th>{tr('分店 · 範圍', 'Store · scope')}</th>
            <th>{tr('開單', 'Opened')}</th>
            <th>{tr('收銀機：掃描 / 貨品 / 件數', 'Registers: scans / products / units')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.sessionId} className={s.status === 'open' ? undefined : 'inactive'} data-testid={`count-session-${s.docNo}`}>
              <td className="wrap small" data-testid="count-session-status">
                <span className="nowrap">{s.docNo}</span>
                <br />
                <strong>{countStatus(tr, s)}</strong>
                {s.closedAt !== null ? (
                  <>
                    <br />
                    {s.closedBy ?? ''} <When ms={s.closedAt} />
                  </>
                ) : null}
              </td>
              <td className="wrap">
                {s.storeCode} ·{' '}
                {s.scope === 'full' ? tr('全店', 'Whole store') : s.scope === 'scanned' ? tr('只計掃描', 'Scanned only') : s.scope}
                {s.blind ? <span className="hq-muted small"> {tr('盲盤', 'blind')}</span> : null}
              </td>
              <td className="wrap small" data-testid="count-session-opened">
                {tr(`收銀機 ${s.openedByRegister}`, `Register ${s.openedByRegister}`)} · {s.openedBy}
                <br />
                <When ms={s.openedAt} />
              </td>
              <td className="wrap small" data-testid="count-session-registers">
                {s.participants.map((p) => (
                  <span key={p.registerCode} data-testid={`count-session-register-${p.registerCode}`}>
                    <span className="nowrap">
                      {p.registerCode}: {p.scans} / {p.lines} / {quantityText(p.unitsMilli)}
                    </span>{' '}
                    <span className="nowrap hq-muted">
                      <When ms={p.lastScanAt} />
                    </span>
                    {p.refused > 0 ? <span className="hq-error"> {tr(`${p.refused} 次未計入`, `${p.refused} not counted`)}</span> : null}
                    {p.leftAt !== null ? (
                      <span className="nowrap" data-testid={`count-session-left-${p.registerCode}`}>
                        {' '}
                        <strong>{leftText(tr, p.leftScans)}</strong> {p.leftBy ?? ''} <When ms={p.leftAt} />
                      </span>
                    ) : null}
                    <br />
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && sessions.length === 0 ? <p className="hq-muted">{tr('沒有多機盤點', 'No shared counts')}</p> : null}
    </>
  );
}
