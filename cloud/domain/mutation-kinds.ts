/**
 * What each kind of mutation a register pushes becomes. A reader checks one mutation in memory (no
 * database: schema, kind, ref, store, receipt series, arithmetic) and answers what it would write,
 * or throws MutationRejected, which quarantines it. The batch pipeline (mutations.ts) then checks
 * SKUs and duplicates for the whole batch at once and writes everything with a few statements.
 */
import { documentArithmeticProblem, receiptSeriesOf } from './document-checks';
import { hkd } from './money';
import { depositOf } from './order-deposits';
import { holdsNul, storableJsonLine } from './payload-bytes';
import { MutationRejected, type Mutation } from './quarantine';
import type { RegisterContext } from './registers';
import { readRegisterEvent, type RegisterEventRecord } from './register-events';
import type { OutboxKind, RegisterEventKind } from '../../src/shared/outbox-kinds';
import { RedemptionRelease, type StoredValuePaymentKind } from '../../src/shared/stored-value';
import type { GiftCardLine } from '../../src/shared/gift-card';
import { MemberEnrolment } from '../../src/shared/member-schemas';
import { OrderClaimRelease, OrderTransitionPayload } from '../../src/shared/order-schemas';
import { OrderPickupPayload } from '../../src/shared/order-pickup';
import { memberCodeIn, type SaleRecord } from './sales';
import { SaleDocument, StockMovementPayload, describeIssues, toMilli } from './schemas';
import type { Movement } from './stock';
import { readStockDocument, type StockDocumentWrite } from './stock-documents';
import {
  readCountEntry,
  readCountLeave,
  readCountSession,
  type CountEntryWrite,
  type CountLeaveWrite,
  type CountSessionWrite,
} from './count-sessions';

/** What one mutation writes, once the batch's SKU and duplicate checks let it through. */
export type Write =
  /**
   * `otherSeries`: the register code of the receipt number when it is not the pushing register's
   * own; the batch accepts it only when that code belonged to a register of the store that head
   * office has since revoked (the same till enrolled again sends what it sold before).
   */
  | {
      type: 'document';
      sale: SaleRecord;
      skus: string[];
      otherSeries: string | null;
      memberCode: string | null;
      /** Points, store credit and gift cards the document paid with (value > 0) or paid back (value < 0), by their keys. */
      storedValue: StoredValueUse[];
      /** Gift cards the document sold (quantity 1: activated) or took back (quantity -1: voided), by line position. */
      giftCardLines: { position: number; sold: boolean; card: GiftCardLine }[];
      /** What the document pays with an order's prepayment (`deposit`), and the order: checked against it as the batch writes (order-deposits.ts). */
      deposit: { orderNo: string; amount: number } | null;
    }
  | { type: 'movements'; movements: Movement[]; skus: string[] }
  | { type: 'event'; event: RegisterEventRecord; skus: [] }
  | StockDocumentWrite
  | CountSessionWrite
  | CountEntryWrite
  | CountLeaveWrite
  | { type: 'member'; enrolment: MemberEnrolment; skus: [] }
  | { type: 'order'; move: OrderTransitionPayload; skus: [] }
  | { type: 'order-pickup'; pickup: OrderPickupPayload; skus: [] }
  | { type: 'order-release'; release: OrderClaimRelease; skus: [] }
  | { type: 'redemption-release'; release: RedemptionRelease; skus: [] };

export interface StoredValueUse {
  kind: StoredValuePaymentKind;
  /** a gift card's movement: the card's hash */
  cardHash: string | null;
  /** cents of value the payment took from the account (negative: paid back) */
  value: number;
  key: string;
}

export type Reader = (register: RegisterContext, mutation: Mutation) => Write;

