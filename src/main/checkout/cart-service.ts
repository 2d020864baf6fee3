/**
 * The open cart, owned by main and kept in SQLite: every change is written before it is answered,
 * so a crash or power cut mid-sale loses nothing. Each answer is the whole cart, priced afresh after
 * the change (sent to the window as a patch of the cart it holds, where it names one: `answer`);
 * completion charges the cart as it was last answered.
 */
import { randomBytes } from 'node:crypto';
import { PosError } from '../../shared/errors';
import {
  FULL_BASIS_POINTS,
  formatHKD,
  lineAmount,
  percentOf,
  QUANTITY_SCALE as MILLI,
  quantityInThousandths as toMilli,
  roundCents,
  type Cents,
} from '../../shared/money';
import type { Approval, Cart, CartLine, Discount } from '../../shared/checkout-schemas';
import { MAX_CENTS, type StaffSummary } from '../../shared/schemas';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { StaffService } from '../staff/staff-service';
import type { AuditLog } from '../audit/audit-log';
import { priceCart } from '../pricing/price-cart';
import { validateUnitPrice } from '../pricing/validate';
import { createPromotionCache } from '../pricing/promotion-cache';
import type { CartPricingInput, Member, PricedCart } from '../pricing/types';
import { DocumentMember, type MemberView } from '../../shared/member-schemas';
import { readOfflineRedemptionRules } from '../members/offline-redemption';
import { findMemberByCode, memberView } from '../members/member-repo';
import { prepared } from '../db/prepared';
import { approverFor } from './approval';
import {
  describeDiscount,
  firstOverLimit,
  givenDiscounts,
  refuseCartDiscountOverCart,
  refuseLineDiscountOverLine,
  shareOf,
  withinLimit,
  type GivenDiscount,
} from './discount-approval';
import { taxClasses } from './checkout-settings';
import * as repo from './cart-repo';
import { findSaleByReceipt, findSoldLine, returnedMilli } from './sale-repo';
import { assertReturnMember, returnedLineMembers } from './return-member';
import type { ResolvedScan } from './resolve-scan';
import { appendOutbox } from '../sync/outbox';
import type { CartVoidedEvent } from '../../shared/register-event-schemas';
import { GIFT_CARD_SKU } from '../../shared/gift-card';
import { cartCards, cartLineCard } from '../members/gift-cards';
import { releaseCart } from '../members/redemptions';
import { releaseCartClaim } from '../orders/order-claims';
import { RecentCarts, type CartAnswer } from '../../shared/cart-patch';

export interface PricedCartState {
  cart: repo.CartRow;
  lines: repo.CartLineRow[];
  priced: PricedCart;
  dto: Cart;
}

export interface CartServiceDeps {
  db: Db;
  clock: Clock;
  staff: StaffService;
  audit: AuditLog;
  registerCode: () => string;
  resolveScan: (code: string) => ResolvedScan;
  /** After COMMIT of every change to the open cart (and when a new one is opened): the cart as it now is. */
  onChanged?: (cart: Cart) => void;
}

const discountFromRow = (kind: 'percent' | 'amount' | null, value: number | null): Discount | null =>
  kind === null || value === null ? null : kind === 'percent' ? { kind, basisPoints: value } : { kind, cents: value };

const discountToRow = (discount: Discount | null): [kind: string | null, value: number | null] =>
  discount === null ? [null, null] : discount.kind === 'percent' ? ['percent', discount.basisPoints] : ['amount', discount.cents];

/** The snapshot a cart line keeps of its product: names and tax as they were when it was scanned. */
function snapshotFields(cartId: number, product: repo.ProductSnapshotRow) {
  return {
    cart_id: cartId,
    product_id: product.id,
    sku: product.sku,
    name_zh: product.name_zh,
    name_en: product.name_en,
    category_code: product.category_code,
    tax_class: product.tax_class,
  };
}

const OVER_LIMIT = 'This discount is over your limit';

/**
 * A change that takes the cart's figures past what a sale may come to is refused (and rolls back):
 * each line is bounded (pricing/limits.ts), their sum is not, and a cart beyond the contract's
 * money bound could be written but never answered again.
 */
function refuseOverMaxCents(cart: Cart): void {
  const figures = [cart.subtotal, cart.total, cart.promotionTotal, cart.discountTotal, cart.taxTotal];
  if (figures.some((cents) => Math.abs(cents) > MAX_CENTS))
    throw new PosError('BAD_REQUEST', `A sale may come to at most ${formatHKD(MAX_CENTS, 'en')} either way: split it into several sales`);
}

