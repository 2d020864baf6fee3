/**
 * Customer orders (issue 15): created by the online shop (shop key) or a register (a chat order
 * taken at the till), priced here from the cloud's own catalogue, moved through their states by
 * the shop and by registers, and pulled by the registers of the collecting store.
 *
 * Rules held here, whatever callers do:
 * - Prices and totals are the cloud's (current price of each SKU); the caller's `expectedTotal`
 *   and paid amount are compared, never used.
 * - Creating is idempotent by the caller's order number: the same request again answers the same
 *   order; a different request with that number is IDEMPOTENCY_CONFLICT.
 * - A final state (collected, cancelled) is reached once: two registers collecting at once, the
 *   order row lock decides, the second is told ORDER_FINAL with who won (and a retry by the winner
 *   answers the same order).
 * - Stock: an open order reserves its lines (derived: `reservedStock`); collecting a prepaid order
 *   turns them into sale movements at the store; a pay-at-pickup order's stock moves with the
 *   register's own sale document; cancelling releases the reservation.
 */
import type { Pool, PoolClient, Queryable } from '../db/pool';
import { sqlState, withTransaction } from '../db/tx';
import { CloudError } from '../errors';
import {
  maskPhone,
  openOrderStatuses,
  orderTransitions,
  statusesBefore,
  type CreateOrder,
  type Order,
  type OrderActor,
  type OrderStatus,
  type OrderTransition,
  type OrderTransitionPayload,
  type RegisterOrderTransition,
} from '../../src/shared/order-schemas';
import type { OrderDetail, OrderPayment, OrderSummary } from '../hq/contract';
import { orderDue } from '../../src/shared/order-pickup';
import { bookDeposits, leftFor, spentOf } from './order-deposits';
import { MutationRejected } from './quarantine';
import { refuseReleasedClaim } from './released-claims';
import type { RegisterContext } from './registers';
import { collectingClaim, refuseOtherStandingClaim } from './standing-claims';
import { canonicalJson } from './canonical-json';
import { appendChanges } from './change-log';
import { lineAmount } from './money';
import { sha256 } from './secrets';
import { OnHandDeltas, applyOnHand, insertMovements } from './stock';
import { pricesAtStore } from './store-prices';

/** Who is asking: a shop key (the online shop), an enrolled register, or a head office console user. */
export interface OrderCaller {
  kind: OrderActor['kind'];
  /** `shop-key:<id>`, `register:<uuid>` or `hq-user:<id>`: what the event log records. */
  ref: string;
  /** The shop key's label, `{store}-{register}`, or `HQ <name>`. */
  name: string;
  registerId: string | null;
  /**
   * A register's store: it moves only that store's orders (the ones it pulls); another store's order
   * is not found for it, whoever names it. Null: the shop or head office, any store of the merchant.
   */
  storeId: number | null;
}

/** A console user moving or entering an order (cloud/hq/routes/orders.ts). */
export function consoleCaller(user: { id: number; name: string }): OrderCaller {
  return { kind: 'console', ref: `hq-user:${user.id}`, name: `HQ ${user.name}`, registerId: null, storeId: null };
}

/**
 * final_by_kind as stored: 0007's CHECK names only 'shop-key' and 'register', so a console's final
 * move is stored with no kind (and its name); `finalByOf` reads that back as 'console'.
 */
function storedKind(kind: OrderActor['kind']): string | null {
  return kind === 'console' ? null : kind;
}

function finalByOf(row: OrderRow): OrderActor | null {
  if (row.final_by_name === null || row.final_at === null) return null;
  return { kind: row.final_by_kind ?? 'console', name: row.final_by_name };
}

interface OrderRow {
  id: number;
  order_no: string;
  store_code: string;
  channel: Order['channel'];
  customer_name: string;
  customer_phone: string | null;
  status: OrderStatus;
  total: number;
  paid: number;
  paid_method: string | null;
  paid_reference: string | null;
  pickup_on: string | null;
  note: string;
  request_hash: Buffer;
  version: number;
  final_by_kind: OrderActor['kind'] | null;
  final_by_name: string | null;
  final_register_id: string | null;
  final_receipt_no: string | null;
  final_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  store_id: number;
  applied_paid: number;
}

interface LineRow {
  order_id: number;
  line: number;
  sku: string;
  name_zh: string;
  name_en: string;
  quantity_milli: number;
  unit_price: number;
  amount: number;
  collected_milli: number;
  released_milli: number;
}

