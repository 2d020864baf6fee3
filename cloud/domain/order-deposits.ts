/**
 * What a customer order's prepayment (已付訂金: money the online or social order took before pickup)
 * pays for, as the cloud books it. A register document that pays with method `deposit` spends that
 * money; so does a hand-over slip (goods handed over with nothing paid at the counter). Each takes
 * its amount once, booked per document (`order_deposit`, keyed by register and receipt: a replay
 * books nothing again), and never more than is left:
 *
 *   left = paid − booked − used by pickups taken online whose document has not arrived yet
 *
 * Decided on the order's row lock, so two registers' batches spending one prepayment take turns
 * and the second finds it spent. A document that is not covered is quarantined
 * `DEPOSIT_NOT_COVERED`: a `deposit` payment is the one tender the cloud cannot see paid, and
 * unchecked it would turn any sale into a refund (cash out, a gift card or store credit loaded).
 */
import type { PoolClient, Queryable } from '../db/pool';
import { hkd } from './money';
import { MutationRejected } from './quarantine';
import type { RegisterContext } from './registers';

/** The payment method of what an order paid before pickup. */
export const DEPOSIT_METHOD = 'deposit';

/** What a document's `deposit` payments add up to. */
export function depositOf(payments: readonly { method: string; amount: number }[]): number {
  return payments.reduce((sum, p) => (p.method === DEPOSIT_METHOD ? sum + p.amount : sum), 0);
}

/** A document of a push batch that pays with an order's prepayment. */
export interface DepositClaim {
  seq: number;
  receiptNo: string;
  orderNo: string;
  amount: number;
}

/** What is spent of orders' prepayments, per order. */
export interface Spent {
  /** booked by documents and slips */
  booked: number;
  /** used by pickups on a sale receipt whose document has not been booked yet, by receipt */
  awaiting: Map<string, number>;
  /** receipts of the pushing register already booked against the order (a replay books nothing again) */
  bookedHere: Set<string>;
}

/** What each of `orderIds` has spent of its prepayment (one statement; call it under the orders' row locks). */
export async function spentOf(db: Queryable, orderIds: readonly number[], registerId: string | null): Promise<Map<number, Spent>> {
  const spent = new Map<number, Spent>(orderIds.map((id) => [id, { booked: 0, awaiting: new Map(), bookedHere: new Set() }]));
  if (orderIds.length === 0) return spent;
  const rows = (
    await db.query<{ order_id: string; source: 'booked' | 'awaiting'; receipt_no: string; register_id: string | null; amount: string }>(
      `SELECT d.order_id, 'booked' AS source, d.receipt_no, d.register_id, d.amount FROM order_deposit d WHERE d.order_id = ANY($1::bigint[])
       UNION ALL
       SELECT p.order_id, 'awaiting', p.receipt_no, p.register_id, p.applied FROM customer_order_pickup p
       WHERE p.order_id = ANY($1::bigint[]) AND p.applied > 0 AND p.released_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM order_deposit d WHERE d.order_id = p.order_id AND d.receipt_no = p.receipt_no)`,
      [orderIds],
    )
  ).rows;
  for (const r of rows) {
    const entry = spent.get(Number(r.order_id));
    if (!entry) continue;
    if (r.source === 'awaiting') entry.awaiting.set(r.receipt_no, Number(r.amount));
    else {
      entry.booked += Number(r.amount);
      if (r.register_id === registerId) entry.bookedHere.add(r.receipt_no);
    }
  }
  return spent;
}

/** What is left of a prepayment of `paid` for the document `receiptNo` (its own pickup, taken online, is not spent against it). */
export function leftFor(paid: number, spent: Spent, receiptNo: string): number {
  let awaiting = 0;
  for (const [receipt, amount] of spent.awaiting) if (receipt !== receiptNo) awaiting += amount;
  return paid - spent.booked - awaiting;
}

