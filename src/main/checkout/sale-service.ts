/**
 * Completing a cart: the document, its lines, payments, stock movements, the sync outbox row and the
 * gapless receipt number are written in ONE immediate transaction with synchronous=FULL (with the
 * receipt's print-queue row, through `onWritten`). Printing, the drawer and sync happen only after
 * COMMIT, through `onCompleted`, and can never fail a sale.
 */
import { PosError } from '../../shared/errors';
import { TRAINING_RECEIPT_PREFIX, type Receipt, type TenderInput } from '../../shared/checkout-schemas';
import type { StaffSummary } from '../../shared/schemas';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import { readIdentity } from '../settings/identity';
import type { CartService, PricedCartState } from './cart-service';
import { cashRoundingStep, refundRule } from './checkout-settings';
import { appendOutbox } from '../sync/outbox';
import type { ReceiptMember } from '../../shared/member-schemas';
import { pointsEarned as earnedPoints } from '../../shared/member-rules';
import { returnedLineMembers } from './return-member';
import { readMemberRules } from '../members/member-rules';
import { findMemberByCode, memberView, type LocalMember } from '../members/member-repo';
import type { CloudRedemption, StoredValue } from '../members/stored-value';
import { paymentStoredValueKindOf, storedValueKindOf, type StoredValuePayment } from '../../shared/stored-value';
import { GIFT_CARD_METHOD } from '../../shared/gift-card';
import { recordGiftCardLine, type GiftCards } from '../members/gift-cards';
import { releaseCart, settleWithSale } from '../members/redemptions';
import {
  findSaleByCart,
  findSaleByReceipt,
  findSoldLine,
  incrementReprint,
  nextRegisterSeq,
  receiptNumber,
  returnedMilli,
} from './sale-repo';
import { loadReceipt, receiptHeader, receiptOf, receiptPayment, receiptPromotion } from './receipt-view';
import { planTenders, type TenderPlan } from './tender-plan';
import type { PaymentMethod } from '../../shared/checkout-schemas';
import { prepared } from '../db/prepared';
import { releaseClaimsOn, settleClaim } from '../orders/order-claims';

export interface SaleServiceDeps {
  db: Db;
  clock: Clock;
  carts: CartService;
  audit: AuditLog;
  /** Inside the sale's transaction: small rows that must commit with it (the receipt's print job). */
  onWritten?: (receipt: Receipt) => void;
  onCompleted?: (receipt: Receipt) => void;
  /** Points and store credit as tenders (issue 13): asked of the cloud before, recorded inside the transaction. */
  storedValue?: StoredValue;
  /** Gift cards as tenders (issue 13): asked of the cloud before, recorded inside the transaction. */
  giftCards?: GiftCards;
  /** The customer order a cart collects (issue 15): closed inside the sale's transaction. */
  orders?: {
    /**
     * Checks the order may be collected on this receipt (`pickup`: the cart's part of it, JSON, or
     * null for the whole order); answers its channel.
     */
    checkForSale(orderNo: string, receiptNo: string, pickup: string | null): { channel: 'online' | 'social' };
    /** Records the collection (or the pickup) and its outbox row (after the document's). */
    collectWithSale(orderNo: string, receiptNo: string, pickup: string | null): void;
    claimForSale(cartId: number, orderNo: string, pickup: string | null): Promise<void>;
  };
  /**
   * 練習模式 (src/main/training): this service writes a training database; its documents are
   * numbered `TRN-{store}-{register}-{seq}` and marked `training` (printed 練習 TRAINING — NOT A RECEIPT).
   */
  training?: boolean;
}

/** What was paid before pickup goes on the document as its own payment (method `deposit`, never a tender button). */
const DEPOSIT_METHOD: PaymentMethod = { code: 'deposit', nameZh: '已付訂金', nameEn: 'Paid before', kind: 'reference' };