interface PickupRow {
  order_id: number;
  receipt_no: string;
  by_name: string;
  at: Date;
  final: boolean;
}

const ORDER_COLUMNS = `o.id, o.order_no, s.code AS store_code, o.store_id, o.channel, o.customer_name, o.customer_phone, o.status,
  o.total, o.paid, o.paid_method, o.paid_reference, to_char(o.pickup_on, 'YYYY-MM-DD') AS pickup_on, o.note, o.request_hash, o.version,
  o.final_by_kind, o.final_by_name, o.final_register_id, o.final_receipt_no, o.final_at, o.cancel_reason, o.created_at, o.updated_at,
  o.applied_paid`;

export async function loadLines(db: Queryable, orderIds: number[]): Promise<Map<number, LineRow[]>> {
  const byOrder = new Map<number, LineRow[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db.query<LineRow>(
    `SELECT order_id, line, sku, name_zh, name_en, quantity_milli, unit_price, amount, collected_milli, released_milli
     FROM customer_order_line WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, line`,
    [orderIds],
  );
  for (const row of rows.rows) {
    const list = byOrder.get(Number(row.order_id)) ?? [];
    list.push(row);
    byOrder.set(Number(row.order_id), list);
  }
  return byOrder;
}

async function loadPickups(db: Queryable, orderIds: number[]): Promise<Map<number, PickupRow[]>> {
  const byOrder = new Map<number, PickupRow[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db.query<PickupRow>(
    'SELECT order_id, receipt_no, by_name, at, final FROM customer_order_pickup WHERE order_id = ANY($1::bigint[]) AND released_at IS NULL ORDER BY id',
    [orderIds],
  );
  for (const row of rows.rows) {
    const list = byOrder.get(Number(row.order_id)) ?? [];
    list.push(row);
    byOrder.set(Number(row.order_id), list);
  }
  return byOrder;
}

/** One order as callers see it, its lines and pickups read. */
export async function answerOf(db: Queryable, row: OrderRow, audience: 'shop' | 'register'): Promise<Order> {
  const id = Number(row.id);
  return orderOf(row, (await loadLines(db, [id])).get(id) ?? [], audience, (await loadPickups(db, [id])).get(id) ?? []);
}

function lineOf(l: LineRow): Order['lines'][number] {
  return {
    line: l.line,
    sku: l.sku,
    nameZh: l.name_zh,
    nameEn: l.name_en,
    quantityMilli: Number(l.quantity_milli),
    unitPrice: Number(l.unit_price),
    amount: Number(l.amount),
    collectedMilli: Number(l.collected_milli),
    releasedMilli: Number(l.released_milli),
  };
}

/** What the counter still takes (src/shared/order-pickup.ts, the till's rule): a partly collected order counts its pickups. */
function dueOf(
  row: { status: OrderStatus; total: string | number; paid: string | number; applied_paid: string | number },
  lines: Order['lines'],
): number {
  return orderDue({
    lines,
    total: Number(row.total),
    paid: Number(row.paid),
    appliedPaid: Number(row.applied_paid),
    open: openOrderStatuses.includes(row.status),
  });
}

/** The order as callers see it; registers get the phone masked. */
function orderOf(row: OrderRow, lines: LineRow[], audience: 'shop' | 'register', pickups: PickupRow[]): Order {
  const orderLines = lines.map(lineOf);
  return {
    orderNo: row.order_no,
    storeCode: row.store_code,
    channel: row.channel,
    customerName: row.customer_name,
    customerPhone: audience === 'shop' ? row.customer_phone : maskPhone(row.customer_phone),
    status: row.status,
    lines: orderLines,
    total: Number(row.total),
    paid: Number(row.paid),
    due: dueOf(row, orderLines),
    pickupOn: row.pickup_on,
    note: row.note,
    finalBy: finalByOf(row),
    finalAt: row.final_at?.getTime() ?? null,
    receiptNo: row.final_receipt_no,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    version: Number(row.version),
    appliedPaid: Number(row.applied_paid),
    pickups: pickups.map((p) => ({ receiptNo: p.receipt_no, by: p.by_name, at: p.at.getTime(), final: p.final })),
  };
}

export type { OrderRow };

/** The order by its number; with `storeId` (a register's store) only if it is that store's. */
export async function findRow(
  db: Queryable,
  merchantId: number,
  orderNo: string,
  lock = false,
  storeId: number | null = null,
): Promise<OrderRow | undefined> {
  return (
    await db.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM customer_order o JOIN store s ON s.id = o.store_id
       WHERE o.merchant_id = $1 AND o.order_no = $2 AND ($3::bigint IS NULL OR o.store_id = $3) ${lock ? 'FOR UPDATE OF o' : ''}`,
      [merchantId, orderNo, storeId],
    )
  ).rows[0];
}

/** The next order version of this merchant; the row stays locked to COMMIT (gap-free, visible in order). */
export async function nextVersion(client: PoolClient, merchantId: number): Promise<number> {
  const row = (
    await client.query<{ last_version: number }>(
      `INSERT INTO order_counter (merchant_id, last_version) VALUES ($1, 1)
       ON CONFLICT (merchant_id) DO UPDATE SET last_version = order_counter.last_version + 1
       RETURNING last_version`,
      [merchantId],
    )
  ).rows[0];
  return Number(row?.last_version);
}

/**
 * A push batch's order moves and pickups (cloud/domain/mutations.ts): the stock they move and the
 * orders they change, written once at the batch's end. On-hand and the change log are the batch's
 * last statements anyway; the orders' new versions are taken there too (`assignBatchVersions`), so
 * the merchant's order counter is locked only from then to COMMIT, not across the rest of the
 * batch (a till's own collection waits for that lock, and a batch holding it while it waited for
 * the row lock of an order that collection holds was a deadlock).
 */
export interface OrderBatch {
  stock: OnHandDeltas;
  /** Orders changed, in the order first changed; their version is 0 until `assignBatchVersions`. */
  orders: number[];
}

export function newOrderBatch(): OrderBatch {
  return { stock: new OnHandDeltas(), orders: [] };
}

/** The version a move or pickup writes: the counter's next now, or (in a batch) one given at its end. */
export async function versionFor(client: PoolClient, merchantId: number, orderId: number, batch: OrderBatch | null): Promise<number> {
  if (!batch) return nextVersion(client, merchantId);
  if (!batch.orders.includes(orderId)) batch.orders.push(orderId);
  return 0;
}

/** A batch's changed orders take the merchant's next versions, in the order they were changed (one statement). */
export async function assignBatchVersions(client: Queryable, merchantId: number, orderIds: readonly number[]): Promise<void> {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return;
  await client.query(
    `WITH counter AS (
       INSERT INTO order_counter (merchant_id, last_version) VALUES ($1, $2)
       ON CONFLICT (merchant_id) DO UPDATE SET last_version = order_counter.last_version + $2
       RETURNING last_version
     )
     UPDATE customer_order o SET version = counter.last_version - $2 + t.ord
     FROM counter, unnest($3::bigint[]) WITH ORDINALITY AS t(id, ord)
     WHERE o.id = t.id AND o.merchant_id = $1`,
    [merchantId, ids.length, ids],
  );
}

export async function getOrder(db: Queryable, merchantId: number, orderNo: string, audience: 'shop' | 'register'): Promise<Order> {
  const row = await findRow(db, merchantId, orderNo);
  if (!row) throw new CloudError('NOT_FOUND', `No order ${orderNo}`);
  return await answerOf(db, row, audience);
}

export interface PricedLine {
  line: number;
  sku: string;
  nameZh: string;
  nameEn: string;
  quantityMilli: number;
  unitPrice: number;
  amount: number;
}

/**
 * Lines named by SKU and quantity, priced as the collecting store charges now (its own price or
 * the merchant's, cloud/domain/store-prices.ts), with the cloud's names. BAD_REQUEST (issues per
 * line) for a SKU not in the catalogue, not sold any more, or without a price. The one pricing of
 * an order: creating one, and the console's quote before it is entered.
 */
export async function priceOrder(
  db: Queryable,
  merchantId: number,
  storeId: number,
  requested: readonly { sku: string; quantity: number }[],
  now: number,
): Promise<{ lines: PricedLine[]; total: number }> {
  const skus = [...new Set(requested.map((l) => l.sku))];
  const products = await db.query<{ sku: string; name_zh: string; name_en: string; active: boolean }>(
    'SELECT sku, name_zh, name_en, active FROM product WHERE merchant_id = $1 AND sku = ANY($2::text[])',
    [merchantId, skus],
  );
  const bySku = new Map(products.rows.map((p) => [p.sku, p]));
  const prices = await pricesAtStore(db, merchantId, storeId, skus, now);
  const issues = requested.flatMap((line, index) => {
    const product = bySku.get(line.sku);
    if (!product) return [{ path: `lines.${index}.sku`, message: `${line.sku} is not in the catalogue` }];
    if (!product.active) return [{ path: `lines.${index}.sku`, message: `${line.sku} is not sold any more` }];
    if (!prices.has(line.sku)) return [{ path: `lines.${index}.sku`, message: `${line.sku} has no price yet` }];
    return [];
  });
  if (issues.length > 0) throw new CloudError('BAD_REQUEST', `Invalid order: ${issues[0]?.message}`, { issues });
  const lines = requested.map((line, index) => {
    const product = bySku.get(line.sku)!;
    const quantityMilli = Math.round(line.quantity * 1000);
    const unitPrice = prices.get(line.sku)!;
    return {
      line: index + 1,
      sku: line.sku,
      nameZh: product.name_zh,
      nameEn: product.name_en,
      quantityMilli,
      unitPrice,
      amount: lineAmount(unitPrice, quantityMilli),
    };
  });
  return { lines, total: lines.reduce((sum, l) => sum + l.amount, 0) };
}

export interface CreatedOrder {
  order: Order;
  created: boolean;
}

export async function createOrder(
  pool: Pool,
  merchantId: number,
  request: CreateOrder,
  caller: OrderCaller,
  now: number,
): Promise<CreatedOrder> {
  const requestHash = sha256(canonicalJson(request));
  const audience = caller.kind === 'shop-key' ? 'shop' : 'register';
  const replay = async (db: Queryable): Promise<CreatedOrder | null> => {
    const row = await findRow(db, merchantId, request.orderNo);
    if (!row) return null;
    if (!Buffer.from(row.request_hash).equals(requestHash))
      throw new CloudError('IDEMPOTENCY_CONFLICT', `Order ${request.orderNo} was already created with different content`);
    return { order: await answerOf(db, row, audience), created: false };
  };
  const before = await replay(pool);
  if (before) return before;

  try {
    return await withTransaction(pool, async (client) => {
      // 1. the store and the cloud's own names and current prices (the caller sent none)
      const store = (
        await client.query<{ id: number; code: string }>('SELECT id, code FROM store WHERE merchant_id = $1 AND code = $2', [
          merchantId,
          request.store,
        ])
      ).rows[0];
      if (!store) throw new CloudError('NOT_FOUND', `No store ${request.store}`);
      const { lines: priced, total } = await priceOrder(client, merchantId, Number(store.id), request.lines, now);
      if (request.expectedTotal !== null && request.expectedTotal !== total)
        throw new CloudError('TOTAL_MISMATCH', `The order costs ${total} cents at today's prices, not ${request.expectedTotal}`, {
          cloudTotal: total,
        });
      const paid = request.paid?.amount ?? 0;
      if (paid > total)
        throw new CloudError('TOTAL_MISMATCH', `${paid} cents paid is more than the order's ${total}`, { cloudTotal: total });

      // 2. the order, its lines and its first event, at the merchant's next version
      const version = await nextVersion(client, merchantId);
      const inserted = (
        await client.query<{ id: number }>(
          `INSERT INTO customer_order (merchant_id, store_id, order_no, channel, customer_name, customer_phone, status, total, paid,
             paid_method, paid_reference, pickup_on, note, request_hash, created_by, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'new', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
           RETURNING id`,
          [
            merchantId,
            store.id,
            request.orderNo,
            request.channel,
            request.customer.name,
            request.customer.phone,
            total,
            paid,
            request.paid?.method ?? null,
            request.paid?.reference ?? null,
            request.pickupOn,
            request.note,
            requestHash,
            caller.ref,
            version,
            new Date(now),
          ],
        )
      ).rows[0] as { id: number };
      await client.query(
        `INSERT INTO customer_order_line (order_id, line, merchant_id, sku, name_zh, name_en, quantity_milli, unit_price, amount)
         SELECT $1, t.line, $2, t.sku, t.name_zh, t.name_en, t.quantity_milli, t.unit_price, t.amount
         FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[])
           AS t(line, sku, name_zh, name_en, quantity_milli, unit_price, amount)`,
        [
          inserted.id,
          merchantId,
          priced.map((l) => l.line),
          priced.map((l) => l.sku),
          priced.map((l) => l.nameZh),
          priced.map((l) => l.nameEn),
          priced.map((l) => l.quantityMilli),
          priced.map((l) => l.unitPrice),
          priced.map((l) => l.amount),
        ],
      );
      await client.query(
        `INSERT INTO customer_order_event (order_id, from_status, to_status, actor, at, detail) VALUES ($1, NULL, 'new', $2, $3, $4)`,
        [inserted.id, caller.ref, new Date(now), { total, paid }],
      );
      const row = (await findRow(client, merchantId, request.orderNo)) as OrderRow;
      return { order: await answerOf(client, row, audience), created: true };
    });
  } catch (error) {
    // The same order created concurrently: the other request won; answer as a replay (or a conflict).
    if (sqlState(error) === '23505') {
      const after = await replay(pool);
      if (after) return after;
    }
    throw error;
  }
}

