/**
 * 存貨: on-hand per product (with the low-stock list) and the stock documents: 收貨 (receiving),
 * 盤點 (stocktake), 調貨 (transfer to another store) and 調整 (reason-coded adjustments).
 *
 * Scanner-driven and keyboard-first: in an open document the scan field keeps the focus; type a
 * quantity (F2 goes to it) and then scan, as counters do (`12*code` in the scan field works too);
 * a negative quantity takes scans back; F12 posts (Enter confirms); Esc leaves the document.
 */
import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type {
  CountParticipant,
  OpenStockDocument,
  StockDocumentKind,
  StockDocumentView,
  StockLineView,
} from '../../../shared/stock-schemas';
import { formatHKD, parseDecimal } from '../../../shared/money';
import { useErrorText } from '../../hooks/use-error-text';
import { useKeyHandler } from '../../hooks/use-key-handler';
import { resolveShortcut, shortcutLabel } from '../../shortcuts';
import { useStoreTime } from '../../hooks/use-store-time';
import { useSession } from '../../stores/stores-context';
import { AdminInput, AdminSelect, ErrorLine, SectionHeader, TableHead } from '../section-parts';
import { staffCan } from '../staff-can';
import { createStockStore, type StockState, type StockView } from '../stores/stock-store';
import { useSectionStore } from '../use-section-store';

const VIEWS: readonly StockView[] = ['on-hand', 'receive', 'count', 'transfer-out', 'adjust'];

/** Thousandths as people write quantities: 12, 2.5, 0.355. */
export function formatQuantity(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  const whole = Math.floor(abs / 1000);
  const rest = abs % 1000;
  return `${sign}${whole.toLocaleString('en')}${rest === 0 ? '' : `.${String(rest).padStart(3, '0').replace(/0+$/, '')}`}`;
}

/** A typed quantity: up to 3 decimals, a leading minus takes scans back; null when it is not one. */
export function parseQuantity(text: string): number | null {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const thousandths = parseDecimal(negative ? trimmed.slice(1) : trimmed, 3);
  if (thousandths === null || thousandths > 10_000_000) return null;
  return ((negative ? -1 : 1) * thousandths) / 1000;
}

/** `12*4891234000012`: a quantity typed before the scan in the same field. */
export function splitQuantity(text: string): { quantity: number | undefined; code: string } | null {
  const match = /^\s*(-?\d+(?:\.\d{1,3})?)\s*\*\s*(\S+)\s*$/.exec(text);
  if (match) return { quantity: Number(match[1]), code: match[2]! };
  const code = text.trim();
  return code === '' ? null : { quantity: undefined, code };
}

export function StockSection() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const stock = useSectionStore(createStockStore);
  const staff = useSession((s) => s.staff);
  const permitted = (view: StockView) =>
    view === 'on-hand' ||
    staffCan(
      staff,
      view === 'receive' ? 'stock.receive' : view === 'count' ? 'stock.count' : view === 'adjust' ? 'stock.adjust' : 'stock.transfer',
    );

  return (
    <div className="stock-section" data-testid="stock-section">
      <SectionHeader title={t('stock.title')} hint={t('stock.hint')} />
      <div className="stock-tabs" role="tablist" aria-label={t('stock.title')}>
        {VIEWS.filter(permitted).map((view) => (
          <button
            key={view}
            type="button"
            role="tab"
            aria-selected={stock.view === view}
            className={stock.view === view ? 'admin-button is-primary' : 'admin-button'}
            data-testid={`stock-tab-${view}`}
            onClick={() => void stock.setView(view)}
          >
            {t(`stock.views.${view}`)}
          </button>
        ))}
      </div>
      <ErrorLine testId="stock-error">{stock.error && errorText(stock.error)}</ErrorLine>
      {stock.view === 'on-hand' ? (
        <OnHandPanel stock={stock} />
      ) : stock.current ? (
        <DocumentPanel stock={stock} doc={stock.current} />
      ) : (
        <DocumentList stock={stock} kind={stock.view} />
      )}
    </div>
  );
}