export function createCartService(deps: CartServiceDeps) {
  const { db, clock, staff, audit } = deps;
  const promotions = createPromotionCache(db);
  /** Completions in flight, by cart (`completeOnce`): one at a time, and the cart stays until it answers. */
  const completions = new Map<number, Promise<unknown>>();

  /**
   * A cart whose completion is waiting on the cloud cannot be voided or suspended: the cloud may be
   * collecting its order on the receipt number it is about to take, and only its sale (or a retry
   * of it, on the same number) can close that order.
   */
  function refuseWhileCompleting(cart: repo.CartRow): void {
    if (completions.has(cart.id))
      throw new PosError('CONFLICT', 'This sale is being completed: wait for its answer, then void or suspend it if it failed');
  }

  /** The cart's member as the pricing engine sees it (member prices by tier). */
  function memberOf(cart: repo.CartRow): Member | null {
    if (cart.member_code === null) return null;
    const member = findMemberByCode(db, cart.member_code);
    return member && { id: member.id, tier: member.tier };
  }

  function pricingInput(lines: repo.CartLineRow[], cart: repo.CartRow, overrides?: Partial<CartPricingInput>): CartPricingInput {
    const now = clock.now();
    return {
      lines: lines
        .filter((l) => l.quantity_milli > 0)
        .map((l) => ({
          lineId: l.id,
          productId: l.product_id,
          sku: l.sku,
          categoryCode: l.category_code,
          quantity: l.quantity_milli / MILLI,
          unitPrice: l.list_price,
          priceOverride: l.price_override === null ? null : { unitPrice: l.price_override },
          lineDiscount: discountFromRow(l.discount_kind, l.discount_value),
          taxClass: l.tax_class,
          embeddedPrice: l.embedded_price === 1,
          weighed: l.weighed === 1,
        })),
      cartDiscount: discountFromRow(cart.discount_kind, cart.discount_value),
      promotions: promotions.activeAt(now).promotions,
      member: memberOf(cart),
      taxClasses: taxClasses(db),
      now,
      ...overrides,
    };
  }

  function toDto(cart: repo.CartRow, lines: repo.CartLineRow[], priced: PricedCart, revision: string): Cart {
    const pricedById = new Map(priced.lines.map((p) => [p.lineId, p]));
    const cards = cartCards(db, cart.id);
    const dtoLines: CartLine[] = lines.map((l) => {
      const p = pricedById.get(l.id);
      const common = {
        id: l.id,
        productId: l.product_id,
        sku: l.sku,
        nameZh: l.name_zh,
        nameEn: l.name_en,
        quantity: l.quantity_milli / MILLI,
        weighed: l.weighed === 1,
      };
      if (!p) {
        // A line being returned: its refund was fixed when it was added.
        const net = l.return_net ?? 0;
        return {
          ...common,
          unitPrice: l.list_price,
          listPrice: l.list_price,
          priceOverridden: false,
          gross: net,
          promotions: [],
          discount: null,
          discountAmount: 0,
          net,
          returnOf:
            l.return_of_line_id === null ? null : { receiptNo: receiptOfLine(l.return_of_line_id), saleLineId: l.return_of_line_id },
        };
      }
      const card = cards.get(l.id);
      return {
        ...common,
        ...(card ? { giftCard: { last4: card.last4 } } : {}),
        unitPrice: p.unitPrice,
        listPrice: p.listPrice,
        priceOverridden: p.priceOverridden,
        gross: p.gross,
        promotions: p.promotions.map((a) => ({ id: a.id, nameZh: a.nameZh, nameEn: a.nameEn, amount: a.amount })),
        discount: discountFromRow(l.discount_kind, l.discount_value),
        discountAmount: p.discountAmount,
        net: p.net,
        returnOf: null,
      };
    });
    const toApprove = discountsToApprove(cart, lines, priced);
    const returns = lines.filter((l) => l.quantity_milli < 0);
    const returnNet = returns.reduce((sum, l) => sum + (l.return_net ?? 0), 0);
    const returnTax = returns.reduce((sum, l) => sum + (l.return_tax ?? 0), 0);
    return {
      id: cart.id,
      revision,
      status: cart.status === 'suspended' ? 'suspended' : 'open',
      label: cart.label,
      lines: dtoLines,
      discount: discountFromRow(cart.discount_kind, cart.discount_value),
      ...(priced.cartDiscount ? { cartDiscountAmount: priced.cartDiscount.amount } : {}),
      ...(toApprove ? { discountsToApprove: true as const } : {}),
      subtotal: priced.subtotal + returnNet,
      promotionTotal: priced.promotionTotal,
      discountTotal: priced.discountTotal,
      taxTotal: priced.taxTotal + returnTax,
      total: priced.total + returnNet,
      lastLineId:
        cart.last_line_id !== null && lines.some((l) => l.id === cart.last_line_id) ? cart.last_line_id : (lines.at(-1)?.id ?? null),
      member: memberViewOf(cart),
      order:
        cart.order_no === null
          ? null
          : {
              orderNo: cart.order_no,
              channel: orderChannelOf(cart.order_no),
              paid: cart.order_paid,
              ...(cart.order_pickup === null ? {} : { partial: true }),
            },
    };
  }

  /** Whether a discount of the cart is more than whoever gave or approved it may give now (their role's limit as stored). */
  function discountsToApprove(cart: repo.CartRow, lines: repo.CartLineRow[], priced: PricedCart): boolean {
    if (cart.discount_kind === null && !lines.some((l) => l.discount_kind !== null)) return false;
    const given = givenDiscounts({ cart, lines, priced });
    return firstOverLimit(given, (id) => (id === null ? 0 : (staff.summary(id)?.discountLimitBasisPoints ?? 0))) !== undefined;
  }

  function orderChannelOf(orderNo: string): string {
    return (prepared<{ orderNo: string }, string>(db, 'SELECT channel FROM customer_order WHERE order_no = :orderNo')
      .pluck()
      .get({ orderNo }) ?? 'online') as string;
  }

  function memberViewOf(cart: repo.CartRow): MemberView | null {
    if (cart.member_code === null) return null;
    const member = findMemberByCode(db, cart.member_code);
    // a member deactivated since it was added still shows, by its code, so the cashier sees why no member price applies
    return member
      ? memberView(db, member)
      : {
          code: cart.member_code,
          name: cart.member_code,
          maskedPhone: '',
          tier: '',
          points: 0,
          storeCredit: 0,
          pointsPerDollar: readOfflineRedemptionRules(db).pointsPerDollar,
          provisional: false,
        };
  }

  function receiptOfLine(saleLineId: number): string {
    return findSoldLine(db, saleLineId)?.receipt_no ?? '';
  }

  /**
   * The cart as last priced and answered, until the next change: completing it charges exactly the
   * total the cashier and the customer were shown (a promotion that changed in between does not
   * move it), and saves pricing the cart a second time inside the sale's transaction.
   */
  let lastAnswered: PricedCartState | null = null;
  /** Revisions of the carts priced here (src/shared/cart-patch.ts), and the last few, to patch against. */
  const revisionEpoch = randomBytes(4).toString('hex');
  let revisionCount = 0;
  const recent = new RecentCarts();

  function state(cart: repo.CartRow): PricedCartState {
    const lines = repo.cartLines(db, cart.id);
    // An order's cart is charged the order's prices exactly: no promotion, member price or discount moves them.
    const priced = priceCart(
      pricingInput(lines, cart, cart.order_no === null ? undefined : { promotions: [], member: null, cartDiscount: null }),
    );
    const dto = toDto(cart, lines, priced, `${revisionEpoch}.${++revisionCount}`);
    recent.remember(dto);
    lastAnswered = { cart, lines, priced, dto };
    return lastAnswered;
  }

  /** Every write to a cart row or its lines goes through `change` or changes the row's status. */
  const sameRow = (a: repo.CartRow, b: repo.CartRow) => (Object.keys(a) as (keyof repo.CartRow)[]).every((key) => a[key] === b[key]);

  /** The register's open cart, created on first use. */
  function openCart(actor: StaffSummary): repo.CartRow {
    const existing = repo.findOpenCart(db, deps.registerCode());
    if (existing) return existing;
    const id = repo.insertCart(db, deps.registerCode(), actor.id, clock.now());
    return repo.findCart(db, id) as repo.CartRow;
  }

  function lineOf(cart: repo.CartRow, lineId: number): repo.CartLineRow {
    const line = repo.cartLine(db, cart.id, lineId);
    if (!line) throw new PosError('NOT_FOUND', `Line ${lineId} is not in the open cart`);
    return line;
  }

  /** The discount limit of staff member `staffId` now (their role's; 0 for someone no longer on the register). */
  function limitOf(actor: StaffSummary, staffId: number): number {
    return staffId === actor.id ? actor.discountLimitBasisPoints : (staff.summary(staffId)?.discountLimitBasisPoints ?? 0);
  }

  /**
   * discount-approval.ts's rule, after a change that can raise a discount's share, on the cart as it
   * is now (inside the change's transaction, so after any approval's await): each discount stays
   * with who gave or approved it while their limit covers it; otherwise it passes to the actor or to
   * `approver` (whose PIN came with the change), and the one over the actor's limit is audited.
   * Nobody covers it: APPROVAL_REQUIRED, the change rolls back, and the till asks for a manager.
   * Answers whether an approval was written.
   */
  function settleDiscounts(actor: StaffSummary, current: PricedCartState, approver: number | null): boolean {
    let wrote = false;
    for (const discount of givenDiscounts(current)) {
      if (discount.approvedBy !== null && withinLimit(limitOf(actor, discount.approvedBy), discount)) continue;
      const by = [actor.id, approver].find((id): id is number => id !== null && withinLimit(limitOf(actor, id), discount));
      if (by === undefined)
        throw new PosError(
          'APPROVAL_REQUIRED',
          `${describeDiscount(discount)} is over ${approver === null ? 'your' : 'the approver’s'} limit: a manager must approve`,
        );
      if (discount.lineId === null) repo.setCartDiscountApprover(db, current.cart.id, by);
      else repo.setLineDiscountApprover(db, discount.lineId, by);
      if (by !== actor.id) auditOverLimit(actor, current.cart.id, discount, by);
      wrote = true;
    }
    return wrote;
  }

  function auditOverLimit(actor: StaffSummary, cartId: number, discount: GivenDiscount, approverId: number): void {
    audit.append({
      kind: 'discount.over-limit',
      staffId: actor.id,
      approverId,
      subject: `cart ${cartId}`,
      detail: {
        ...(discount.lineId === null ? {} : { lineId: discount.lineId }),
        amount: discount.amount,
        basisPoints: shareOf(discount.amount, discount.base),
        limit: actor.discountLimitBasisPoints,
      },
    });
  }

  /**
   * Who approves a change the till resends with a manager's PIN because it took a discount over its
   * limit (settleDiscounts refused it): someone whose limit is above the actor's; whether it is
   * enough is settled against the cart as it is when the change is written.
   */
  function discountApprover(actor: StaffSummary, approval: Approval | undefined): Promise<number | null> {
    if (!approval) return Promise.resolve(null);
    const above = { discountBasisPoints: Math.min(FULL_BASIS_POINTS, actor.discountLimitBasisPoints + 1) };
    return approverFor(staff, actor, approval, above, OVER_LIMIT);
  }

  /** The open cart's id now (null: none yet), read before a change awaits a PIN: its `onCart`. */
  function openCartId(): number | null {
    return repo.findOpenCart(db, deps.registerCode())?.id ?? null;
  }

  /**
   * Runs `write` in one transaction on the open cart and answers the cart as it now is. With
   * `discounts`, a change that can raise a discount's share: its discounts are settled (settleDiscounts).
   * `check` sees the cart as priced after the write, and rolls the change back by throwing.
   * `onCart`: the cart open when the change was asked, before its await (a manager's PIN): a sale
   * completed, suspended or voided meanwhile is CONFLICT, never the next customer's cart changed.
   */
  function change(
    actor: StaffSummary,
    write: (cart: repo.CartRow) => number | null | void,
    options: {
      order?: boolean;
      discounts?: { approver: number | null };
      check?: (current: PricedCartState) => void;
      onCart?: number | null;
    } = {},
  ): Cart {
    lastAnswered = null;
    let result: Cart;
    try {
      result = db
        .transaction(() => {
          const cart = openCart(actor);
          if (options.onCart !== undefined && options.onCart !== null && cart.id !== options.onCart)
            throw new PosError(
              'CONFLICT',
              `The sale changed while the PIN was checked (completed, suspended or voided): nothing was changed on cart ${cart.id}`,
            );
          if (cart.order_no !== null && !options.order)
            throw new PosError(
              'ORDER_LOCKED',
              `This cart collects order ${cart.order_no}: its items and prices are the order's. Take payment, or void it to leave the order open`,
            );
          const touched = write(cart);
          repo.touchCart(db, cart.id, clock.now(), typeof touched === 'number' ? touched : null);
          const after = repo.findCart(db, cart.id) as repo.CartRow;
          // Price inside the transaction: a change the engine refuses (a discount over 100 %) rolls back.
          const current = state(after);
          refuseOverMaxCents(current.dto);
          options.check?.(current);
          if (options.discounts && settleDiscounts(actor, current, options.discounts.approver))
            // approvals move no price, but the cart now says who covers its discounts (discountsToApprove)
            return state(repo.findCart(db, cart.id) as repo.CartRow).dto;
          return current.dto;
        })
        .immediate();
    } catch (error) {
      lastAnswered = null; // priced inside a transaction that did not commit
      throw error;
    }
    deps.onChanged?.(result);
    return result;
  }

  function addLine(
    cart: repo.CartRow,
    productId: number,
    quantity: number,
    extra: { unitPrice?: Cents; weighed?: boolean; embedded?: boolean },
  ): number {
    const product = repo.productSnapshot(db, productId);
    if (!product) throw new PosError('ITEM_NOT_FOUND', 'That product is not for sale');
    const unitPrice = extra.unitPrice ?? product.price;
    // A plain unit scanned again goes onto its line; weighed and priced-label items stay separate lines.
    if (!extra.weighed && !extra.embedded) {
      const same = repo.findPlainLine(db, cart.id, productId, unitPrice);
      if (same) {
        const next = same.quantity_milli + toMilli(quantity);
        if (next > 10_000 * MILLI) throw new PosError('BAD_REQUEST', 'At most 10,000 units on one line');
        repo.setLineQuantity(db, same.id, next);
        return same.id;
      }
    }
    return repo.insertCartLine(db, {
      ...snapshotFields(cart.id, product),
      list_price: unitPrice,
      quantity_milli: toMilli(quantity),
      weighed: extra.weighed ? 1 : 0,
      embedded_price: extra.embedded ? 1 : 0,
      return_of_line_id: null,
      return_net: null,
      return_tax: null,
      return_approved_by: null,
    });
  }

  /** Prices the cart as it would be with `overrides`, without writing: for limit checks. */
  function preview(actor: StaffSummary, mutate: (input: CartPricingInput) => CartPricingInput): PricedCart {
    const cart = openCart(actor);
    return priceCart(mutate(pricingInput(repo.cartLines(db, cart.id), cart)));
  }

  return {
    /** What an intent answers the window that holds the cart `known`: what changed since, or the whole cart. */
    answer(cart: Cart, known: string | undefined): CartAnswer {
      return recent.answer(cart, known);
    },

    get(actor: StaffSummary): Cart {
      return this.current() ?? change(actor, () => null);
    },

    /**
     * Opens a customer order in the (empty) open cart: its lines at the order's prices, locked, and
     * what it had paid before. Joins the caller's transaction when there is one.
     */
    loadOrder(
      actor: StaffSummary,
      order: {
        orderNo: string;
        paid: number;
        lines: { sku: string; quantityMilli: number; unitPrice: number }[];
        /** A pickup (order-pickup.ts): the part of the order this cart pays, as JSON; null: the whole order. */
        pickup?: string | null;
        /** Items swapped in at a pickup (a barcode or SKU each), at the store's price. */
        add?: { code: string; quantity: number }[];
      },
    ): Cart {
      return change(
        actor,
        (cart) => {
          if (cart.order_no !== null || repo.cartLines(db, cart.id).length > 0)
            throw new PosError('CART_NOT_EMPTY', 'Finish, suspend (F4) or void the sale on the till first, then collect the order');
          prepared(
            db,
            'UPDATE cart SET order_no = :orderNo, order_paid = :paid, order_pickup = :pickup, member_code = NULL WHERE id = :cartId',
          ).run({
            orderNo: order.orderNo,
            paid: order.paid,
            pickup: order.pickup ?? null,
            cartId: cart.id,
          });
          let last: number | null = null;
          for (const line of order.lines) {
            const productId = prepared<{ sku: string }, number>(db, 'SELECT id FROM product WHERE sku = :sku')
              .pluck()
              .get({ sku: line.sku });
            const product = productId === undefined ? undefined : repo.productSnapshot(db, productId);
            if (!product)
              throw new PosError(
                'ITEM_NOT_FOUND',
                `${line.sku} of order ${order.orderNo} is not in this register's catalogue yet: sync, then try again`,
              );
            last = repo.insertCartLine(db, {
              ...snapshotFields(cart.id, product),
              list_price: line.unitPrice,
              quantity_milli: line.quantityMilli,
              weighed: line.quantityMilli % MILLI === 0 ? 0 : 1,
              embedded_price: 0,
              return_of_line_id: null,
              return_net: null,
              return_tax: null,
              return_approved_by: null,
            });
          }
          for (const item of order.add ?? []) {
            const scan = deps.resolveScan(item.code);
            last = addLine(cart, scan.productId, scan.quantity ?? item.quantity, {
              ...(scan.unitPrice === undefined ? {} : { unitPrice: scan.unitPrice }),
              weighed: scan.weighed,
              embedded: scan.embedded,
            });
          }
          return last;
        },
        { order: true },
      );
    },

    /** The open cart, or null when there is none (opens nothing). */
    current(): Cart | null {
      const existing = repo.findOpenCart(db, deps.registerCode());
      return existing ? state(existing).dto : null;
    },

    /** The open cart with its pricing, for completion. */
    priced(cartId: number): PricedCartState {
      const cart = repo.findCart(db, cartId);
      if (!cart) throw new PosError('NOT_FOUND', `No cart ${cartId}`);
      if (lastAnswered && lastAnswered.cart.id === cartId && sameRow(lastAnswered.cart, cart)) return lastAnswered;
      return state(cart);
    },

    /**
     * Puts a member on the open cart (member prices apply at once), or takes it off (null). Member
     * prices lower what amount discounts are taken from (and a member's promotions can move which
     * others apply), so either way the discounts are settled as for a quantity change: over the
     * limit of whoever gave them, the member waits for `approval` (settleDiscounts).
     */
    async setMember(actor: StaffSummary, code: string | null, approval?: Approval): Promise<Cart> {
      const onCart = openCartId();
      const approver = await discountApprover(actor, approval);
      return change(
        actor,
        (cart) => {
          const member = code === null ? null : findMemberByCode(db, code);
          if (code !== null && !member) throw new PosError('NOT_FOUND', `No member ${code} on this register`);
          // returned lines of a member's sale keep that member on the cart (return-member.ts)
          if (code !== cart.member_code) assertReturnMember(returnedLineMembers(db, cart.id).values(), member ?? null);
          prepared(db, 'UPDATE cart SET member_code = :code WHERE id = :cartId').run({ code, cartId: cart.id });
          return null;
        },
        { discounts: { approver }, onCart },
      );
    },

    scan(actor: StaffSummary, code: string): Cart {
      const scan = deps.resolveScan(code);
      return change(actor, (cart) =>
        addLine(cart, scan.productId, scan.quantity ?? 1, {
          ...(scan.unitPrice === undefined ? {} : { unitPrice: scan.unitPrice }),
          weighed: scan.weighed,
          embedded: scan.embedded,
        }),
      );
    },

    /**
     * A gift card sold as a line (issue 13): the card (its hash and last 4, looked up by the caller)
     * at the value chosen, one card per line; the sale's transaction activates it.
     */
    addGiftCard(actor: StaffSummary, card: { hash: string; last4: string }, value: Cents): Cart {
      return change(actor, (cart) => {
        const productId = prepared<{ sku: string }, number>(db, 'SELECT id FROM product WHERE sku = :sku AND active = 1')
          .pluck()
          .get({ sku: GIFT_CARD_SKU });
        if (productId === undefined)
          throw new PosError('GIFT_CARD_UNKNOWN', `This register has no ${GIFT_CARD_SKU} product yet: pull from the cloud`);
        const inCart = prepared<{ hash: string }, number>(
          db,
          `SELECT g.cart_line_id FROM cart_gift_card g JOIN cart_line l ON l.id = g.cart_line_id JOIN cart c ON c.id = l.cart_id
           WHERE g.hash = :hash AND c.status IN ('open', 'suspended')`,
        )
          .pluck()
          .get({ hash: card.hash });
        if (inCart !== undefined) throw new PosError('GIFT_CARD_ALREADY_SOLD', `Gift card **** ${card.last4} is already on a sale`);
        const lineId = addLine(cart, productId, 1, { unitPrice: value, embedded: true });
        prepared(db, 'INSERT INTO cart_gift_card (cart_line_id, hash, last4) VALUES (:lineId, :hash, :last4)').run({ lineId, ...card });
        return lineId;
      });
    },

    addProduct(actor: StaffSummary, productId: number, quantity = 1): Cart {
      return change(actor, (cart) => addLine(cart, productId, quantity, { weighed: !Number.isInteger(quantity) }));
    },

    /** Fewer units can take an amount discount over its limit: then it needs `approval` (settleDiscounts). */
    async setQuantity(actor: StaffSummary, lineId: number, quantity: number, approval?: Approval): Promise<Cart> {
      const onCart = openCartId();
      const approver = await discountApprover(actor, approval);
      return change(
        actor,
        (cart) => {
          const line = lineOf(cart, lineId);
          if (line.quantity_milli < 0)
            throw new PosError('BAD_REQUEST', 'Change a returned quantity by removing the line and returning again');
          if (line.weighed === 0 && !Number.isInteger(quantity)) throw new PosError('BAD_REQUEST', 'This item is sold in whole units');
          if (cartLineCard(db, lineId) && quantity !== 1) throw new PosError('BAD_REQUEST', 'A gift card line is one card: scan each card');
          repo.setLineQuantity(db, lineId, toMilli(quantity));
          return lineId;
        },
        { discounts: { approver }, onCart },
      );
    },

    /** A line removed under an amount cart discount raises its share: then it needs `approval` (settleDiscounts). */
    async removeLine(actor: StaffSummary, lineId: number, approval?: Approval): Promise<Cart> {
      const onCart = openCartId();
      const approver = await discountApprover(actor, approval);
      return change(
        actor,
        (cart) => {
          const line = lineOf(cart, lineId);
          repo.deleteCartLine(db, lineId);
          audit.append({
            kind: 'cart.line-removed',
            staffId: actor.id,
            subject: `cart ${cart.id}`,
            detail: { sku: line.sku, quantityMilli: line.quantity_milli, unitPrice: line.price_override ?? line.list_price },
          });
          return null;
        },
        { discounts: { approver }, onCart },
      );
    },

    async setLineDiscount(actor: StaffSummary, lineId: number, discount: Discount | null, approval?: Approval): Promise<Cart> {
      /** The line as priced now: an amount more than its offers leave is refused before anything else. */
      const refuseOverLine = () => {
        const now = preview(actor, (input) => input).lines.find((l) => l.lineId === lineId);
        if (!now) throw new PosError('NOT_FOUND', `Line ${lineId} is not in the open cart, or is a return`);
        refuseLineDiscountOverLine(now, discount);
      };
      refuseOverLine();
      const priced = preview(actor, (input) => ({
        ...input,
        lines: input.lines.map((l) => (l.lineId === lineId ? { ...l, lineDiscount: discount } : l)),
      }));
      const line = priced.lines.find((l) => l.lineId === lineId);
      if (!line) throw new PosError('NOT_FOUND', `Line ${lineId} is not in the open cart, or is a return`);
      // Asks for the PIN before anything is written; whether it covers the discount is settled on
      // the cart as it is when it is written (the cart may change while the PIN is checked).
      const base = line.gross - line.promotionAmount;
      const over = line.lineDiscountAmount > percentOf(base, actor.discountLimitBasisPoints);
      const need = over ? { discountBasisPoints: shareOf(line.lineDiscountAmount, base) } : null;
      const onCart = openCartId();
      const approvedBy = await approverFor(staff, actor, approval, need, OVER_LIMIT);
      const [kind, value] = discountToRow(discount);
      return change(
        actor,
        () => {
          // checked again on the line as it is when written: it may have shrunk while the PIN was checked
          refuseOverLine();
          repo.setLineDiscount(db, lineId, kind, value, null);
          return lineId;
        },
        { discounts: { approver: approvedBy }, onCart },
      );
    },

    async setPrice(actor: StaffSummary, lineId: number, unitPrice: Cents | null, approval?: Approval): Promise<Cart> {
      const cart = openCart(actor);
      const line = lineOf(cart, lineId);
      if (line.quantity_milli < 0) throw new PosError('BAD_REQUEST', 'A returned line keeps the price it was sold at');
      // Any price override is a restricted action for a cashier; clearing one is not.
      const approvedBy = await approverFor(
        staff,
        actor,
        approval,
        unitPrice === null ? null : { permission: 'price.override' },
        'Changing a price',
      );
      // A lower price can take the line's amount discount (or the cart's) over its limit: the PIN
      // that came with the price approves that too when it is a manager's (settleDiscounts).
      const approver = approval && approvedBy !== approval.staffId ? await discountApprover(actor, approval) : approvedBy;
      return change(
        actor,
        (open) => {
          // decided again after the PIN's await: the sale may have completed, been suspended or
          // voided, or lost the line meanwhile, and a price is never written to a cart not open
          const now = repo.cartLine(db, open.id, lineId);
          if (!now || now.quantity_milli < 0)
            throw new PosError('CONFLICT', `Line ${lineId} left the open sale while the price was approved: nothing was changed`);
          repo.setLinePrice(db, lineId, unitPrice, approvedBy);
          if (unitPrice !== null)
            audit.append({
              kind: 'price.override',
              staffId: actor.id,
              approverId: approvedBy,
              subject: `cart ${open.id}`,
              detail: { lineId, sku: now.sku, from: now.list_price, to: unitPrice },
            });
          return lineId;
        },
        { discounts: { approver }, onCart: cart.id },
      );
    },

    async setCartDiscount(actor: StaffSummary, discount: Discount | null, approval?: Approval): Promise<Cart> {
      const priced = preview(actor, (input) => ({ ...input, cartDiscount: discount }));
      const applied = priced.cartDiscount;
      refuseCartDiscountOverCart(applied);
      const over = applied !== null && applied.amount > percentOf(applied.base, actor.discountLimitBasisPoints);
      const need = over ? { discountBasisPoints: shareOf(applied.amount, applied.base) } : null;
      const onCart = openCartId();
      const approvedBy = await approverFor(staff, actor, approval, need, OVER_LIMIT);
      const [kind, value] = discountToRow(discount);
      // checked again on the cart as it is when written: it may have shrunk while the PIN was checked
      return change(actor, (cart) => repo.setCartDiscount(db, cart.id, kind, value, null), {
        onCart,
        discounts: { approver: approvedBy },
        check: (current) => refuseCartDiscountOverCart(current.priced.cartDiscount),
      });
    },

    /**
     * Before the sale is written (in its transaction): a discount more than who gave or approved it
     * may give now (a role's limit lowered, a cart from before this rule) is refused, never charged.
     * Nothing recorded: the actor's own limit.
     */
    checkDiscounts(actor: StaffSummary, current: PricedCartState): void {
      const discount = firstOverLimit(givenDiscounts(current), (id) => limitOf(actor, id ?? actor.id));
      if (discount)
        throw new PosError(
          'DISCOUNT_OVER_LIMIT',
          `${describeDiscount(discount)} is more than whoever gave it may give: enter the discount again, or have a manager approve it`,
        );
    },

    /**
     * Before payment, when the cart says discountsToApprove: each discount its giver no longer covers
     * passes to the cashier, or to the manager whose PIN came with `approval` (audited), as after a
     * quantity change (settleDiscounts); nobody covers it: APPROVAL_REQUIRED, and the till asks.
     */
    async approveDiscounts(actor: StaffSummary, approval?: Approval): Promise<Cart> {
      const onCart = openCartId();
      const approver = await discountApprover(actor, approval);
      return change(actor, () => null, { discounts: { approver }, onCart });
    },

    /**
     * Completes the cart once at a time (sale-service): while `work` runs, the same cart's next
     * completion joins it and answers its outcome (a frame sent again after a dropped link, Enter
     * pressed twice), so only the first owns what it asked the cloud for. Decided before any await.
     */
    completeOnce<T>(cartId: number, work: () => Promise<T>): Promise<T> {
      const running = completions.get(cartId);
      if (running) return running as Promise<T>;
      const started = work().finally(() => completions.delete(cartId));
      completions.set(cartId, started);
      return started;
    },

    suspend(actor: StaffSummary, label: string): Cart {
      db.transaction(() => {
        const cart = openCart(actor);
        refuseWhileCompleting(cart);
        if (repo.cartLines(db, cart.id).length === 0) throw new PosError('BAD_REQUEST', 'The cart is empty: nothing to suspend');
        repo.setCartStatus(db, cart.id, 'suspended', { label, now: clock.now() });
      }).immediate();
      return this.get(actor);
    },

    listSuspended() {
      return repo.suspendedCarts(db, deps.registerCode()).map((row) => {
        const cart = repo.findCart(db, row.id) as repo.CartRow;
        return {
          id: row.id,
          label: row.label,
          lineCount: row.line_count,
          total: state(cart).dto.total,
          suspendedAt: row.updated_at,
          staffNameZh: row.name_zh,
          staffNameEn: row.name_en,
        };
      });
    },

    recall(actor: StaffSummary, cartId: number): Cart {
      const recalled = db
        .transaction(() => {
          const target = repo.findCart(db, cartId);
          if (!target || target.status !== 'suspended') throw new PosError('NOT_FOUND', `No suspended cart ${cartId}`);
          if (target.register_code !== deps.registerCode())
            throw new PosError('CONFLICT', `Cart ${cartId} is held by register ${target.register_code}`);
          const current = repo.findOpenCart(db, deps.registerCode());
          if (current) {
            if (repo.cartLines(db, current.id).length > 0) throw new PosError('CONFLICT', 'Finish, suspend or void the current sale first');
            repo.setCartStatus(db, current.id, 'voided', { voidReason: 'empty cart replaced by a recalled one', now: clock.now() });
            releaseCart(db, current.id, 'cart-voided', clock.now());
          }
          repo.setCartStatus(db, cartId, 'open', { now: clock.now() });
          return state(repo.findCart(db, cartId) as repo.CartRow).dto;
        })
        .immediate();
      deps.onChanged?.(recalled);
      return recalled;
    },

    void(actor: StaffSummary, reason: string): Cart {
      db.transaction(() => {
        const cart = openCart(actor);
        refuseWhileCompleting(cart);
        const lines = repo.cartLines(db, cart.id);
        repo.setCartStatus(db, cart.id, 'voided', { voidReason: reason, now: clock.now() });
        // what the cloud took online for this sale goes back (issue 13)
        releaseCart(db, cart.id, 'cart-voided', clock.now());
        // the order it claimed in the cloud for a sale never written is collectable again (issue 15)
        releaseCartClaim(db, cart.id, clock.now());
        if (lines.length > 0) {
          const total = state(cart).dto.total;
          audit.append({
            kind: 'cart.void',
            staffId: actor.id,
            subject: `cart ${cart.id}`,
            detail: { reason, lines: lines.length, total },
          });
          // head office sees voids too (sync, issue 5)
          appendOutbox(db, {
            kind: 'cart.voided',
            ref: `cart-${cart.id}`,
            now: clock.now(),
            payload: {
              cartId: cart.id,
              reason,
              lines: lines.length,
              total,
              staff: { id: actor.id, nameZh: actor.nameZh, nameEn: actor.nameEn },
            } satisfies CartVoidedEvent,
          });
        }
      }).immediate();
      return this.get(actor);
    },

    addReturn(actor: StaffSummary, receiptNo: string, lines: { saleLineId: number; quantity: number }[]): Cart {
      const sale = findSaleByReceipt(db, receiptNo);
      if (!sale) throw new PosError('NOT_FOUND', `No receipt ${receiptNo}`);
      return change(actor, (cart) => {
        let last: number | null = null;
        // The sale's member comes with its return, so the points it earned are reversed on that
        // member's account (the cloud takes them from the sale's member whatever the document names;
        // the receipt shows it). Another member on the cart is refused (return-member.ts).
        const saleMember = sale.member === null ? null : DocumentMember.safeParse(JSON.parse(sale.member));
        const saleMemberCode = saleMember?.success ? saleMember.data.code : null;
        if (cart.member_code !== null) {
          const onCart = findMemberByCode(db, cart.member_code);
          assertReturnMember([saleMemberCode], onCart ?? { code: cart.member_code, codes: [cart.member_code] });
        }
        const inCart = repo.cartLines(db, cart.id);
        for (const { saleLineId, quantity } of lines) {
          const sold = findSoldLine(db, saleLineId);
          if (!sold || sold.sale_id !== sale.id) throw new PosError('NOT_FOUND', `Line ${saleLineId} is not on receipt ${receiptNo}`);
          const alreadyInCart = inCart.filter((l) => l.return_of_line_id === saleLineId).reduce((sum, l) => sum - l.quantity_milli, 0);
          const returned = returnedMilli(db, saleLineId) + alreadyInCart;
          const wanted = toMilli(quantity);
          if (returned + wanted > sold.quantity_milli) {
            throw new PosError('BAD_REQUEST', `Only ${(sold.quantity_milli - returned) / MILLI} of ${sold.sku} can still be returned`);
          }
          // Pro rata on what was paid, so returning a line in parts refunds exactly its net.
          const share = (milli: number, amount: number) => roundCents((amount * milli) / sold.quantity_milli);
          const net = share(returned + wanted, sold.net) - share(returned, sold.net);
          const tax = share(returned + wanted, sold.tax) - share(returned, sold.tax);
          last = repo.insertCartLine(db, {
            cart_id: cart.id,
            product_id: sold.product_id,
            sku: sold.sku,
            name_zh: sold.name_zh,
            name_en: sold.name_en,
            category_code: sold.category_code,
            tax_class: sold.tax_class,
            list_price: sold.unit_price,
            quantity_milli: -wanted,
            weighed: Number.isInteger(sold.quantity_milli / MILLI) ? 0 : 1,
            embedded_price: 0,
            return_of_line_id: saleLineId,
            return_net: -net,
            return_tax: -tax,
            return_approved_by: null,
          });
        }
        if (cart.member_code === null && saleMemberCode !== null && findMemberByCode(db, saleMemberCode))
          prepared(db, 'UPDATE cart SET member_code = :code WHERE id = :cartId').run({ code: saleMemberCode, cartId: cart.id });
        return last;
      });
    },

    async addReturnWithoutReceipt(
      actor: StaffSummary,
      code: string,
      quantity: number,
      unitPrice: Cents | undefined,
      approval?: Approval,
    ): Promise<Cart> {
      const scan = deps.resolveScan(code);
      const product = repo.productSnapshot(db, scan.productId);
      if (!product) throw new PosError('ITEM_NOT_FOUND', 'That product is not in the catalogue');
      const onCart = openCartId();
      const approvedBy = await approverFor(staff, actor, approval, { permission: 'refund.without-receipt' }, 'A return without a receipt');
      const price = unitPrice ?? scan.unitPrice ?? product.price;
      const badPrice = validateUnitPrice(price);
      if (badPrice) throw badPrice;
      const net = lineAmount(price, quantity);
      return change(
        actor,
        (cart) =>
          repo.insertCartLine(db, {
            ...snapshotFields(cart.id, product),
            list_price: price,
            quantity_milli: -toMilli(quantity),
            weighed: Number.isInteger(quantity) ? 0 : 1,
            embedded_price: 0,
            return_of_line_id: null,
            return_net: -net,
            return_tax: 0,
            return_approved_by: approvedBy,
          }),
        { onCart },
      );
    },
  };
}

export type CartService = ReturnType<typeof createCartService>;
