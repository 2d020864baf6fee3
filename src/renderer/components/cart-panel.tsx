import { maskGiftCard } from '../../shared/gift-card';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { offsetOf, rowHeights, rowOffsets, scrollToShow, visibleRange } from './cart-window';
import { useTranslation } from 'react-i18next';
import type { Cart, CartLine, Discount } from '../../shared/checkout-schemas';
import { percentOf } from '../../shared/money';
import { formatBasisPoints, formatQuantity } from '../checkout/number-input';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { sameValue } from '../../shared/same-value';
import { useCart, usePosStores } from '../stores/stores-context';
import { keepFocus } from './keep-focus';
import type { MemberView } from '../../shared/member-schemas';
import { useTierName } from '../dialogs/member-dialog';
import { Deduction, Money } from './money';
import { formatHKD } from '../../shared/money';

/** The right-hand column: the cart's lines, newest highlighted and always in view, and its totals. */
export function CartPanel() {
  const { t } = useTranslation();
  const { cart: cartStore } = usePosStores();
  const cart = useCart((s) => s.cart);
  const loadState = useCart((s) => s.loadState);

  if (!cart) {
    return (
      <aside className="cart-panel" aria-label={t('cart.title')}>
        <div className="panel-message">
          {loadState === 'failed' ? (
            <>
              <p>{t('cart.failed')}</p>
              <button type="button" className="plain-button" onMouseDown={keepFocus} onClick={() => void cartStore.getState().load()}>
                {t('cart.retry')}
              </button>
            </>
          ) : (
            <p>{t('cart.loading')}</p>
          )}
        </div>
      </aside>
    );
  }
  return (
    <aside className="cart-panel" aria-label={t('cart.title')} data-testid="cart" data-cart-id={cart.id}>
      <CartHeader cart={cart} />
      {cart.member && <MemberStrip member={cart.member} />}
      <CartLines cart={cart} />
      <CartTotals cart={cart} />
    </aside>
  );
}

function CartHeader({ cart }: { cart: Cart }) {
  const { t } = useTranslation();
  const { ui } = usePosStores();
  const units = cart.lines.reduce((sum, l) => sum + (l.weighed ? 1 : Math.abs(l.quantity)), 0);
  return (
    <header className="cart-header">
      <h2 className="cart-title">
        {t('cart.title')}
        <span className="cart-count" data-testid="cart-count">
          {t('cart.items', { count: units })}
        </span>
      </h2>
      {cart.label && (
        <span className="cart-label" data-testid="cart-label">
          {t('cart.suspendedLabel', { label: cart.label })}
        </span>
      )}
      <span className="action-spacer" />
      <button
        type="button"
        className="cart-void"
        data-testid="void-cart"
        disabled={cart.lines.length === 0}
        onMouseDown={keepFocus}
        onClick={() => ui.getState().open({ kind: 'void' })}
      >
        {t('action.void')}
        <kbd className="action-key">⇧Del</kbd>
      </button>
    </header>
  );
}

/** The member on the sale: name, masked phone, tier and points; member prices already apply. */
function MemberStrip({ member }: { member: MemberView }) {
  const { t } = useTranslation();
  const tierName = useTierName();
  const { member: members } = usePosStores();
  return (
    <section className="member-strip" data-testid="member-strip" aria-label={t('member.strip')}>
      <span className="member-strip-badge">{t('member.strip')}</span>
      <span className="member-strip-who">
        <span className="member-strip-name" data-testid="member-strip-name">
          {member.name}
        </span>
        <span className="member-strip-facts">
          <span data-testid="member-strip-phone">{member.maskedPhone}</span>
          <span data-testid="member-strip-tier">{tierName(member.tier)}</span>
          <span data-testid="member-strip-points">{t('member.pointsValue', { points: member.points.toLocaleString('en-HK') })}</span>
        </span>
      </span>
      <button
        type="button"
        className="member-strip-remove"
        data-testid="member-strip-remove"
        onMouseDown={keepFocus}
        onClick={() => void members.getState().detach()}
      >
        {t('member.remove')}
        <kbd className="action-key">⇧F8</kbd>
      </button>
    </section>
  );
}

function CartLines({ cart }: { cart: Cart }) {
  const { t } = useTranslation();
  const selectedLineId = useCart((s) => s.selectedLineId);
  if (cart.lines.length === 0) {
    return (
      <div className="cart-lines is-empty">
        <p className="panel-empty" data-testid="cart-empty">
          {t('cart.empty')}
        </p>
      </div>
    );
  }
  return <CartLineList lines={cart.lines} selectedLineId={selectedLineId} />;
}