/**
 * Moves an order. The decision is made on the order row locked FOR UPDATE, so of two registers
 * collecting at once exactly one moves it; the other gets ORDER_FINAL naming the winner. The same
 * move asked again by the one who made it (a retried request) answers the order unchanged.
 */
export async function transitionOrder(
  pool: Pool,
  merchantId: number,
  orderNo: string,
  transition: OrderTransition | RegisterOrderTransition,
  caller: OrderCaller,
  now: number,
): Promise<Order> {
  return withTransaction(pool, (client) => moveOrder(client, merchantId, orderNo, transition, caller, now));
}

/**
 * A register's `order.transition` outbox row, inside its push batch: a refused move is quarantined,
 * never blocking the queue. Its stock and version are the batch's, written at its end (`OrderBatch`).
 */
export async function applyOrderMove(
  client: PoolClient,
  register: RegisterContext,
  move: OrderTransitionPayload,
  now: number,
  batch: OrderBatch,
): Promise<void> {
  try {
    await moveOrder(client, register.merchantId, move.orderNo, move, registerCaller(register), now, batch);
  } catch (error) {
    if (!(error instanceof CloudError)) throw error;
    throw new MutationRejected(error.code === 'ORDER_FINAL' ? 'ORDER_FINAL' : 'ORDER_REFUSED', `${error.code}: ${error.message}`);
  }
}