/** document.sale | document.return | document.exchange: a completed register document. */
function documentReader(expected: SaleDocument['kind']): Reader {
  return (register, mutation) => {
    const parsed = SaleDocument.safeParse(mutation.payload);
    if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
    const doc = parsed.data;
    if (doc.kind !== expected) throw new MutationRejected('KIND_MISMATCH', `A document.${expected} mutation carries a ${doc.kind}`);
    if (mutation.ref !== doc.receiptNo)
      throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the document's receipt number ${doc.receiptNo}`);
    if (doc.store.code !== register.storeCode) {
      throw new MutationRejected(
        'STORE_MISMATCH',
        `The document is from store ${doc.store.code}; this register is enrolled in store ${register.storeCode}`,
      );
    }
    const series = receiptSeriesOf(doc.receiptNo, register.storeCode);
    if (series === null)
      throw new MutationRejected(
        'FOREIGN_RECEIPT_NO',
        `Receipt ${doc.receiptNo} is not numbered {store}-{register}-NNNNNN of store ${register.storeCode}`,
      );
    if (holdsNul(mutation.payload, mutation.payloadBytes))
      throw new MutationRejected('INVALID_PAYLOAD', 'The document holds a NUL character (U+0000), which the cloud cannot store');
    const arithmetic = documentArithmeticProblem(doc);
    if (arithmetic) throw new MutationRejected('DOES_NOT_ADD_UP', arithmetic);
    const deposit = depositOf(doc.payments);
    if (deposit > 0 && !doc.order)
      throw new MutationRejected(
        'DEPOSIT_NOT_COVERED',
        `Receipt ${doc.receiptNo} pays ${hkd(deposit)} as paid before pickup (已付訂金) but names no order whose prepayment it is`,
      );
    return {
      type: 'document',
      skus: doc.lines.map((l) => l.sku),
      otherSeries: series === register.registerCode ? null : series,
      memberCode: doc.member?.code ?? null,
      storedValue: doc.payments.flatMap((p) =>
        p.storedValue
          ? [{ kind: p.storedValue.kind, value: p.amount, key: p.storedValue.key, cardHash: p.storedValue.card?.hash ?? null }]
          : [],
      ),
      giftCardLines: doc.lines.flatMap((l, index) => (l.giftCard ? [{ position: index + 1, sold: l.quantity > 0, card: l.giftCard }] : [])),
      deposit: deposit > 0 && doc.order ? { orderNo: doc.order.orderNo, amount: deposit } : null,
      sale: {
        merchantId: register.merchantId,
        storeId: register.storeId,
        storeCode: register.storeCode,
        channel: 'register',
        registerId: register.registerId,
        registerSeq: mutation.seq,
        registerSaleId: doc.saleId,
        kind: doc.kind,
        receiptNo: doc.receiptNo,
        originalReceiptNo: doc.originalReceiptNo,
        completedAt: doc.completedAt,
        staffName: doc.staff.nameEn || doc.staff.nameZh,
        subtotal: doc.subtotal,
        promotionTotal: doc.promotionTotal,
        discountTotal: doc.discountTotal,
        taxTotal: doc.taxTotal,
        total: doc.total,
        rounding: doc.rounding,
        changeGiven: doc.change,
        memberCode: memberCodeIn(mutation.payload),
        document: mutation.payload,
        documentJson: mutation.payloadBytes && storableJsonLine(mutation.payloadBytes),
        lines: doc.lines.map((l) => ({
          sku: l.sku,
          nameZh: l.nameZh,
          nameEn: l.nameEn,
          quantityMilli: toMilli(l.quantity),
          unitPrice: l.unitPrice,
          gross: l.gross,
          promotionAmount: l.promotions.reduce((sum, p) => sum + p.amount, 0),
          discountAmount: l.discountAmount,
          net: l.net,
        })),
        payments: doc.payments.map((p) => ({
          method: p.method,
          amount: p.amount,
          tendered: p.tendered,
          changeGiven: p.change,
          reference: p.reference,
          approvalCode: p.approvalCode,
          cardLast4: p.cardLast4,
        })),
      },
    };
  };
}

/** stock.movement: goods received, counted or adjusted at the register's store. */
const stockMovement: Reader = (register, mutation) => {
  const parsed = StockMovementPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  const { reason, lines } = parsed.data;
  return {
    type: 'movements',
    skus: lines.map((l) => l.sku),
    movements: lines.map((l, index) => ({
      storeId: register.storeId,
      storeCode: register.storeCode,
      sku: l.sku,
      quantityMilli: l.quantityMilli,
      reason,
      // The register's seq is unique per register, so this source is unique for ever.
      source: `mutation:${register.registerId}:${mutation.seq}`,
      line: index + 1,
    })),
  };
};