function activeMethods(db: Db): Map<string, PaymentMethod> {
  const rows = prepared<[], { code: string; name_zh: string; name_en: string; kind: PaymentMethod['kind'] }>(
    db,
    'SELECT code, name_zh, name_en, kind FROM payment_method WHERE active = 1 ORDER BY sort',
  ).all();
  return new Map(
    rows.map((r) => [
      r.code,
      { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, kind: paymentStoredValueKindOf(r.code) ? 'stored-value' : r.kind },
    ]),
  );
}

export function listPaymentMethods(db: Db): PaymentMethod[] {
  return [...activeMethods(db).values()];
}

function refundMethodsFor(db: Db, state: PricedCartState): ReadonlySet<string> | undefined {
  const rule = refundRule(db);
  if (rule === 'any') return undefined;
  const methods = new Set(['cash']);
  if (rule === 'cash-only') return methods;
  for (const line of state.lines) {
    if (line.return_of_line_id === null) continue;
    const sold = findSoldLine(db, line.return_of_line_id);
    if (!sold) continue;
    for (const m of prepared<{ saleId: number }, string>(db, 'SELECT method FROM payment WHERE sale_id = :saleId')
      .pluck()
      .all({ saleId: sold.sale_id }))
      methods.add(m);
  }
  return methods;
}

