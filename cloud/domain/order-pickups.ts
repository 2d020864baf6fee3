/**
 * Partial pickup and exchange against a customer order (issue 15), as the cloud applies it: the
 * lines handed over and swapped out, the reservation that is left, the money paid before that the
 * pickup uses, and the order's status (it closes with the pickup that leaves nothing to collect).
 *
 * Rules held here, whatever the register sent:
 * - The arithmetic is the cloud's own (src/shared/order-pickup.ts on the cloud's copy of the
 *   order): quantities never exceed what is left, and the prepayment the pickup uses must equal the
 *   cloud's figure (TOTAL_MISMATCH otherwise).
 * - A pickup is taken once per receipt (UNIQUE (order, receipt)): the register's question before
 *   handing over and its outbox row later are one pickup. Two registers taking the same goods:
 *   the order's row lock decides, the second is told ORDER_FINAL with who took them.
 * - Stock: a hand-over slip (`{store}-{register}-P{seq}`, nothing paid at the counter) turns the
 *   collected part of the reservation into sale movements here; a pickup paid by a sale moves its
 *   stock with that register document (collected lines and swapped-in items alike). Swapped-out
 *   lines are released: nothing moves, the reservation simply no longer counts them.
 * - A pickup on a sale receipt is checked against that document when its outbox row arrives (the
 *   document is ahead of it in the same register's queue): the collected lines at the order's
 *   prices, and the prepayment used as the document's 已付訂金 payment.
 * - A hand-over slip hands goods over on the prepayment alone: the order's prepayment left (paid
 *   less what sales' `deposit` payments and earlier slips took, order-deposits.ts) must cover the
 *   goods at the order's prices, and the slip books what it used. Checked after the order's final
 *   state and the quantities left: goods another register took are ORDER_FINAL, a slip the
 *   prepayment no longer covers (another register's sale spent it) TOTAL_MISMATCH.
 */
import { CloudError } from '../errors';
import type { PoolClient, Queryable } from '../db/pool';
import { planPickup, type OrderPickupPayload, type RegisterPickupRequest } from '../../src/shared/order-pickup';
import type { Order } from '../../src/shared/order-schemas';
import { canonicalJson } from './canonical-json';
import { appendChanges } from './change-log';
import { answerOf, findRow, loadLines, registerCaller, versionFor, type OrderBatch, type OrderCaller } from './orders';
import { hkd } from './money';
import { bookDeposits, leftFor, spentOf } from './order-deposits';
import { MutationRejected } from './quarantine';
import { refuseReleasedClaim } from './released-claims';
import type { RegisterContext } from './registers';
import { sha256 } from './secrets';
import { refuseOtherStandingClaim } from './standing-claims';
import { applyOnHand, insertMovements } from './stock';

/** A hand-over slip's number: `{store}-{register}-P{seq}`. */
export const isHandoverNo = (receiptNo: string): boolean => /-P\d+$/.test(receiptNo);

async function lastPickup(db: Queryable, orderId: number): Promise<{ receipt_no: string; by_name: string; at: Date } | undefined> {
  return (
    await db.query<{ receipt_no: string; by_name: string; at: Date }>(
      'SELECT receipt_no, by_name, at FROM customer_order_pickup WHERE order_id = $1 AND released_at IS NULL ORDER BY id DESC LIMIT 1',
      [orderId],
    )
  ).rows[0];
}

/**
 * Takes one pickup of an order, on the order's row lock; answers the order as it now is. Inside a
 * push batch, its stock and version are written at the batch's end (`OrderBatch`); else here.
 */