interface ListView {
  top: number;
  viewport: number;
  /** Bumped when a row's measured height moves what is shown (a spacer, the scroll position, the rows rendered). */
  measured: number;
  /** The cart answer and selection last followed: a new one of either brings the selection into view. */
  lines: readonly CartLine[] | null;
  selection: number | null;
  /** The selection is kept in view (after a scan, the arrow keys, a tap) until the cashier scrolls by hand. */
  following: boolean;
}

/** Where the list's rows are and which to render, for the heights known now. */
function listLayout(lines: readonly CartLine[], heights: ReadonlyMap<number, number>, view: ListView, selectedLineId: number | null) {
  const offsets = rowOffsets(
    rowHeights(
      lines.map((l) => l.id),
      heights,
    ),
  );
  const changed = view.lines !== lines || view.selection !== selectedLineId;
  const following = changed || view.following;
  const selectedIndex = lines.findIndex((l) => l.id === selectedLineId);
  const top = following ? scrollToShow(offsets, selectedIndex, view.top, view.viewport) : view.top;
  const range = visibleRange(offsets, top, view.viewport);
  const above = offsetOf(offsets, range.start);
  const below = offsetOf(offsets, lines.length) - offsetOf(offsets, range.end);
  return { changed, following, top, range, above, below };
}

/**
 * The lines, windowed (cart-window.ts): only the rows around the visible part are in the DOM, the
 * rest stood in for by two spacers of their height. The newest (or chosen) line is always in view,
 * however long the cart: the scroll position that shows it is worked out while rendering, so its
 * row is in the DOM in the same commit, and the position is set before the frame is painted.
 */
function CartLineList({ lines, selectedLineId }: { lines: readonly CartLine[]; selectedLineId: number | null }) {
  const list = useRef<HTMLOListElement>(null);
  // Rows' heights as measured on screen, by line id: a cache the layout effect fills. A measurement
  // re-renders the list only when it moves what is shown (`measured`), not after every scan.
  const [heights] = useState(() => new Map<number, number>());
  const [view, setView] = useState<ListView>(() => ({
    top: 0,
    viewport: window.innerHeight,
    measured: 0,
    lines: null,
    selection: null,
    following: true,
  }));
  const { changed, following, top, range, above, below } = listLayout(lines, heights, view, selectedLineId);
  if (changed || top !== view.top) setView({ ...view, lines, selection: selectedLineId, following, top });

  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    if (Math.abs(element.scrollTop - top) >= 1) element.scrollTop = top;
    // Rows on screen for the first time, or grown (a promotion, a tag): their real heights correct
    // the spacers (and, while following, the scroll) before the frame is painted.
    let grew = false;
    for (const row of element.querySelectorAll<HTMLElement>(':scope > [data-line-id]')) {
      const id = Number(row.dataset.lineId);
      const height = row.offsetHeight;
      if (height > 0 && heights.get(id) !== height) {
        heights.set(id, height);
        grew = true;
      }
    }
    const viewport = element.clientHeight > 0 ? element.clientHeight : view.viewport;
    if (!grew && viewport === view.viewport) return;
    const next = listLayout(lines, heights, { ...view, viewport }, selectedLineId);
    const moved =
      Math.abs(next.top - top) >= 1 ||
      Math.abs(next.above - above) >= 1 ||
      Math.abs(next.below - below) >= 1 ||
      next.range.start !== range.start ||
      next.range.end !== range.end;
    if (moved || viewport !== view.viewport) setView((v) => ({ ...v, viewport, measured: v.measured + 1 }));
  }, [top, view, lines, heights, selectedLineId, above, below, range.start, range.end]);

  // The cashier's own scrolling (wheel, touch, scroll bar) stops following; a resize re-measures.
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const scrolled = () =>
      setView((v) => (Math.abs(element.scrollTop - v.top) < 1 ? v : { ...v, top: element.scrollTop, following: false }));
    const resized = () =>
      setView((v) => (element.clientHeight > 0 && element.clientHeight !== v.viewport ? { ...v, viewport: element.clientHeight } : v));
    element.addEventListener('scroll', scrolled, { passive: true });
    const observer = new ResizeObserver(resized);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', scrolled);
      observer.disconnect();
    };
  }, []);

  const windowed = range.end - range.start < lines.length;
  return (
    <ol className="cart-lines" ref={list} data-testid="cart-lines" data-line-count={lines.length}>
      {above > 0 && <li className="cart-lines-spacer" aria-hidden="true" style={{ height: above }} />}
      {lines.slice(range.start, range.end).map((line, i) => (
        <CartLineRow
          key={line.id}
          line={line}
          index={range.start + i}
          count={windowed ? lines.length : undefined}
          selected={line.id === selectedLineId}
        />
      ))}
      {below > 0 && <li className="cart-lines-spacer" aria-hidden="true" style={{ height: below }} />}
    </ol>
  );
}