function OnHandPanel({ stock }: { stock: StockState }) {
  const { t } = useTranslation();
  const rows = stock.onHand?.rows ?? [];
  return (
    <>
      <div className="admin-filters">
        <AdminInput
          label={t('stock.search')}
          value={stock.query}
          autoFocus
          maxLength={64}
          data-testid="stock-search"
          onChange={(e) => void stock.search(e.target.value, stock.lowOnly)}
        />
        <label className="admin-toggle">
          <input
            type="checkbox"
            checked={stock.lowOnly}
            data-testid="stock-low-only"
            onChange={(e) => void stock.search(stock.query, e.target.checked)}
          />
          {t('stock.lowOnly')}
        </label>
      </div>
      <table className="admin-table" data-testid="stock-on-hand">
        <TableHead
          columns={[
            t('stock.sku'),
            t('stock.name'),
            { text: t('stock.onHand'), className: 'is-number' },
            { text: t('stock.reorder'), className: 'is-number' },
            '',
          ]}
        />
        <tbody>
          {rows.map((r) => {
            const negative = r.onHandMilli < 0;
            const low = !negative && r.reorderMilli !== null && r.onHandMilli <= r.reorderMilli;
            return (
              <tr key={r.productId} data-testid={`stock-row-${r.sku}`}>
                <td className="admin-key">{r.sku}</td>
                <td>
                  <span className="stock-name-zh" lang="zh-HK">
                    {r.nameZh}
                  </span>
                  <span className="stock-name-en">{r.nameEn}</span>
                </td>
                <td className={negative ? 'is-number is-flagged' : 'is-number'} data-testid={`stock-on-hand-${r.sku}`}>
                  {formatQuantity(r.onHandMilli)}
                </td>
                <td className="is-number">{r.reorderMilli === null ? '' : formatQuantity(r.reorderMilli)}</td>
                <td>{negative ? t('stock.negative') : low ? t('stock.low') : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {stock.onHand?.more && <p className="section-hint">{t('stock.more')}</p>}
    </>
  );
}

function DocumentList({ stock, kind }: { stock: StockState; kind: Exclude<StockDocumentKind, 'transfer-in'> }) {
  const { t } = useTranslation();
  const time = useStoreTime();
  return (
    <>
      {kind === 'transfer-out' && stock.inbound.length > 0 && (
        <table className="admin-table stock-inbound" data-testid="stock-inbound">
          <caption className="stock-caption">{t('stock.inbound')}</caption>
          <TableHead
            columns={[
              t('stock.docNo'),
              t('stock.fromStore'),
              t('stock.sentAt'),
              { text: t('stock.lines'), className: 'is-number' },
              { text: t('stock.sent'), className: 'is-number' },
              '',
            ]}
          />
          <tbody>
            {stock.inbound.map((transfer) => (
              <tr key={transfer.docId} data-testid={`stock-inbound-${transfer.docNo}`}>
                <td className="admin-key">{transfer.docNo}</td>
                <td>{transfer.fromStoreCode}</td>
                <td>{time.dateTime(transfer.sentAt)}</td>
                <td className="is-number">{transfer.lineCount}</td>
                <td className="is-number">{formatQuantity(transfer.totalMilli)}</td>
                <td>
                  <button
                    type="button"
                    className="admin-button is-primary"
                    disabled={!transfer.complete}
                    data-testid={`stock-receive-${transfer.docNo}`}
                    onClick={() => void stock.openNew({ kind: 'transfer-in', transferDocId: transfer.docId })}
                  >
                    {t('stock.receiveTransfer')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kind === 'receive' && stock.purchaseOrders.length > 0 && (
        <table className="admin-table stock-inbound" data-testid="stock-purchase-orders">
          <caption className="stock-caption">{t('stock.purchaseOrders')}</caption>
          <TableHead
            columns={[
              t('stock.poNo'),
              t('stock.supplier'),
              t('stock.orderedAt'),
              { text: t('stock.lines'), className: 'is-number' },
              { text: t('stock.ordered'), className: 'is-number' },
              '',
            ]}
          />
          <tbody>
            {stock.purchaseOrders.map((order) => (
              <tr key={order.poId} data-testid={`stock-po-${order.poNo}`}>
                <td className="admin-key">{order.poNo}</td>
                <td>{order.supplier}</td>
                <td>{time.dateTime(order.createdAt)}</td>
                <td className="is-number">{order.lineCount}</td>
                <td className="is-number">{formatQuantity(order.totalMilli)}</td>
                <td>
                  {order.status === 'cancelled' ? (
                    <span className="stock-badge is-flagged" data-testid={`stock-po-cancelled-${order.poNo}`}>
                      {t('stock.poCancelled')}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="admin-button is-primary"
                      data-testid={`stock-receive-po-${order.poNo}`}
                      onClick={() => void stock.openNew({ kind: 'receive', supplierRef: '', purchaseOrderId: order.poId })}
                    >
                      {t('stock.receiveOrder')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kind === 'count' && stock.countSessions.length > 0 && (
        <table className="admin-table stock-inbound" data-testid="stock-count-sessions">
          <caption className="stock-caption">{t('stock.shared.offered')}</caption>
          <TableHead
            columns={[t('stock.docNo'), t('stock.shared.openedAt'), t('stock.shared.openedBy'), t('stock.shared.participants'), '']}
          />
          <tbody>
            {stock.countSessions.map((session) => (
              <tr key={session.sessionId} data-testid={`stock-count-session-${session.docNo}`}>
                <td className="admin-key">{session.docNo}</td>
                <td>{time.dateTime(session.openedAt)}</td>
                <td>{t('stock.shared.register', { code: session.openedByRegister, name: session.openedBy })}</td>
                <td className="is-number">{session.participants.length}</td>
                <td>
                  <button
                    type="button"
                    className="admin-button is-primary"
                    data-testid={`stock-join-${session.docNo}`}
                    onClick={() => void stock.joinCount(session.sessionId)}
                  >
                    {t('stock.shared.join')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewDocumentForm stock={stock} kind={kind} />
      <table className="admin-table stock-documents" data-testid="stock-documents">
        <TableHead
          columns={[
            t('stock.docNo'),
            t('stock.status'),
            t('stock.openedAt'),
            t('stock.openedBy'),
            { text: t('stock.lines'), className: 'is-number' },
            '',
          ]}
        />
        <tbody>
          {stock.documents.map((d) => (
            <tr key={d.id} data-testid={`stock-document-${d.docNo}`}>
              <td className="admin-key">{d.docNo}</td>
              <td>{t(`stock.statuses.${d.status}`)}</td>
              <td>{time.dateTime(d.openedAt)}</td>
              <td>{d.openedBy}</td>
              <td className="is-number">{d.lineCount}</td>
              <td>
                <button
                  type="button"
                  className="admin-button"
                  data-testid={`stock-open-${d.docNo}`}
                  onClick={() => void stock.openExisting(d.id)}
                >
                  {d.status === 'open' ? t('stock.continue') : t('stock.view')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NewDocumentForm({ stock, kind }: { stock: StockState; kind: Exclude<StockDocumentKind, 'transfer-in'> }) {
  const { t } = useTranslation();
  const [supplierRef, setSupplierRef] = useState('');
  const [reasonCode, setReasonCode] = useState('damaged');
  const [note, setNote] = useState('');
  const [scope, setScope] = useState<'full' | 'category' | 'scanned'>('category');
  const [categoryCode, setCategoryCode] = useState('');
  const [blind, setBlind] = useState(true);
  const [shared, setShared] = useState(false);
  const [toStoreCode, setToStoreCode] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let request: OpenStockDocument;
    switch (kind) {
      case 'receive':
        request = { kind, supplierRef };
        break;
      case 'adjust':
        request = { kind, reasonCode, note };
        break;
      case 'count':
        request = {
          kind,
          blind,
          shared,
          scope: scope === 'category' ? { kind: 'category', categoryCode: categoryCode.trim().toUpperCase() } : { kind: scope },
        };
        break;
      case 'transfer-out':
        request = { kind, toStoreCode: toStoreCode.trim() };
        break;
    }
    void stock.openNew(request);
  };

  return (
    <form className="admin-card admin-form" onSubmit={submit} data-testid="stock-new">
      <h3>{t(`stock.new.${kind}`)}</h3>
      {kind === 'receive' && (
        <AdminInput
          label={t('stock.supplierRef')}
          value={supplierRef}
          maxLength={40}
          autoFocus
          data-testid="stock-supplier-ref"
          onChange={(e) => setSupplierRef(e.target.value)}
        />
      )}
      {kind === 'adjust' && (
        <>
          <AdminSelect
            label={t('stock.reason')}
            value={reasonCode}
            autoFocus
            data-testid="stock-reason"
            onChange={(e) => setReasonCode(e.target.value)}
          >
            {stock.reasons
              .filter((r) => r.active)
              .map((r) => (
                <option key={r.code} value={r.code}>
                  {r.nameZh} {r.nameEn}
                </option>
              ))}
          </AdminSelect>
          <AdminInput
            label={t('stock.note')}
            value={note}
            maxLength={200}
            data-testid="stock-note"
            onChange={(e) => setNote(e.target.value)}
          />
        </>
      )}
      {kind === 'count' && (
        <>
          <AdminSelect
            label={t('stock.scope')}
            value={scope}
            autoFocus
            data-testid="stock-scope"
            onChange={(e) => setScope(e.target.value as typeof scope)}
          >
            <option value="category">{t('stock.scopes.category')}</option>
            <option value="full">{t('stock.scopes.full')}</option>
            <option value="scanned">{t('stock.scopes.scanned')}</option>
          </AdminSelect>
          {scope === 'category' && (
            <AdminInput
              label={t('stock.category')}
              value={categoryCode}
              required
              maxLength={32}
              placeholder="DRINK"
              data-testid="stock-category"
              onChange={(e) => setCategoryCode(e.target.value)}
            />
          )}
          <label className="admin-toggle">
            <input type="checkbox" checked={blind} data-testid="stock-blind" onChange={(e) => setBlind(e.target.checked)} />
            {t('stock.blind')}
          </label>
          <label className="admin-toggle">
            <input type="checkbox" checked={shared} data-testid="stock-shared" onChange={(e) => setShared(e.target.checked)} />
            {t('stock.shared.toggle')}
          </label>
        </>
      )}
      {kind === 'transfer-out' && (
        <AdminInput
          label={t('stock.toStore')}
          value={toStoreCode}
          required
          maxLength={16}
          autoFocus
          placeholder="TST"
          data-testid="stock-to-store"
          onChange={(e) => setToStoreCode(e.target.value)}
        />
      )}
      <div className="admin-form-actions">
        <button type="submit" className="admin-button is-primary" data-testid="stock-start">
          {t('stock.start')}
        </button>
      </div>
    </form>
  );
}

function DocumentPanel({ stock, doc }: { stock: StockState; doc: StockDocumentView }) {
  const { t } = useTranslation();
  const staff = useSession((s) => s.staff);
  const scanInput = useRef<HTMLInputElement>(null);
  const quantityInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [confirming, setConfirming] = useState(false);
  const open = doc.status === 'open';
  const isCount = doc.kind === 'count';
  const mayPostCount = staffCan(staff, 'stock.count-post');
  const showExpected = !isCount || !doc.blind || stock.variance !== null || doc.status === 'posted';
  // received against what was sent or ordered: the difference per line, short and over counted in the head
  const againstList = doc.kind === 'transfer-in' || Boolean(doc.purchaseOrderNo);
  const shortLines = againstList ? doc.lines.filter((l) => l.quantityMilli < (l.expectedMilli ?? 0)).length : 0;
  const overLines = againstList ? doc.lines.filter((l) => l.quantityMilli > (l.expectedMilli ?? 0)).length : 0;

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  useKeyHandler((press) => {
    switch (resolveShortcut('back-office', press)) {
      case 'stock-quantity':
        if (!open) return false;
        quantityInput.current?.focus();
        quantityInput.current?.select();
        return true;
      case 'stock-post':
        if (!open || (isCount && !mayPostCount)) return false;
        setConfirming(true);
        return true;
      case 'stock-back':
        if (confirming) setConfirming(false);
        else void stock.closeDocument();
        return true;
      default:
        return false;
    }
  });

  // Enter in the scan field sends the scan (the form has two fields, so the browser would not submit it).
  const submitScan = (event: { preventDefault(): void }) => {
    event.preventDefault();
    const typed = splitQuantity(code);
    if (!typed) return;
    const fromField = quantity.trim() === '' ? undefined : parseQuantity(quantity);
    if (fromField === null) {
      quantityInput.current?.select();
      quantityInput.current?.focus();
      return;
    }
    const q = typed.quantity ?? fromField;
    setCode('');
    setQuantity('');
    void stock.scan(typed.code, q);
    scanInput.current?.focus();
  };

  const post = async () => {
    setConfirming(false);
    await stock.post();
  };

  const [cancelling, setCancelling] = useState<'whole' | 'leave' | null>(null);
  const [cancelReason, setCancelReason] = useState('');
  // leaving: the scans stay counted unless the leaver withdraws them (what a manager expects by default)
  const [withdraw, setWithdraw] = useState(false);
  const cancelCount = async () => {
    const whole = cancelling === 'whole';
    setCancelling(null);
    if (await stock.cancelCount(whole, cancelReason, !whole && withdraw)) setCancelReason('');
    setWithdraw(false);
  };

  return (
    <div className="stock-document" data-testid="stock-document">
      <div className="stock-document-head">
        <strong data-testid="stock-doc-no">{doc.docNo}</strong>
        <span>{t(`stock.views.${doc.kind === 'transfer-in' ? 'transfer-out' : doc.kind}`)}</span>
        <span data-testid="stock-doc-status">{t(`stock.statuses.${doc.status}`)}</span>
        {isCount && doc.blind && <span className="stock-badge">{t('stock.blind')}</span>}
        {doc.shared && <SharedBadges shared={doc.shared} />}
        {doc.toStoreCode && <span>→ {doc.toStoreCode}</span>}
        {doc.purchaseOrderNo && <span data-testid="stock-doc-po">{t('stock.purchaseOrder', { poNo: doc.purchaseOrderNo })}</span>}
        {open && doc.purchaseOrderStatus === 'cancelled' && (
          <span className="stock-badge is-flagged" data-testid="stock-doc-po-cancelled">
            {t('stock.docPoCancelled')}
          </span>
        )}
        {againstList && (
          <span className={shortLines + overLines > 0 ? 'stock-badge is-flagged' : 'stock-badge'} data-testid="stock-against-summary">
            {t('stock.againstSummary', { short: shortLines, over: overLines })}
          </span>
        )}
        <span className="stock-totals" data-testid="stock-totals">
          {t('stock.totals', { lines: doc.lineCount, quantity: formatQuantity(doc.totalMilli) })}
        </span>
      </div>

      {open && (
        <form className="stock-scan-row" onSubmit={submitScan}>
          <label>
            {t('stock.quantityKey')}
            <input
              ref={quantityInput}
              className="stock-quantity"
              inputMode="decimal"
              value={quantity}
              maxLength={10}
              data-testid="stock-quantity"
              onChange={(e) => setQuantity(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  scanInput.current?.focus();
                }
              }}
            />
          </label>
          <label className="stock-scan-label">
            {t('stock.scan')}
            <input
              ref={scanInput}
              className="stock-scan"
              value={code}
              autoFocus
              maxLength={80}
              autoComplete="off"
              data-testid="stock-scan"
              onChange={(e) => setCode(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') submitScan(e);
              }}
            />
          </label>
        </form>
      )}
      {stock.unknownCode && (
        <p className="section-hint" data-testid="stock-unknown">
          {t('stock.unknown', { code: stock.unknownCode })}
        </p>
      )}

      <div className="stock-actions">
        {open && isCount && mayPostCount && (
          <button type="button" className="admin-button" data-testid="stock-variance-button" onClick={() => void stock.showVariance()}>
            {t('stock.variance')}
          </button>
        )}
        {open && (!isCount || mayPostCount) && !confirming && (
          <button type="button" className="admin-button is-primary" data-testid="stock-post" onClick={() => setConfirming(true)}>
            {shortcutLabel('stock-post')} {t('stock.post')}
          </button>
        )}
        {confirming && (
          <>
            <span className="stock-confirm">
              {stock.unsentWarning ? t('stock.shared.postAnyway') : t('stock.confirmPost', { docNo: doc.docNo })}
            </span>
            <button
              ref={confirmButton}
              type="button"
              className="admin-button is-primary"
              disabled={stock.busy}
              data-testid="stock-post-confirm"
              onClick={() => void post()}
            >
              {t('stock.postNow')}
            </button>
            <button type="button" className="admin-button" onClick={() => setConfirming(false)}>
              {t('dialog.cancel')}
            </button>
          </>
        )}
        {open && !confirming && !doc.shared && (
          <button type="button" className="admin-button" data-testid="stock-cancel-document" onClick={() => void stock.cancelDocument()}>
            {t('stock.cancelDocument')}
          </button>
        )}
        {open && !confirming && doc.shared && cancelling === null && (
          <>
            {(doc.shared.role === 'opener' || mayPostCount) && (
              <button type="button" className="admin-button" data-testid="stock-cancel-whole" onClick={() => setCancelling('whole')}>
                {t('stock.shared.cancelWhole')}
              </button>
            )}
            {doc.shared.role === 'joined' && (
              <button type="button" className="admin-button" data-testid="stock-leave" onClick={() => setCancelling('leave')}>
                {t('stock.shared.leave')}
              </button>
            )}
          </>
        )}
        <button type="button" className="admin-button" data-testid="stock-close" onClick={() => void stock.closeDocument()}>
          {shortcutLabel('stock-back')} {t('stock.back')}
        </button>
      </div>

      {open && doc.shared && cancelling !== null && (
        <form
          className="stock-cancel-confirm"
          data-testid="stock-cancel-confirm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void cancelCount();
          }}
        >
          <span className="stock-confirm">
            {cancelling === 'whole'
              ? t('stock.shared.confirmWhole', { docNo: doc.docNo })
              : withdraw
                ? t('stock.shared.confirmLeaveWithdraw', { docNo: doc.docNo })
                : t('stock.shared.confirmLeave', { docNo: doc.docNo })}
          </span>
          {cancelling === 'leave' && (
            <label className="stock-withdraw">
              <input
                type="checkbox"
                checked={withdraw}
                data-testid="stock-leave-withdraw"
                onChange={(e) => setWithdraw(e.target.checked)}
              />
              {t('stock.shared.withdraw')}
            </label>
          )}
          {cancelling === 'whole' && (
            <label>
              {t('stock.shared.cancelReason')}
              <input
                className="stock-cancel-reason"
                value={cancelReason}
                maxLength={200}
                autoFocus
                data-testid="stock-cancel-reason"
                onChange={(e) => setCancelReason(e.target.value)}
              />
            </label>
          )}
          <button
            type="submit"
            className="admin-button is-danger"
            disabled={stock.busy}
            autoFocus={cancelling === 'leave'}
            data-testid="stock-cancel-confirm"
          >
            {cancelling === 'whole' ? t('stock.shared.cancelWholeNow') : t('stock.shared.leaveNow')}
          </button>
          <button
            type="button"
            className="admin-button"
            data-testid="stock-cancel-keep"
            onClick={() => {
              setCancelling(null);
              setWithdraw(false);
            }}
          >
            {t('stock.shared.keepCounting')}
          </button>
        </form>
      )}

      {stock.variance && <VariancePanel stock={stock} />}

      <table className="admin-table stock-lines" data-testid="stock-lines">
        <TableHead
          columns={[
            t('stock.sku'),
            t('stock.name'),
            { text: t(`stock.quantityOf.${doc.kind}`), className: 'is-number' },
            ...(showExpected
              ? [
                  {
                    text: againstList
                      ? t(`stock.expectedOf.${doc.kind === 'transfer-in' ? 'transfer-in' : 'receive'}`)
                      : t('stock.expected'),
                    className: 'is-number',
                  },
                ]
              : []),
            ...(againstList ? [{ text: t('stock.difference'), className: 'is-number' }] : []),
            { text: t('stock.scans'), className: 'is-number' },
          ]}
        />
        <tbody>
          {doc.lines.map((l) => (
            <LineRow
              key={l.productId}
              line={l}
              last={stock.lastLine?.productId === l.productId}
              showExpected={showExpected}
              showDifference={againstList}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One line; a scan re-renders only its own row and the one highlighted before (memo on the line object). */
const LineRow = memo(function LineRow({
  line,
  last,
  showExpected,
  showDifference,
}: {
  line: StockLineView;
  last: boolean;
  showExpected: boolean;
  showDifference: boolean;
}) {
  const { t } = useTranslation();
  const difference = line.quantityMilli - (line.expectedMilli ?? 0);
  return (
    <tr className={last ? 'is-last-scanned' : undefined} data-testid={`stock-line-${line.sku}`}>
      <td className="admin-key">{line.sku}</td>
      <td>
        <span className="stock-name-zh" lang="zh-HK">
          {line.nameZh}
        </span>
        <span className="stock-name-en">{line.nameEn}</span>
      </td>
      <td className="is-number" data-testid={`stock-line-quantity-${line.sku}`}>
        {formatQuantity(line.quantityMilli)}
      </td>
      {showExpected && <td className="is-number">{line.expectedMilli === null ? '' : formatQuantity(line.expectedMilli)}</td>}
      {showDifference && (
        <td className={difference < 0 ? 'is-number is-flagged' : 'is-number'} data-testid={`stock-line-difference-${line.sku}`}>
          {difference < 0
            ? t('stock.short', { quantity: formatQuantity(-difference) })
            : difference > 0
              ? t('stock.over', { quantity: formatQuantity(difference) })
              : ''}
        </td>
      )}
      <td className="is-number">{line.scans}</td>
    </tr>
  );
});

/** A register counting into a shared count, as the cloud last said: its scans, whether it may hold unsent ones, or that it left. */
function participantText(t: TFunction, p: CountParticipant): string {
  const values = { code: p.registerCode, entries: p.entries };
  if (p.leftAt !== null)
    return p.leftScans === 'withdrawn'
      ? t('stock.shared.participantWithdrawn', values)
      : p.leftScans === 'too-late'
        ? t('stock.shared.participantTooLate', values)
        : t('stock.shared.participantLeft', values);
  return p.mayHaveUnsent ? t('stock.shared.participantUnsent', values) : t('stock.shared.participant', values);
}

/** A shared count's state: who opened it, this register's unsent and refused scans, who left it, who posted it. */
function SharedBadges({ shared }: { shared: NonNullable<StockDocumentView['shared']> }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="stock-badge" data-testid="stock-shared-badge">
        {t('stock.shared.badge', { code: shared.openedByRegister })}
      </span>
      {shared.unsentScans > 0 && (
        <span className="stock-badge" data-testid="stock-shared-unsent">
          {t('stock.shared.unsent', { count: shared.unsentScans })}
        </span>
      )}
      {shared.refusedScans > 0 && (
        <span className="stock-badge is-flagged" data-testid="stock-shared-refused">
          {t('stock.shared.refused', { count: shared.refusedScans, quantity: formatQuantity(shared.refusedMilli) })}
        </span>
      )}
      {shared.cancelledBy && (
        <span className="stock-badge is-flagged" data-testid="stock-shared-cancelled">
          {shared.cancelReason
            ? t('stock.shared.cancelledBy', { who: shared.cancelledBy, reason: shared.cancelReason })
            : t('stock.shared.cancelledByNoReason', { who: shared.cancelledBy })}
        </span>
      )}
      {shared.left && (
        <span className={shared.leftScans === 'too-late' ? 'stock-badge is-flagged' : 'stock-badge'} data-testid="stock-shared-left">
          {shared.leftScans === 'withdrawn'
            ? t('stock.shared.leftWithdrawn')
            : shared.leftScans === 'too-late'
              ? t('stock.shared.leftTooLate')
              : t('stock.shared.left')}
        </span>
      )}
      {(shared.participants ?? [])
        .filter((p) => p.leftAt !== null)
        .map((p) => (
          <span key={p.registerCode} className="stock-badge" data-testid={`stock-shared-participant-left-${p.registerCode}`}>
            {participantText(t, p)}
          </span>
        ))}
      {shared.postedBy && (
        <span className="stock-badge" data-testid="stock-shared-posted-by">
          {t('stock.shared.postedBy', { who: shared.postedBy })}
        </span>
      )}
    </>
  );
}

function VariancePanel({ stock }: { stock: StockState }) {
  const { t, i18n } = useTranslation();
  const report = stock.variance!;
  const money = (cents: number) => formatHKD(cents, i18n.language);
  return (
    <div className="admin-panel stock-variance" data-testid="stock-variance">
      <h3>{t('stock.varianceTitle')}</h3>
      <p data-testid="stock-variance-summary">
        {t('stock.varianceSummary', {
          lines: report.lineCount,
          changed: report.varianceLines,
          short: formatQuantity(report.shortMilli),
          shortValue: money(report.shortValue),
          over: formatQuantity(report.overMilli),
          overValue: money(report.overValue),
        })}
      </p>
      {report.participants && (
        <p className="stock-participants" data-testid="stock-variance-participants">
          {report.participants.map((p) => (
            <span
              key={p.registerCode}
              className={p.mayHaveUnsent ? 'stock-badge is-flagged' : 'stock-badge'}
              data-testid={`stock-participant-${p.registerCode}`}
            >
              {participantText(t, p)}
            </span>
          ))}
        </p>
      )}
      <table className="admin-table">
        <TableHead
          columns={[
            t('stock.sku'),
            t('stock.name'),
            { text: t('stock.expected'), className: 'is-number' },
            { text: t('stock.counted'), className: 'is-number' },
            { text: t('stock.difference'), className: 'is-number' },
            { text: t('stock.value'), className: 'is-number' },
          ]}
        />
        <tbody>
          {report.lines.map((l) => (
            <tr key={l.productId} data-testid={`stock-variance-${l.sku}`}>
              <td className="admin-key">{l.sku}</td>
              <td lang="zh-HK">{l.nameZh}</td>
              <td className="is-number">{formatQuantity(l.expectedMilli)}</td>
              <td className="is-number">{formatQuantity(l.countedMilli)}</td>
              <td className={l.varianceMilli < 0 ? 'is-number is-flagged' : 'is-number'}>{formatQuantity(l.varianceMilli)}</td>
              <td className="is-number">{money(l.varianceValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
