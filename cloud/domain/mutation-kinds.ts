/**
 * What each kind of mutation a register pushes does. An applier either applies its mutation (and
 * returns the on-hand deltas it caused) or throws MutationRejected, which quarantines it.
 */
import type { Queryable } from '../db/pool';
import { MutationRejected } from './quarantine';
import type { RegisterContext } from './registers';
import { insertSale, missingSkus } from './sales';
import { SaleDocument, StockMovementPayload, describeIssues, toMilli } from './schemas';
import { insertMovements, type OnHandDeltas } from './stock';
import { applyRegisterEvent } from './register-events';
import type { OutboxKind } from '../../src/shared/outbox-kinds';

export interface Mutation {
  seq: number;
  kind: string;
  ref: string;
  payload: unknown;
}

export type Applier = (client: Queryable, register: RegisterContext, mutation: Mutation, now: number) => Promise<OnHandDeltas>;

async function requireKnownSkus(client: Queryable, register: RegisterContext, skus: string[]): Promise<void> {
  const missing = await missingSkus(client, register.merchantId, skus);
  if (missing.length > 0) {
    throw new MutationRejected('UNKNOWN_SKU', `Not in the catalogue: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`);
  }
}

/** document.sale | document.return | document.exchange: a completed register document. */
function documentApplier(expected: SaleDocument['kind']): Applier {
  return async (client, register, mutation, now) => {
    const parsed = SaleDocument.safeParse(mutation.payload);
    if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
    const doc = parsed.data;
    if (doc.kind !== expected) throw new MutationRejected('KIND_MISMATCH', `A document.${expected} mutation carries a ${doc.kind}`);
    if (mutation.ref !== doc.receiptNo) throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the document's receipt number ${doc.receiptNo}`);
    if (doc.store.code !== register.storeCode) {
      throw new MutationRejected('STORE_MISMATCH', `The document is from store ${doc.store.code}; this register is enrolled in store ${register.storeCode}`);
    }
    await requireKnownSkus(client, register, doc.lines.map((l) => l.sku));
    const earlier = (
      await client.query<{ register_id: string; register_seq: number | null }>(
        "SELECT register_id, register_seq FROM sale WHERE merchant_id = $1 AND channel = 'register' AND receipt_no = $2",
        [register.merchantId, doc.receiptNo],
      )
    ).rows[0];
    if (earlier) {
      throw new MutationRejected('DUPLICATE_DOCUMENT', `Receipt ${doc.receiptNo} was already received from register ${earlier.register_id} as seq ${earlier.register_seq}`);
    }
    const { deltas } = await insertSale(
      client,
      {
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
        document: mutation.payload,
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
      now,
    );
    return deltas;
  };
}

/** stock.movement: goods received, counted or adjusted at the register's store. */
const stockMovement: Applier = async (client, register, mutation, now) => {
  const parsed = StockMovementPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  const { reason, lines } = parsed.data;
  await requireKnownSkus(client, register, lines.map((l) => l.sku));
  return insertMovements(
    client,
    register.merchantId,
    lines.map((l, index) => ({
      storeId: register.storeId,
      storeCode: register.storeCode,
      sku: l.sku,
      quantityMilli: l.quantityMilli,
      reason,
      // The register's seq is unique per register, so this source is unique for ever.
      source: `mutation:${register.registerId}:${mutation.seq}`,
      line: index + 1,
    })),
    now,
  );
};

/**
 * One applier for every kind a register writes (src/shared/outbox-kinds.ts): a kind missing here,
 * or one the register cannot write, does not compile.
 */
const applierByKind = {
  'document.sale': documentApplier('sale'),
  'document.return': documentApplier('return'),
  'document.exchange': documentApplier('exchange'),
  'stock.movement': stockMovement,
  'shift.opened': applyRegisterEvent,
  'shift.closed': applyRegisterEvent,
  'cash.movement': applyRegisterEvent,
  'cash.count': applyRegisterEvent,
  'day.closed': applyRegisterEvent,
  'cart.voided': applyRegisterEvent,
  'drawer.opened': applyRegisterEvent,
} satisfies Record<OutboxKind, Applier>;

// A Map, not an object: a kind like "constructor" must not find Object.prototype.
export const appliers: ReadonlyMap<string, Applier> = new Map(Object.entries(applierByKind));