export function registerCaller(register: RegisterContext): OrderCaller {
  return {
    kind: 'register',
    ref: `register:${register.registerId}`,
    name: `${register.storeCode}-${register.registerCode}`,
    registerId: register.registerId,
    storeId: register.storeId,
  };
}

/** `transitionOrder` in the caller's transaction (a register's claim runs it after the releases it supersedes, order-claims.ts). */
export async function moveOrder(
  client: PoolClient,
  merchantId: number,
  orderNo: string,
  /** A register collecting before a sale names its cart's claim (`claimId`): one it already released is refused. */
  transition: OrderTransition | RegisterOrderTransition,
  caller: OrderCaller,
  now: number,
  /** Inside a push batch: its stock and version are written at the batch's end; else here. */
  batch: OrderBatch | null = null,
): Promise<Order> {
  const audience = caller.kind === 'shop-key' ? 'shop' : 'register';
  if (transition.to === 'collected' && caller.kind !== 'register')
    throw new CloudError('FORBIDDEN', 'Orders are collected at a register (the counter hands them over)');
  if (transition.to === 'collected' && transition.receiptNo === null)
    throw new CloudError('BAD_REQUEST', 'Collecting needs the receipt it was handed over on (receiptNo)', {
      issues: [{ path: 'receiptNo', message: 'required to collect' }],
    });
  // 1. the order, locked: every move of this order takes turns here
  const row = await findRow(client, merchantId, orderNo, true, caller.storeId);
  if (!row) throw new CloudError('NOT_FOUND', `No order ${orderNo}`);
  const answer = async (current: OrderRow) => await answerOf(client, current, audience);
  const claimId = 'claimId' in transition ? transition.claimId : undefined;

  // 2. decide: a claim its register released already (it arrived late), a replay (or another claim
  //    of this register standing on that number), a final state someone else reached, a move the
  //    machine forbids
  if (claimId !== undefined && caller.registerId !== null)
    await refuseReleasedClaim(client, { merchantId, registerId: caller.registerId }, orderNo, claimId);
  const sameMove =
    row.status === transition.to &&
    (transition.to !== 'collected' || (row.final_register_id === caller.registerId && row.final_receipt_no === transition.receiptNo)) &&
    (transition.to !== 'cancelled' || row.final_by_name === caller.name);
  if (sameMove) {
    // this register's claim on that number: the same claim again, unless another id stands (standing-claims.ts)
    if (transition.to === 'collected' && transition.receiptNo !== null)
      refuseOtherStandingClaim(
        orderNo,
        transition.receiptNo,
        (await collectingClaim(client, Number(row.id), transition.receiptNo)).claimId,
        claimId,
      );
    return answer(row);
  }
  if (row.status === 'collected' || row.status === 'cancelled') {
    const who = row.final_by_name ?? 'someone';
    throw new CloudError('ORDER_FINAL', `Order ${orderNo} was already ${row.status} by ${who}`, {
      status: row.status,
      finalBy: finalByOf(row),
      finalAt: row.final_at?.getTime() ?? null,
      receiptNo: row.final_receipt_no,
    });
  }
  if (!orderTransitions[row.status].includes(transition.to))
    throw new CloudError('ORDER_TRANSITION_INVALID', `Order ${orderNo} is ${row.status}: it cannot go to ${transition.to}`, {
      status: row.status,
      allowedFrom: statusesBefore(transition.to),
    });

  // 2a. part of the order was already handed over (or swapped) at a pickup: collecting it all again
  //     would hand those goods over twice; the rest is collected by a pickup (order-pickups.ts)
  if (transition.to === 'collected') {
    const last = (
      await client.query<{ receipt_no: string; by_name: string; at: Date }>(
        'SELECT receipt_no, by_name, at FROM customer_order_pickup WHERE order_id = $1 AND released_at IS NULL ORDER BY id DESC LIMIT 1',
        [row.id],
      )
    ).rows[0];
    if (last)
      throw new CloudError('ORDER_FINAL', `Order ${orderNo} was already partly collected by ${last.by_name} (${last.receipt_no})`, {
        status: 'collected',
        finalBy: { kind: 'register', name: last.by_name },
        finalAt: last.at.getTime(),
        receiptNo: last.receipt_no,
        // the order itself is still open (the rest is collected by a pickup): a register must not mark it final
        open: true,
      });
  }

  // 3. the move, at the merchant's next version, and its event
  const final = transition.to === 'collected' || transition.to === 'cancelled';
  const version = await versionFor(client, merchantId, Number(row.id), batch);
  await client.query(
    `UPDATE customer_order SET status = $2, version = $3, updated_at = $4,
       final_by_kind = $5, final_by_name = $6, final_register_id = $7, final_receipt_no = $8, final_at = $9, cancel_reason = $10
     WHERE id = $1`,
    [
      row.id,
      transition.to,
      version,
      new Date(now),
      final ? storedKind(caller.kind) : null,
      final ? caller.name : null,
      final ? caller.registerId : null,
      transition.to === 'collected' ? transition.receiptNo : null,
      final ? new Date(now) : null,
      transition.to === 'cancelled' ? transition.reason : null,
    ],
  );
  await client.query(
    'INSERT INTO customer_order_event (order_id, from_status, to_status, actor, at, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      row.id,
      row.status,
      transition.to,
      caller.ref,
      new Date(now),
      // the claim it was made with: its release undoes this collection only (order-claims.ts)
      { receiptNo: transition.receiptNo, reason: transition.reason, ...(claimId !== undefined ? { claimId } : {}) },
    ],
  );

  // 4. a prepaid order handed over: what is left of its prepayment is booked to the hand-over
  //    (order-deposits.ts: a sale's 已付訂金 against it later finds nothing left), and its
  //    reservation becomes sale movements at the store (once: UNIQUE (source, line)). A
  //    pay-at-pickup order's stock moves with the register's sale, which books its own deposit.
  if (transition.to === 'collected' && Number(row.paid) === Number(row.total)) {
    if (caller.registerId !== null && transition.receiptNo !== null) {
      const spent = (await spentOf(client, [Number(row.id)], caller.registerId)).get(Number(row.id))!;
      const left = leftFor(Number(row.paid), spent, transition.receiptNo);
      await bookDeposits(
        client,
        { merchantId, registerId: caller.registerId },
        [{ orderId: Number(row.id), receiptNo: transition.receiptNo, amount: left }],
        now,
      );
    }
    const lines = (await loadLines(client, [row.id])).get(Number(row.id)) ?? [];
    const deltas = await insertMovements(
      client,
      merchantId,
      lines.map((l) => ({
        storeId: Number(row.store_id),
        storeCode: row.store_code,
        sku: l.sku,
        quantityMilli: -Number(l.quantity_milli),
        reason: 'sale' as const,
        source: `order:${row.id}`,
        line: l.line,
      })),
      now,
    );
    if (batch) batch.stock.merge(deltas);
    else await appendChanges(client, merchantId, await applyOnHand(client, merchantId, deltas, now), now);
  }
  return answer((await findRow(client, merchantId, orderNo)) as OrderRow);
}