/** Books what documents took of orders' prepayments (one statement); a receipt booked already stays as it was. */
export async function bookDeposits(
  client: Queryable,
  register: Pick<RegisterContext, 'merchantId' | 'registerId'>,
  entries: readonly { orderId: number; receiptNo: string; amount: number }[],
  now: number,
): Promise<void> {
  const wanted = entries.filter((e) => e.amount > 0);
  if (wanted.length === 0) return;
  await client.query(
    `INSERT INTO order_deposit (merchant_id, register_id, receipt_no, order_id, amount, at)
     SELECT $1, $2, t.receipt_no, t.order_id, t.amount, $3
     FROM unnest($4::text[], $5::bigint[], $6::bigint[]) AS t(receipt_no, order_id, amount)
     ON CONFLICT DO NOTHING`,
    [
      register.merchantId,
      register.registerId,
      new Date(now),
      wanted.map((e) => e.receiptNo),
      wanted.map((e) => e.orderId),
      wanted.map((e) => e.amount),
    ],
  );
}

/** Thrown out of a batch's writes: these documents' deposits are not covered; the writes are undone and done again without them. */
export class DepositsNotCovered extends Error {
  constructor(readonly rejections: ReadonlyMap<number, MutationRejected>) {
    super(`${rejections.size} document(s) pay with a prepayment that does not cover them`);
    this.name = 'DepositsNotCovered';
  }
}

/**
 * A push batch's documents that pay with orders' prepayments, set-based: the named orders locked in
 * one statement (in id order: two batches locking the same orders never wait for each other in a
 * circle), what they spent read in one, decided in seq order, the covered ones booked in one.
 * Answers the documents refused, by seq (nothing of theirs is booked).
 */
export async function takeDeposits(
  client: PoolClient,
  register: RegisterContext,
  claims: readonly DepositClaim[],
  now: number,
): Promise<Map<number, MutationRejected>> {
  const refused = new Map<number, MutationRejected>();
  if (claims.length === 0) return refused;
  // 1. the orders, locked (a statement of its own: what they spent is read after the lock is had,
  //    so a batch that booked against them meanwhile is seen)
  const orders = new Map(
    (
      await client.query<{ id: string; order_no: string; paid: string }>(
        // the register's store's orders only: another store's prepayment is not this till's to take
        `SELECT id, order_no, paid FROM customer_order WHERE merchant_id = $1 AND store_id = $3 AND order_no = ANY($2::text[]) ORDER BY id FOR UPDATE`,
        [register.merchantId, [...new Set(claims.map((c) => c.orderNo))], register.storeId],
      )
    ).rows.map((r) => [r.order_no, { id: Number(r.id), paid: Number(r.paid) }]),
  );
  // 2. what they spent
  const spent = await spentOf(
    client,
    [...orders.values()].map((o) => o.id),
    register.registerId,
  );
  // 3. each document in turn
  const booked: { orderId: number; receiptNo: string; amount: number }[] = [];
  for (const claim of claims) {
    const order = orders.get(claim.orderNo);
    if (!order) {
      refused.set(
        claim.seq,
        new MutationRejected(
          'DEPOSIT_NOT_COVERED',
          `Receipt ${claim.receiptNo} pays ${hkd(claim.amount)} as paid before pickup (已付訂金) of order ${claim.orderNo}, which this merchant does not have`,
        ),
      );
      continue;
    }
    const mine = spent.get(order.id)!;
    if (mine.bookedHere.has(claim.receiptNo)) continue;
    const left = leftFor(order.paid, mine, claim.receiptNo);
    if (claim.amount > left) {
      refused.set(
        claim.seq,
        new MutationRejected(
          'DEPOSIT_NOT_COVERED',
          `Receipt ${claim.receiptNo} pays ${hkd(claim.amount)} as paid before pickup (已付訂金) of order ${claim.orderNo}, ` +
            `which was prepaid ${hkd(order.paid)}: only ${hkd(Math.max(0, left))} of it is left`,
        ),
      );
      continue;
    }
    mine.booked += claim.amount;
    mine.bookedHere.add(claim.receiptNo);
    mine.awaiting.delete(claim.receiptNo);
    booked.push({ orderId: order.id, receiptNo: claim.receiptNo, amount: claim.amount });
  }
  // 4. the covered ones, booked
  if (refused.size === 0) await bookDeposits(client, register, booked, now);
  return refused;
}