export function createSaleService(deps: SaleServiceDeps) {
  const { db, clock, carts, audit } = deps;

  function cartMember(state: PricedCartState): LocalMember | null {
    const code = state.cart.member_code;
    if (code === null) return null;
    const found = findMemberByCode(db, code);
    if (!found) throw new PosError('CONFLICT', `Member ${code} is no longer on this register: remove the member or find them again`);
    return found;
  }

  /**
   * The receipt's member line: earned on this document's total, the stored value it used (or paid
   * back) and the balances after them (its movements are already written).
   */
  function memberOnDocument(
    state: PricedCartState,
    found: LocalMember | null,
    storedValue: ReadonlyMap<number, StoredValuePayment>,
  ): ReceiptMember | null {
    if (found === null) return null;
    // read again: a redemption the cloud took has just written its balance into the pulled member
    const view = memberView(db, findMemberByCode(db, found.code) ?? found);
    // the merchant's rule as this register last pulled it, on the lines as they are written (the cloud
    // credits by the version in force when the sale was made: the same, once this register is up to date)
    const pricedNet = new Map(state.priced.lines.map((p) => [p.lineId, p.net]));
    // a returned line takes back points only from the member its sale earned for (return-member.ts):
    // one of a sale with no member (or another's) counts nothing here, as in the cloud
    const returnedFrom = returnedLineMembers(db, state.cart.id);
    const pointsEarned = earnedPoints(
      state.lines
        .filter((l) => !returnedFrom.has(l.id) || found.codes.includes(returnedFrom.get(l.id) ?? ''))
        .map((l) => ({ sku: l.sku, categoryCode: l.category_code, net: pricedNet.get(l.id) ?? l.return_net ?? 0 })),
      view.tier,
      readMemberRules(db),
    );
    const used = (kind: StoredValuePayment['kind']) =>
      [...storedValue.values()].filter((m) => m.kind === kind).reduce((sum, m) => sum - m.units, 0);
    const kinds = new Set([...storedValue.values()].map((m) => m.kind));
    return {
      code: view.code,
      name: view.name,
      maskedPhone: view.maskedPhone,
      tier: view.tier,
      pointsEarned,
      pointsBalance: view.points + pointsEarned,
      ...(kinds.has('points') ? { pointsRedeemed: used('points') } : {}),
      ...(kinds.has('credit') ? { storeCreditUsed: used('credit'), storeCreditBalance: view.storeCredit } : {}),
    };
  }

  function writeDocument(
    actor: StaffSummary,
    state: PricedCartState,
    plan: TenderPlan,
    methods: ReadonlyMap<string, PaymentMethod>,
    taken: ReadonlyMap<string, CloudRedemption>,
  ): Receipt {
    const identity = readIdentity(db);
    if (!identity) throw new PosError('INTERNAL', 'This register has no identity');
    const now = clock.now();
    const { cart, lines, priced, dto } = state;
    const hasReturns = lines.some((l) => l.quantity_milli < 0);
    const hasSales = lines.some((l) => l.quantity_milli > 0);
    const kind = hasReturns ? (hasSales ? 'exchange' : 'return') : 'sale';

    // 0. the member on the sale
    const found = cartMember(state);

    // 1. the receipt number: next in this register's gapless sequence
    const seq = nextRegisterSeq(db);
    const receiptNo = `${deps.training ? TRAINING_RECEIPT_PREFIX : ''}${receiptNumber(identity.store.code, identity.register.code, seq)}`;

    // 1a. points and store credit: the cloud's redemptions, the offline bound, or a refund to the
    // account (at most what it paid on the sales the return takes lines back from)
    const soldSaleIds = lines.flatMap((l) => {
      const sold = l.return_of_line_id === null ? undefined : findSoldLine(db, l.return_of_line_id);
      return sold ? [sold.sale_id] : [];
    });
    const storedValue = deps.storedValue
      ? deps.storedValue.record({ cartId: cart.id, receiptNo, member: found, payments: plan.payments, taken, soldSaleIds, now })
      : new Map<number, StoredValuePayment>();
    // 1a'. gift cards the same way; a refund goes back to the card the returned sale was paid with
    if (plan.payments.some((p) => p.method === GIFT_CARD_METHOD)) {
      if (!deps.giftCards) throw new PosError('BAD_REQUEST', 'This register takes no gift cards');
      for (const [index, movement] of deps.giftCards.recordTenders({
        cartId: cart.id,
        receiptNo,
        payments: plan.payments,
        taken,
        soldSaleIds,
        now,
      }))
        storedValue.set(index, movement);
    }
    // 1a''. the online redemptions asked on this cart: those the document carries are its movements,
    // the rest (a tender removed or changed after the cloud took it) go back through the outbox
    settleWithSale(db, cart.id, receiptNo, new Set([...storedValue.values()].filter((m) => m.units < 0).map((m) => m.key)), now);
    // the member on the document: points the till prints (the cloud settles the real figure)
    const member = memberOnDocument(state, found, storedValue);

    // 1b. the customer order this sale collects: closed here, in the sale's transaction
    let order: Receipt['order'];
    if (cart.order_no !== null) {
      if (!deps.orders) throw new PosError('INTERNAL', 'This register cannot collect orders');
      order = { orderNo: cart.order_no, channel: deps.orders.checkForSale(cart.order_no, receiptNo, cart.order_pickup).channel };
    }

    // 2. the document
    const saleId = Number(
      prepared(
        db,
        `INSERT INTO sale (register_seq, receipt_no, kind, cart_id, staff_id, subtotal, promotion_total, discount_total, tax_total, total,
             rounding, change_given, discount_approved_by, completed_at, member, channel, order_no)
           VALUES (:seq, :receiptNo, :kind, :cartId, :staffId, :subtotal, :promotionTotal, :discountTotal, :taxTotal, :total,
             :rounding, :change, :discountApprovedBy, :now, :member, :channel, :orderNo)`,
      ).run({
        seq,
        receiptNo,
        kind,
        cartId: cart.id,
        staffId: actor.id,
        subtotal: dto.subtotal,
        promotionTotal: dto.promotionTotal,
        discountTotal: dto.discountTotal,
        taxTotal: dto.taxTotal,
        total: dto.total,
        rounding: plan.rounding,
        change: plan.change,
        discountApprovedBy: cart.discount_approved_by,
        now,
        member: member === null ? null : JSON.stringify(member),
        channel: order?.channel ?? 'shop',
        orderNo: order?.orderNo ?? null,
      }).lastInsertRowid,
    );

    // 3. lines, snapshotting names, prices, promotions and approvers; 4. one stock movement each
    const pricedById = new Map(priced.lines.map((p) => [p.lineId, p]));
    const insertLine = prepared(
      db,
      `INSERT INTO sale_line (sale_id, position, product_id, sku, name_zh, name_en, category_code, tax_class, quantity_milli, list_price,
         unit_price, gross, promotions, promotion_amount, discount_amount, net, tax, price_approved_by, discount_approved_by,
         return_of_line_id, return_approved_by)
       VALUES (:saleId, :position, :productId, :sku, :nameZh, :nameEn, :categoryCode, :taxClass, :quantityMilli, :listPrice,
         :unitPrice, :gross, :promotions, :promotionAmount, :discountAmount, :net, :tax, :priceApprovedBy, :discountApprovedBy,
         :returnOfLineId, :returnApprovedBy)`,
    );
    const insertMovement = prepared(
      db,
      'INSERT INTO stock_movement (product_id, quantity_milli, reason, source, line, created_at) VALUES (:productId, :quantityMilli, :reason, :source, :line, :now)',
    );
    // The receipt is built from what is written here (receiptOf would read it all back); a test keeps the two equal.
    const receiptLines: Receipt['lines'] = [];
    let originalReceiptNo: string | null = null;
    lines.forEach((line, index) => {
      const p = pricedById.get(line.id);
      const position = index + 1;
      if (line.quantity_milli < 0 && line.return_of_line_id !== null) {
        const sold = findSoldLine(db, line.return_of_line_id);
        if (!sold || returnedMilli(db, sold.id) - line.quantity_milli > sold.quantity_milli) {
          throw new PosError('CONFLICT', `${line.sku} has already been returned in the meantime`);
        }
        originalReceiptNo ??= sold.receipt_no;
      }
      const promotions = p?.promotions ?? [];
      const written = {
        unitPrice: p?.unitPrice ?? line.list_price,
        gross: p?.gross ?? line.return_net ?? 0,
        discountAmount: p?.discountAmount ?? 0,
        net: p?.net ?? line.return_net ?? 0,
      };
      const soldLine = line.return_of_line_id === null ? undefined : findSoldLine(db, line.return_of_line_id);
      const giftCard = recordGiftCardLine(db, {
        receiptNo,
        position,
        cartLineId: line.id,
        quantityMilli: line.quantity_milli,
        unitPrice: written.unitPrice,
        soldOn: soldLine ? { receiptNo: soldLine.receipt_no, position: soldLine.position } : null,
        now,
      });
      const saleLineId = insertLine.run({
        saleId,
        position,
        productId: line.product_id,
        sku: line.sku,
        nameZh: line.name_zh,
        nameEn: line.name_en,
        categoryCode: line.category_code,
        taxClass: line.tax_class,
        quantityMilli: line.quantity_milli,
        listPrice: line.list_price,
        unitPrice: written.unitPrice,
        gross: written.gross,
        promotions: JSON.stringify(promotions),
        promotionAmount: p?.promotionAmount ?? 0,
        discountAmount: written.discountAmount,
        net: written.net,
        tax: p?.tax ?? line.return_tax ?? 0,
        priceApprovedBy: line.price_approved_by,
        discountApprovedBy: line.discount_approved_by,
        returnOfLineId: line.return_of_line_id,
        returnApprovedBy: line.return_approved_by,
      }).lastInsertRowid;
      receiptLines.push({
        id: Number(saleLineId),
        sku: line.sku,
        nameZh: line.name_zh,
        nameEn: line.name_en,
        quantity: line.quantity_milli / 1000,
        ...written,
        promotions: promotions.map(receiptPromotion),
        returnableQuantity: line.quantity_milli > 0 ? line.quantity_milli / 1000 : 0,
        ...(giftCard ? { giftCard } : {}),
      });
      insertMovement.run({
        productId: line.product_id,
        quantityMilli: -line.quantity_milli,
        reason: line.quantity_milli > 0 ? 'sale' : 'return',
        source: receiptNo,
        line: position,
        now,
      });
    });

    // 5. refunds are audited with whoever approved a return without a receipt
    if (hasReturns) {
      const returned = lines.filter((l) => l.quantity_milli < 0);
      const approverId =
        returned.find((l) => l.return_approved_by !== null && l.return_approved_by !== actor.id)?.return_approved_by ?? null;
      audit.append({
        kind: 'refund',
        staffId: actor.id,
        approverId,
        subject: receiptNo,
        detail: {
          kind,
          refund: returned.reduce((sum, l) => sum + (l.return_net ?? 0), 0),
          withoutReceipt: returned.filter((l) => l.return_of_line_id === null).length,
        },
      });
    }

    // 6. payments
    const insertPayment = prepared(
      db,
      `INSERT INTO payment (sale_id, position, method, amount, tendered, change_given, reference, approval_code, card_last4)
       VALUES (:saleId, :position, :method, :amount, :tendered, :change, :reference, :approvalCode, :cardLast4)`,
    );
    plan.payments.forEach((p, index) => insertPayment.run({ saleId, position: index + 1, ...p }));

    // 7. the cart is done
    prepared(db, "UPDATE cart SET status = 'completed', updated_at = :now WHERE id = :cartId").run({ cartId: cart.id, now });

    // 8. the outbox row, with the whole document, for the sync worker
    const receipt: Receipt = {
      saleId,
      receiptNo,
      kind,
      originalReceiptNo,
      completedAt: now,
      ...receiptHeader(db, actor.id),
      lines: receiptLines,
      subtotal: dto.subtotal,
      promotionTotal: dto.promotionTotal,
      discountTotal: dto.discountTotal,
      taxTotal: dto.taxTotal,
      total: dto.total,
      rounding: plan.rounding,
      payments: plan.payments.map((p, index) => {
        const movement = storedValue.get(index);
        return { ...receiptPayment(p, methods.get(p.method)), ...(movement ? { storedValue: movement } : {}) };
      }),
      change: plan.change,
      copy: false,
      reprintCount: 0,
      ...(member === null ? {} : { member }),
      ...(order ? { order } : {}),
      ...(deps.training ? { training: true as const } : {}),
    };
    // 8'. a claim another cart made on this number (its sale never written) is released, before this document
    releaseClaimsOn(db, receiptNo, cart.id, now);
    appendOutbox(db, { kind: `document.${kind}`, ref: receiptNo, payload: receipt, now });
    // 9. the order's move follows the document it names; the cart's claim was this sale's
    if (order) {
      deps.orders?.collectWithSale(order.orderNo, receiptNo, cart.order_pickup);
      settleClaim(db, cart.id, order.orderNo);
    }
    return receipt;
  }

  /** The tenders against what is due now: an order's cart owes its total less what was paid before pickup. */
  function planFor(state: PricedCartState, tenders: TenderInput[], methods: Map<string, PaymentMethod>): TenderPlan {
    const paidBefore = state.cart.order_no === null ? 0 : state.cart.order_paid;
    const plan = planTenders(state.dto.total - paidBefore, tenders, {
      methods,
      cashRoundingStep: cashRoundingStep(db),
      ...(state.dto.total < 0 ? { refundMethods: refundMethodsFor(db, state) } : {}),
    });
    if (state.cart.member_code === null && plan.payments.some((p) => storedValueKindOf(p.method) !== null)) {
      throw new PosError('STORED_VALUE_NO_MEMBER', 'Points and store credit pay only with a member on the sale');
    }
    if (paidBefore <= 0) return plan;
    methods.set(DEPOSIT_METHOD.code, DEPOSIT_METHOD);
    const deposit = {
      method: DEPOSIT_METHOD.code,
      amount: paidBefore,
      tendered: paidBefore,
      change: 0,
      reference: state.cart.order_no,
      approvalCode: null,
      cardLast4: null,
    };
    return { ...plan, payments: [deposit, ...plan.payments] };
  }

  /** A document read back from a training database keeps its mark. */
  const marked = (receipt: Receipt): Receipt => (deps.training ? { ...receipt, training: true } : receipt);

  return {
    /**
     * A cart that collects a customer order asks the cloud first (when it answers): of two registers
     * collecting the same order, the one the cloud refuses is told who won before any money is
     * recorded. The tenders and the stored value (which the cloud may refuse) are settled before that
     * question, so an accepted claim is followed by its sale; should the sale still fail, its retry
     * takes the same receipt number and the claim stands for it. One completion per cart at a time:
     * a second one joins the first and answers its outcome.
     */
    completeChecked(actor: StaffSummary, cartId: number, tenders: TenderInput[]): Promise<Receipt> {
      return carts.completeOnce(cartId, async () => {
        try {
          return await this.completeAsking(actor, cartId, tenders);
        } catch (error) {
          // no sale: what the cloud took (or may have taken) for it goes back, and a retry asks anew
          // (only this completion asked on the cart: any other waits for it)
          if (!findSaleByCart(db, cartId)) releaseCart(db, cartId, 'completion-failed', clock.now());
          throw error;
        }
      });
    },

    /**
     * completeChecked's work: the cloud asked first (stored value, then an order's claim), then the
     * sale written. The claim comes last: nothing after it but the sale's own checks can refuse.
     */
    async completeAsking(actor: StaffSummary, cartId: number, tenders: TenderInput[]): Promise<Receipt> {
      const state = carts.priced(cartId);
      let taken: ReadonlyMap<string, CloudRedemption> = new Map();
      if (state.cart.status === 'open' && !findSaleByCart(db, cartId)) {
        const needsCloud =
          (state.cart.order_no !== null && deps.orders) || tenders.some((t) => paymentStoredValueKindOf(t.method) !== null);
        const plan = needsCloud ? planFor(state, tenders, activeMethods(db)) : null;
        // points and store credit: the cloud takes them under the account's lock when it answers in time
        if (plan && deps.storedValue && state.cart.member_code !== null) {
          taken = await deps.storedValue.authorize(cartId, state.cart.member_code, plan.payments);
        }
        // gift cards: the same, by the card
        if (plan && deps.giftCards && plan.payments.some((p) => p.method === GIFT_CARD_METHOD)) {
          const cards = await deps.giftCards.authorize(cartId, plan.payments);
          if (cards.size > 0) taken = new Map([...taken, ...cards]);
        }
        if (state.cart.order_no !== null && deps.orders)
          await deps.orders.claimForSale(cartId, state.cart.order_no, state.cart.order_pickup);
      }
      return this.complete(actor, cartId, tenders, taken);
    },

    complete(
      actor: StaffSummary,
      cartId: number,
      tenders: TenderInput[],
      taken: ReadonlyMap<string, CloudRedemption> = new Map(),
    ): Receipt {
      const { receipt, created } = db
        .transaction(() => {
          // A retry after a lost answer gets the same receipt, never a second sale (nor a second print).
          const done = findSaleByCart(db, cartId);
          if (done) return { receipt: marked(receiptOf(db, done, false)), created: false };
          const state = carts.priced(cartId);
          if (state.cart.status !== 'open') throw new PosError('CONFLICT', `Cart ${cartId} is ${state.cart.status}, not open`);
          if (state.lines.length === 0) throw new PosError('BAD_REQUEST', 'The cart is empty');
          carts.checkDiscounts(actor, state);
          const methods = activeMethods(db);
          const plan = planFor(state, tenders, methods);
          const written = writeDocument(actor, state, plan, methods, taken);
          deps.onWritten?.(written);
          return { receipt: written, created: true };
        })
        .immediate();
      if (created) deps.onCompleted?.(receipt);
      return receipt;
    },

    find(receiptNo: string): Receipt {
      return marked(loadReceipt(db, receiptNo, false));
    },

    reprint(receiptNo: string): Receipt {
      const sale = findSaleByReceipt(db, receiptNo);
      if (!sale) throw new PosError('NOT_FOUND', `No receipt ${receiptNo} on this register`);
      incrementReprint(db, sale.id);
      return marked(loadReceipt(db, receiptNo, true));
    },
  };
}

export type SaleService = ReturnType<typeof createSaleService>;