/** The line's own discount (after its promotions, capped), apart from its share of a cart discount. */
function lineDiscountAmount(line: CartLine): number {
  const discount: Discount | null = line.discount;
  if (!discount) return 0;
  const base = line.gross - line.promotions.reduce((sum, p) => sum + p.amount, 0);
  const amount = discount.kind === 'percent' ? percentOf(Math.abs(base), discount.basisPoints) : Math.min(Math.abs(base), discount.cents);
  return Math.min(amount, Math.abs(line.discountAmount) || amount);
}

interface CartLineRowProps {
  line: CartLine;
  index: number;
  /** The cart's line count when not every row is in the DOM (for assistive technology). */
  count: number | undefined;
  selected: boolean;
}

/**
 * Every answer from the core is a fresh cart, so each line is a new object even when unchanged. A
 * row renders again only when its own line, place or selection changed: a scan into a 300-line cart
 * renders the new row and the one that lost the highlight, not all 300.
 */
const sameCartLineRow = (a: CartLineRowProps, b: CartLineRowProps): boolean =>
  a.index === b.index && a.count === b.count && a.selected === b.selected && sameValue(a.line, b.line);

const CartLineRow = memo(function CartLineRow({ line, index, count, selected }: CartLineRowProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { cart, ui } = usePosStores();
  const other = localName(line, locale === 'en' ? 'zh-HK' : 'en');
  const discount = lineDiscountAmount(line);
  const className = ['cart-line', selected ? 'is-selected' : '', line.returnOf || line.quantity < 0 ? 'is-return' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <li
      className={className}
      data-testid={`cart-line-${index}`}
      data-line-id={line.id}
      data-sku={line.sku}
      aria-current={selected ? 'true' : undefined}
      aria-setsize={count}
      aria-posinset={count === undefined ? undefined : index + 1}
    >
      <button type="button" className="cart-line-button" onMouseDown={keepFocus} onClick={() => cart.getState().selectLine(line.id)}>
        <span className="cart-line-main">
          <span className="cart-line-names">
            <span className="cart-line-name">{localName(line, locale)}</span>
            <span className="cart-line-other" lang={locale === 'en' ? 'zh-HK' : 'en'}>
              {other}
            </span>
          </span>
          <Money cents={line.net} className="cart-line-net" testId={`cart-line-net-${index}`} />
        </span>
        <span className="cart-line-detail">
          <span className="cart-line-quantity">
            <span data-testid={`cart-line-qty-${index}`}>{formatQuantity(line.quantity)}</span>
            {line.weighed ? ' kg' : ''} × <Money cents={line.unitPrice} />
            {line.weighed ? '/kg' : ''}
          </span>
          {line.gross !== line.net && <Money cents={line.gross} className="cart-line-gross" />}
        </span>
        {line.priceOverridden && (
          <span className="cart-line-tag is-override">{t('cart.priceOverridden', { price: formatHKD(line.listPrice, locale) })}</span>
        )}
        {line.giftCard && (
          <span className="cart-line-tag" data-testid={`cart-line-gift-card-${index}`}>
            {t('giftCard.title')} {maskGiftCard(line.giftCard.last4)}
          </span>
        )}
        {line.returnOf ? (
          <span className="cart-line-tag is-return">{t('cart.returnOf', { receiptNo: line.returnOf.receiptNo })}</span>
        ) : (
          line.quantity < 0 && <span className="cart-line-tag is-return">{t('cart.returnWithoutReceipt')}</span>
        )}
        {line.promotions.map((promotion) => (
          <span key={promotion.id} className="cart-line-adjust is-promotion" data-testid={`cart-line-promotion-${index}`}>
            <span>{localName(promotion, locale)}</span>
            <Deduction cents={promotion.amount} />
          </span>
        ))}
        {line.discount && discount !== 0 && (
          <span
            className="cart-line-adjust is-discount"
            data-testid={`cart-line-discount-${index}`}
            data-capped={line.discount.kind === 'amount' && discount < line.discount.cents ? 'true' : undefined}
          >
            <span>
              {line.discount.kind === 'amount' && discount < line.discount.cents
                ? // the line shrank under its amount discount (fewer units, an offer): what applies, said
                  t('cart.lineDiscountCapped', { asked: formatHKD(line.discount.cents, locale), applies: formatHKD(discount, locale) })
                : t('cart.lineDiscount', {
                    value:
                      line.discount.kind === 'percent'
                        ? formatBasisPoints(line.discount.basisPoints)
                        : formatHKD(line.discount.cents, locale),
                  })}
            </span>
            <Deduction cents={discount} />
          </span>
        )}
      </button>
      {selected && (
        <button
          type="button"
          className="cart-line-menu"
          data-testid={`cart-line-menu-${index}`}
          aria-label={t('cart.lineMenu', { name: localName(line, locale) })}
          onMouseDown={keepFocus}
          onClick={() => ui.getState().open({ kind: 'line-menu', lineId: line.id })}
        >
          ⋯
        </button>
      )}
    </li>
  );
}, sameCartLineRow);