export interface OrderPage {
  orders: Order[];
  /** Ask again with `since` = this. */
  next: number;
  more: boolean;
  /** What the store's open orders hold back, per SKU (thousandths). */
  reserved: { sku: string; quantityMilli: number }[];
}

/** A register's pull: its store's orders changed after `since`, oldest change first. */
export async function pullOrders(pool: Pool, merchantId: number, storeId: number, since: number, limit: number): Promise<OrderPage> {
  const rows = (
    await pool.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM customer_order o JOIN store s ON s.id = o.store_id
       WHERE o.merchant_id = $1 AND o.store_id = $2 AND o.version > $3 ORDER BY o.version LIMIT $4`,
      [merchantId, storeId, since, limit + 1],
    )
  ).rows;
  const page = rows.slice(0, limit);
  const lines = await loadLines(
    pool,
    page.map((r) => Number(r.id)),
  );
  const pickups = await loadPickups(
    pool,
    page.map((r) => Number(r.id)),
  );
  return {
    orders: page.map((row) => orderOf(row, lines.get(Number(row.id)) ?? [], 'register', pickups.get(Number(row.id)) ?? [])),
    next: page.length > 0 ? Number(page[page.length - 1]?.version) : since,
    more: rows.length > limit,
    reserved: await reservedStock(pool, storeId),
  };
}

/** What open orders hold back at a store, per SKU. */
export async function reservedStock(db: Queryable, storeId: number): Promise<{ sku: string; quantityMilli: number }[]> {
  const rows = await db.query<{ sku: string; quantity_milli: string }>(
    `SELECT l.sku, sum(l.quantity_milli - l.collected_milli - l.released_milli) AS quantity_milli
     FROM customer_order o JOIN customer_order_line l ON l.order_id = o.id
     WHERE o.store_id = $1 AND o.status = ANY($2::text[]) AND l.quantity_milli > l.collected_milli + l.released_milli
     GROUP BY l.sku ORDER BY l.sku`,
    [storeId, openOrderStatuses],
  );
  return rows.rows.map((r) => ({ sku: r.sku, quantityMilli: Number(r.quantity_milli) }));
}

// ---------------------------------------------------------------------------------------------
// Head office (cloud/hq/routes/orders.ts): the merchant's orders listed and read, phones masked.

export interface OrderListFilter {
  /** The stores the reader may see (a store manager's); null: every store. */
  storeScope: number[] | null;
  storeId: number | null;
  status: OrderStatus | null;
  channel: Order['channel'] | null;
  /** Created at or after / before (ms). */
  from: number | null;
  until: number | null;
  offset: number;
  limit: number;
}

/** A page of the merchant's orders, last changed first, with how many match in all. */
export async function listOrders(
  db: Queryable,
  merchantId: number,
  filter: OrderListFilter,
): Promise<{ orders: OrderSummary[]; count: number }> {
  const where = `o.merchant_id = $1 AND ($2::bigint[] IS NULL OR o.store_id = ANY($2::bigint[])) AND ($3::bigint IS NULL OR o.store_id = $3)
    AND ($4::text IS NULL OR o.status = $4) AND ($5::text IS NULL OR o.channel = $5)
    AND ($6::timestamptz IS NULL OR o.created_at >= $6) AND ($7::timestamptz IS NULL OR o.created_at < $7)`;
  const params = [
    merchantId,
    filter.storeScope,
    filter.storeId,
    filter.status,
    filter.channel,
    filter.from === null ? null : new Date(filter.from),
    filter.until === null ? null : new Date(filter.until),
  ];
  const count = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM customer_order o WHERE ${where}`, params)).rows[0];
  const rows = (
    await db.query<{
      id: string;
      order_no: string;
      channel: Order['channel'];
      customer_name: string;
      customer_phone: string | null;
      items: string;
      total: string;
      paid: string;
      applied_paid: string;
      status: OrderStatus;
      store_id: string;
      store_code: string;
      created_at: Date;
      updated_at: Date;
      picked: boolean;
    }>(
      `SELECT o.id, o.order_no, o.channel, o.customer_name, o.customer_phone, o.total, o.paid, o.applied_paid, o.status, o.store_id, s.code AS store_code,
         o.created_at, o.updated_at, (SELECT count(*) FROM customer_order_line l WHERE l.order_id = o.id) AS items,
         EXISTS (SELECT 1 FROM customer_order_pickup p WHERE p.order_id = o.id AND p.released_at IS NULL) AS picked
       FROM customer_order o JOIN store s ON s.id = o.store_id
       WHERE ${where} ORDER BY o.updated_at DESC, o.id DESC OFFSET $8 LIMIT $9`,
      [...params, filter.offset, filter.limit],
    )
  ).rows;
  const lines = await loadLines(
    db,
    rows.map((r) => Number(r.id)),
  );
  return {
    count: Number(count?.n ?? 0),
    orders: rows.map((r) => ({
      orderNo: r.order_no,
      channel: r.channel,
      customerName: r.customer_name,
      customerPhone: maskPhone(r.customer_phone),
      items: Number(r.items),
      total: Number(r.total),
      paid: Number(r.paid),
      due: dueOf(r, (lines.get(Number(r.id)) ?? []).map(lineOf)),
      status: r.status,
      partlyCollected: r.picked && (r.status === 'new' || r.status === 'preparing' || r.status === 'ready'),
      storeId: Number(r.store_id),
      storeCode: r.store_code,
      createdAt: r.created_at.getTime(),
      updatedAt: r.updated_at.getTime(),
    })),
  };
}