/** member.enrolled: a member enrolled at the till (merged by phone when the merchant has it already). */
const memberEnrolled: Reader = (_register, mutation) => {
  const parsed = MemberEnrolment.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (mutation.ref !== parsed.data.provisionalCode)
    throw new MutationRejected(
      'REF_MISMATCH',
      `ref ${mutation.ref} is not the enrolment's provisional code ${parsed.data.provisionalCode}`,
    );
  return { type: 'member', skus: [], enrolment: parsed.data };
};

/** order.transition: a customer order collected (or marked ready, cancelled …) at the till. */
const orderTransition: Reader = (_register, mutation) => {
  const parsed = OrderTransitionPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (mutation.ref !== parsed.data.orderNo)
    throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the order number ${parsed.data.orderNo}`);
  return { type: 'order', skus: [], move: parsed.data };
};

/** order.pickup: part of a customer order handed over or swapped at the till (order-pickups.ts). */
const orderPickup: Reader = (_register, mutation) => {
  const parsed = OrderPickupPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (mutation.ref !== parsed.data.orderNo)
    throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the order number ${parsed.data.orderNo}`);
  return { type: 'order-pickup', skus: [], pickup: parsed.data };
};

/** order.claim-released: a claim made for a sale that was never written, undone (order-claims.ts). */
const orderClaimReleased: Reader = (register, mutation) => {
  const parsed = OrderClaimRelease.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (mutation.ref !== parsed.data.orderNo)
    throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the order number ${parsed.data.orderNo}`);
  if (!parsed.data.receiptNo.startsWith(`${register.storeCode}-${register.registerCode}-`))
    throw new MutationRejected('INVALID_PAYLOAD', `Receipt ${parsed.data.receiptNo} is not in this register's series`);
  return { type: 'order-release', skus: [], release: parsed.data };
};

/** stored-value.released: an online redemption no sale carries, given back once (online-redemptions.ts). */
const redemptionReleased: Reader = (_register, mutation) => {
  const parsed = RedemptionRelease.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (mutation.ref !== parsed.data.key) throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the redemption's key`);
  return { type: 'redemption-release', skus: [], release: parsed.data };
};

/** shift.opened | shift.closed | cash.movement | day.closed | cart.voided: kept whole once checked (register-events.ts). */
function registerEvent(kind: RegisterEventKind): Reader {
  return (register, mutation) => ({ type: 'event', skus: [], event: readRegisterEvent(register, kind, mutation) });
}

/**
 * One reader for every kind a register writes (src/shared/outbox-kinds.ts): a kind missing here,
 * or one the register cannot write, does not compile.
 */
const readerByKind = {
  'document.sale': documentReader('sale'),
  'document.return': documentReader('return'),
  'document.exchange': documentReader('exchange'),
  'stock.movement': stockMovement,
  'stock.document': (register, mutation) => readStockDocument(register, mutation),
  'shift.opened': registerEvent('shift.opened'),
  'shift.closed': registerEvent('shift.closed'),
  'cash.movement': registerEvent('cash.movement'),
  'day.closed': registerEvent('day.closed'),
  'cart.voided': registerEvent('cart.voided'),
  'member.enrolled': memberEnrolled,
  'order.transition': orderTransition,
  'order.pickup': orderPickup,
  'order.claim-released': orderClaimReleased,
  'count.session': readCountSession,
  'count.entry': readCountEntry,
  'count.leave': readCountLeave,
  'stored-value.released': redemptionReleased,
} satisfies Record<OutboxKind, Reader>;

// A Map, not an object: a kind like "constructor" must not find Object.prototype.
export const readers: ReadonlyMap<string, Reader> = new Map(Object.entries(readerByKind));

/** The mutation read by its kind's reader, or why it goes to quarantine. */
export function readMutation(register: RegisterContext, mutation: Mutation): Write | MutationRejected {
  const reader = readers.get(mutation.kind);
  if (!reader)
    return new MutationRejected(
      'UNKNOWN_KIND',
      `This server does not know mutation kind ${mutation.kind}; known: ${[...readers.keys()].join(', ')}`,
    );
  try {
    return reader(register, mutation);
  } catch (error) {
    if (error instanceof MutationRejected) return error;
    throw error;
  }
}