/** An amount cart discount the cart shrank under (main applies it up to the cart): what was asked and what applies. */
function cappedCartDiscount(cart: Cart): { asked: number; applies: number } | null {
  const discount = cart.discount;
  if (discount?.kind !== 'amount' || cart.cartDiscountAmount === undefined || cart.cartDiscountAmount >= discount.cents) return null;
  return { asked: discount.cents, applies: cart.cartDiscountAmount };
}

function CartTotals({ cart }: { cart: Cart }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const refund = cart.total < 0;
  const cartDiscount = cart.discount;
  const capped = cappedCartDiscount(cart);
  return (
    <dl className="cart-totals">
      {cart.order && (
        <div className="cart-total-line" data-testid="cart-order">
          <dt>{t('cart.order', { orderNo: cart.order.orderNo })}</dt>
          <dd>{t('cart.orderLocked')}</dd>
        </div>
      )}
      <div className="cart-total-line">
        <dt>{t('cart.subtotal')}</dt>
        <dd>
          <Money cents={cart.subtotal} testId="cart-subtotal" />
        </dd>
      </div>
      {cart.promotionTotal !== 0 && (
        <div className="cart-total-line is-saving">
          <dt>{t('cart.promotions')}</dt>
          <dd>
            <Deduction cents={cart.promotionTotal} testId="cart-promotions" />
          </dd>
        </div>
      )}
      {(cart.discountTotal !== 0 || cartDiscount || cart.discountsToApprove) && (
        <div className="cart-total-line is-saving">
          <dt>
            {t('cart.discounts')}
            {cartDiscount && (
              <span className="cart-total-note" data-testid="cart-discount-note">
                {t('cart.cartDiscount', {
                  value:
                    cartDiscount.kind === 'percent' ? formatBasisPoints(cartDiscount.basisPoints) : formatHKD(cartDiscount.cents, locale),
                })}
              </span>
            )}
            {capped !== null && (
              <span className="cart-total-note is-capped" data-testid="cart-discount-capped" role="status">
                {t('cart.cartDiscountCapped', { asked: formatHKD(capped.asked, locale), applies: formatHKD(capped.applies, locale) })}
              </span>
            )}
            {cart.discountsToApprove && (
              <span className="cart-total-note is-capped" data-testid="cart-discounts-to-approve" role="status">
                {t('cart.discountsToApprove')}
              </span>
            )}
          </dt>
          <dd>
            <Deduction cents={cart.discountTotal} testId="cart-discounts" />
          </dd>
        </div>
      )}
      {cart.taxTotal !== 0 && (
        <div className="cart-total-line">
          <dt>{t('cart.tax')}</dt>
          <dd>
            <Money cents={cart.taxTotal} testId="cart-tax" />
          </dd>
        </div>
      )}
      <div className={refund ? 'cart-grand-total is-refund' : 'cart-grand-total'}>
        <dt>{refund ? t('cart.refundTotal') : t('cart.total')}</dt>
        <dd>
          <Money cents={cart.total} className="cart-total" testId="cart-total" />
        </dd>
      </div>
      {cart.order && cart.order.paid > 0 && (
        <>
          <div className="cart-total-line is-saving">
            <dt>{t('cart.orderPaid')}</dt>
            <dd>
              <Deduction cents={cart.order.paid} testId="cart-order-paid" />
            </dd>
          </div>
          <div className="cart-total-line">
            <dt>{t('cart.orderDue')}</dt>
            <dd>
              <Money cents={cart.total - cart.order.paid} testId="cart-order-due" />
            </dd>
          </div>
        </>
      )}
    </dl>
  );
}