/** One order for head office: masked phone, its payments and every move with who made it. */
export async function orderDetail(db: Queryable, merchantId: number, orderNo: string): Promise<OrderDetail> {
  const row = await findRow(db, merchantId, orderNo);
  if (!row) throw new CloudError('NOT_FOUND', `No order ${orderNo}`);
  const order = await answerOf(db, row, 'register');
  const payments: OrderPayment[] =
    order.paid > 0 ? [{ when: 'prepaid', method: row.paid_method ?? '', amount: order.paid, reference: row.paid_reference }] : [];
  if (row.status === 'collected' && row.final_register_id !== null && row.final_receipt_no !== null) {
    const atPickup = await db.query<{ method: string; amount: string; reference: string | null }>(
      `SELECT p.method, p.amount, p.reference FROM sale s JOIN sale_payment p ON p.sale_id = s.id
       WHERE s.merchant_id = $1 AND s.register_id = $2 AND s.receipt_no = $3 ORDER BY p.position`,
      [merchantId, row.final_register_id, row.final_receipt_no],
    );
    for (const p of atPickup.rows) payments.push({ when: 'at-pickup', method: p.method, amount: Number(p.amount), reference: p.reference });
  }
  const events = await db.query<{
    at: Date;
    from_status: OrderStatus | null;
    to_status: OrderStatus;
    actor: string;
    by: string | null;
    detail: { reason?: string | null; receiptNo?: string | null };
  }>(
    `SELECT e.at, e.from_status, e.to_status, e.actor, e.detail,
       CASE split_part(e.actor, ':', 1)
         WHEN 'register' THEN (SELECT s.code || '-' || r.code FROM register r JOIN store s ON s.id = r.store_id
                               WHERE r.id::text = substr(e.actor, 10))
         WHEN 'shop-key' THEN (SELECT k.label FROM shop_key k WHERE k.id::text = substr(e.actor, 10))
         WHEN 'hq-user' THEN (SELECT 'HQ ' || u.name FROM hq_user u WHERE u.id::text = substr(e.actor, 9))
       END AS by
     FROM customer_order_event e WHERE e.order_id = $1 ORDER BY e.id`,
    [row.id],
  );
  return {
    order,
    storeId: Number(row.store_id),
    payments,
    history: events.rows.map((e) => ({
      at: e.at.getTime(),
      from: e.from_status,
      to: e.to_status,
      by: e.by ?? e.actor,
      reason: e.detail.reason ?? null,
      receiptNo: e.detail.receiptNo ?? null,
    })),
  };
}