export async function pickupOrder(
  client: PoolClient,
  register: RegisterContext,
  /** Asked before a sale: with the claim its cart made (`claimId`), kept with the pickup; one already released is refused. */
  request: RegisterPickupRequest,
  now: number,
  batch: OrderBatch | null = null,
  /** The register's outbox row (not its question before handing over): a pickup on a sale receipt is checked against that document. */
  fromOutbox = false,
): Promise<Order> {
  // the pickup alone is what its outbox row repeats: the claim's id (and what it supersedes, applied
  // before this by claimSuperseding) is no part of it
  const { claimId, supersedes: _supersedes, ...pickup }: RegisterPickupRequest = request;
  const caller: OrderCaller = registerCaller(register);
  const { merchantId } = register;
  if (!pickup.receiptNo.startsWith(`${register.storeCode}-${register.registerCode}-`))
    throw new CloudError('BAD_REQUEST', `Receipt ${pickup.receiptNo} is not in this register's series`, {
      issues: [{ path: 'receiptNo', message: 'not this register’s number' }],
    });
  const hash = sha256(canonicalJson(pickup));
  // 1. the order, locked: every move and pickup of this order takes turns here
  const row = await findRow(client, merchantId, pickup.orderNo, true, register.storeId);
  if (!row) throw new CloudError('NOT_FOUND', `No order ${pickup.orderNo}`);
  const id = Number(row.id);
  // 1a. a claim its register released already (it arrived late) takes nothing
  if (claimId !== undefined) await refuseReleasedClaim(client, register, pickup.orderNo, claimId);

  // 2. the same pickup again (the register's retry, or its outbox row after it asked first)
  const earlier = (
    await client.query<{ register_id: string; request_hash: Buffer; claim_id: string | null }>(
      'SELECT register_id, request_hash, claim_id FROM customer_order_pickup WHERE order_id = $1 AND receipt_no = $2 AND released_at IS NULL',
      [id, pickup.receiptNo],
    )
  ).rows[0];
  const onSale = fromOutbox && !isHandoverNo(pickup.receiptNo);
  if (earlier) {
    // the same claim again, unless another claim of this register stands on that number (standing-claims.ts)
    if (earlier.register_id === register.registerId) refuseOtherStandingClaim(pickup.orderNo, pickup.receiptNo, earlier.claim_id, claimId);
    if (earlier.register_id !== register.registerId || !Buffer.from(earlier.request_hash).equals(hash))
      throw new CloudError('IDEMPOTENCY_CONFLICT', `Order ${pickup.orderNo} already has a different pickup on ${pickup.receiptNo}`);
    // taken when the register asked before the sale: the sale that paid it is checked now
    if (onSale) await refuseUnlessDocumentMatches(client, register, pickup);
    return answerOf(client, row, 'register');
  }

  // 3. a final state, or goods someone else already took
  if (row.status === 'collected' || row.status === 'cancelled')
    throw new CloudError('ORDER_FINAL', `Order ${pickup.orderNo} was already ${row.status} by ${row.final_by_name ?? 'someone'}`, {
      status: row.status,
      finalBy: row.final_by_name === null ? null : { kind: row.final_by_kind ?? 'console', name: row.final_by_name },
      finalAt: row.final_at?.getTime() ?? null,
      receiptNo: row.final_receipt_no,
    });
  const lines = (await loadLines(client, [id])).get(id) ?? [];
  const check = planPickup(
    {
      lines: lines.map((l) => ({
        line: l.line,
        sku: l.sku,
        quantityMilli: Number(l.quantity_milli),
        unitPrice: Number(l.unit_price),
        amount: Number(l.amount),
        collectedMilli: Number(l.collected_milli),
        releasedMilli: Number(l.released_milli),
      })),
      paid: Number(row.paid),
      appliedPaid: Number(row.applied_paid),
    },
    pickup,
  );
  if (!check.ok) {
    const last = await lastPickup(client, id);
    if (last && / left, not /.test(check.message))
      throw new CloudError('ORDER_FINAL', `Order ${pickup.orderNo}: ${check.message} (taken by ${last.by_name}, ${last.receipt_no})`, {
        status: 'collected',
        finalBy: { kind: 'register', name: last.by_name },
        finalAt: last.at.getTime(),
        receiptNo: last.receipt_no,
      });
    throw new CloudError('BAD_REQUEST', `Order ${pickup.orderNo}: ${check.message}`, {
      issues: [{ path: 'collect', message: check.message }],
    });
  }
  const { plan } = check;
  // 3a. the order is open and the goods are still there: a sale receipt's document must match, and a
  //     hand-over slip (nothing paid at the counter) must be covered by the prepayment left
  if (onSale) await refuseUnlessDocumentMatches(client, register, pickup);
  if (isHandoverNo(pickup.receiptNo)) {
    const spent = (await spentOf(client, [id], register.registerId)).get(id)!;
    const left = leftFor(Number(row.paid), spent, pickup.receiptNo);
    if (plan.settled > left)
      throw new CloudError(
        'TOTAL_MISMATCH',
        `Order ${pickup.orderNo}: hand-over slip ${pickup.receiptNo} hands over ${hkd(plan.settled)} of goods at the order's prices ` +
          `with nothing paid at the counter, but of the ${hkd(Number(row.paid))} prepaid only ${hkd(Math.max(0, left))} is left ` +
          `(the rest was paid with by sales and slips): take the difference at the counter`,
        { cloudApplied: plan.applied },
      );
  }
  if (plan.applied !== pickup.applied)
    throw new CloudError(
      'TOTAL_MISMATCH',
      `Order ${pickup.orderNo}: this pickup uses ${plan.applied} cents of what was paid before, not ${pickup.applied}`,
      { cloudApplied: plan.applied },
    );

  // 4. the lines, the prepayment used, the status (closed when nothing is left), the pickup and its event
  const to = plan.final ? 'collected' : row.status;
  const version = await versionFor(client, merchantId, id, batch);
  await client.query(
    `UPDATE customer_order_line l SET collected_milli = t.collected, released_milli = t.released
     FROM unnest($2::int[], $3::bigint[], $4::bigint[]) AS t(line, collected, released)
     WHERE l.order_id = $1 AND l.line = t.line`,
    [id, plan.lines.map((l) => l.line), plan.lines.map((l) => l.collectedMilli), plan.lines.map((l) => l.releasedMilli)],
  );
  await client.query(
    `UPDATE customer_order SET applied_paid = applied_paid + $2::bigint, status = $3::text, version = $4::bigint, updated_at = $5::timestamptz,
       final_by_kind = CASE WHEN $6::boolean THEN 'register' END, final_by_name = CASE WHEN $6::boolean THEN $7::text END,
       final_register_id = CASE WHEN $6::boolean THEN $8::uuid END, final_receipt_no = CASE WHEN $6::boolean THEN $9::text END,
       final_at = CASE WHEN $6::boolean THEN $5::timestamptz END
     WHERE id = $1`,
    [id, plan.applied, to, version, new Date(now), plan.final, caller.name, caller.registerId, pickup.receiptNo],
  );
  await client.query(
    `INSERT INTO customer_order_pickup (order_id, receipt_no, register_id, by_name, request_hash, collect, release, applied, final, at, claim_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      pickup.receiptNo,
      register.registerId,
      caller.name,
      hash,
      JSON.stringify(pickup.collect),
      JSON.stringify(pickup.release),
      plan.applied,
      plan.final,
      new Date(now),
      claimId ?? null,
    ],
  );
  await client.query(
    'INSERT INTO customer_order_event (order_id, from_status, to_status, actor, at, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      id,
      row.status,
      to,
      caller.ref,
      new Date(now),
      { receiptNo: pickup.receiptNo, pickup: { collect: pickup.collect, release: pickup.release, applied: plan.applied } },
    ],
  );

  // 5. a hand-over slip: what it used of the prepayment is booked (a sale books its own `deposit`),
  //    and the collected part of the reservation becomes sale movements here (once: UNIQUE (source,
  //    line)); a sale receipt moves its stock with the register's document
  if (isHandoverNo(pickup.receiptNo))
    await bookDeposits(client, register, [{ orderId: id, receiptNo: pickup.receiptNo, amount: plan.applied }], now);
  if (isHandoverNo(pickup.receiptNo) && pickup.collect.length > 0) {
    const byLine = new Map(lines.map((l) => [l.line, l]));
    const deltas = await insertMovements(
      client,
      merchantId,
      pickup.collect.map((part) => ({
        storeId: Number(row.store_id),
        storeCode: row.store_code,
        sku: byLine.get(part.line)!.sku,
        quantityMilli: -part.quantityMilli,
        reason: 'sale' as const,
        source: `order:${id}:${pickup.receiptNo}`,
        line: part.line,
      })),
      now,
    );
    if (batch) batch.stock.merge(deltas);
    else await appendChanges(client, merchantId, await applyOnHand(client, merchantId, deltas, now), now);
  }
  return answerOf(client, (await findRow(client, merchantId, pickup.orderNo)) ?? row, 'register');
}

interface DocumentLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/**
 * A pickup paid by a sale, against that document as the cloud received it: it names the order,
 * carries each collected order line at the order's price, and records exactly the prepayment the
 * pickup uses as its 已付訂金 (deposit) payment. Answers the problem, or null.
 */
async function documentProblem(client: PoolClient, register: RegisterContext, pickup: OrderPickupPayload): Promise<string | null> {
  const sale = (
    await client.query<{
      document: { order?: { orderNo?: string }; lines?: DocumentLine[]; payments?: { method: string; amount: number }[] };
    }>("SELECT document FROM sale WHERE merchant_id = $1 AND register_id = $2 AND channel = 'register' AND receipt_no = $3", [
      register.merchantId,
      register.registerId,
      pickup.receiptNo,
    ])
  ).rows[0];
  if (!sale) return `the sale ${pickup.receiptNo} that paid it is not in the cloud (quarantined?)`;
  const doc = sale.document;
  if (doc.order?.orderNo !== pickup.orderNo) return `the sale ${pickup.receiptNo} does not name order ${pickup.orderNo}`;
  const deposit = (doc.payments ?? []).filter((p) => p.method === 'deposit').reduce((sum, p) => sum + p.amount, 0);
  if (deposit !== pickup.applied) return `the sale records ${deposit} cents paid before, the pickup uses ${pickup.applied}`;
  const row = await findRow(client, register.merchantId, pickup.orderNo);
  const lines = row ? ((await loadLines(client, [Number(row.id)])).get(Number(row.id)) ?? []) : [];
  const wanted = new Map<string, number>();
  for (const part of pickup.collect) {
    const line = lines.find((l) => l.line === part.line);
    if (!line) return `the order has no line ${part.line}`;
    const key = `${line.sku}\u0000${Number(line.unit_price)}`;
    wanted.set(key, (wanted.get(key) ?? 0) + part.quantityMilli);
  }
  for (const [key, milli] of wanted) {
    const [sku, price] = key.split('\u0000') as [string, string];
    const onDocument = (doc.lines ?? [])
      .filter((l) => l.sku === sku && l.unitPrice === Number(price) && l.quantity > 0)
      .reduce((sum, l) => sum + Math.round(l.quantity * 1000), 0);
    if (onDocument < milli) return `the sale hands over ${onDocument / 1000} of ${sku} at the order's price, the pickup ${milli / 1000}`;
  }
  return null;
}

async function refuseUnlessDocumentMatches(client: PoolClient, register: RegisterContext, pickup: OrderPickupPayload): Promise<void> {
  const problem = await documentProblem(client, register, pickup);
  if (problem) throw new MutationRejected('ORDER_REFUSED', `DOES_NOT_ADD_UP: ${problem}`);
}

/**
 * A register's `order.pickup` outbox row, inside its push batch: a refused pickup is quarantined,
 * never blocking the queue. The order's final state is looked at first: goods another register
 * took are ORDER_FINAL, whatever else the pickup lacks.
 */
export async function applyOrderPickup(
  client: PoolClient,
  register: RegisterContext,
  pickup: OrderPickupPayload,
  now: number,
  batch: OrderBatch,
): Promise<void> {
  try {
    await pickupOrder(client, register, pickup, now, batch, true);
  } catch (error) {
    if (!(error instanceof CloudError)) throw error;
    throw new MutationRejected(error.code === 'ORDER_FINAL' ? 'ORDER_FINAL' : 'ORDER_REFUSED', `${error.code}: ${error.message}`);
  }
}
