/**
 * SQL for the register's copy of the store's customer orders (migrations/0015-orders.sql): the
 * pulled pages applied by the sync worker, this register's own moves until the cloud confirms
 * them, and the queue as the till shows it. Also run inside the worker (own connection): no state.
 */
import type { Order, OrderPullPage, OrderStatus, TillOrder, OrderFilter, TillOrderList } from '../../shared/order-schemas';
import { OrderLine } from '../../shared/order-schemas';
import * as z from '../../shared/zod';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { readSetting, writeSetting } from '../settings/settings-repo';

export const ORDER_CURSOR_KEY = 'orders.cursor';
export const ORDER_PULLED_AT_KEY = 'orders.pulledAt';

export interface OrderRow {
  order_no: string;
  channel: TillOrder['channel'];
  customer_name: string;
  customer_phone: string | null;
  status: OrderStatus;
  lines: string;
  total: number;
  paid: number;
  pickup_on: string | null;
  note: string;
  final_by: string | null;
  final_at: number | null;
  receipt_no: string | null;
  cancel_reason: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  local_status: Exclude<OrderStatus, 'new'> | null;
  local_receipt_no: string | null;
  local_at: number | null;
  conflict: string | null;
}

const RANK: Record<OrderStatus, number> = { new: 0, preparing: 1, ready: 2, collected: 3, cancelled: 3 };
export const isFinal = (status: OrderStatus): boolean => status === 'collected' || status === 'cancelled';

const Conflict = z.object({
  status: z.enum(['new', 'preparing', 'ready', 'collected', 'cancelled']),
  by: z.string(),
  at: z.number().int().nullable(),
  receiptNo: z.string().nullable(),
});

/** The status the till shows: this register's move while the cloud has not caught up, else the cloud's. */
export function shownStatus(row: Pick<OrderRow, 'status' | 'local_status' | 'conflict'>): OrderStatus {
  if (row.conflict !== null || row.local_status === null) return row.status;
  return RANK[row.local_status] > RANK[row.status] ? row.local_status : row.status;
}

export function tillOrder(row: OrderRow): TillOrder {
  const status = shownStatus(row);
  const pending = row.conflict === null && row.local_status !== null && status === row.local_status && row.status !== row.local_status;
  return {
    orderNo: row.order_no,
    channel: row.channel,
    customerName: row.customer_name,
    customerPhone: row.customer_phone,
    status,
    pending,
    lines: z.array(OrderLine).parse(JSON.parse(row.lines)),
    total: row.total,
    paid: row.paid,
    due: row.total - row.paid,
    pickupOn: row.pickup_on,
    note: row.note,
    finalBy: pending ? null : row.final_by,
    receiptNo: pending ? row.local_receipt_no : row.receipt_no,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    conflict: row.conflict === null ? null : Conflict.parse(JSON.parse(row.conflict)),
  };
}

export function findOrder(db: Db, orderNo: string): OrderRow | undefined {
  return prepared<{ orderNo: string }, OrderRow>(db, 'SELECT * FROM customer_order WHERE order_no = :orderNo COLLATE NOCASE').get({
    orderNo,
  });
}

/**
 * One order as the cloud sent it. Newer versions only. When this register had moved the order to
 * a final state and the cloud says another register (or the shop) reached a final state first, the
 * clash is kept in `conflict` for the cashier, never silently overwritten.
 */
export function upsertPulledOrder(db: Db, order: Order, selfName: string): void {
  const existing = findOrder(db, order.orderNo);
  if (existing && existing.version >= order.version) return;
  let localStatus = existing?.local_status ?? null;
  let localReceiptNo = existing?.local_receipt_no ?? null;
  let localAt = existing?.local_at ?? null;
  let conflict = existing?.conflict ?? null;
  if (localStatus !== null) {
    const finalBy = order.finalBy?.name ?? null;
    const lostRace =
      isFinal(localStatus) &&
      isFinal(order.status) &&
      (order.status !== localStatus || finalBy !== selfName || (order.status === 'collected' && order.receiptNo !== localReceiptNo));
    if (lostRace) conflict = JSON.stringify({ status: order.status, by: finalBy ?? '', at: order.finalAt, receiptNo: order.receiptNo });
    // The cloud has this register's move, or is past it, or settled it otherwise: the local mark has done its job.
    if (lostRace || isFinal(order.status) || RANK[order.status] >= RANK[localStatus]) {
      localStatus = null;
      localReceiptNo = null;
      localAt = null;
    }
  }
  prepared(
    db,
    `INSERT INTO customer_order (order_no, channel, customer_name, customer_phone, status, lines, total, paid, pickup_on, note, final_by,
       final_at, receipt_no, cancel_reason, created_at, updated_at, version, local_status, local_receipt_no, local_at, conflict)
     VALUES (:orderNo, :channel, :customerName, :customerPhone, :status, :lines, :total, :paid, :pickupOn, :note, :finalBy,
       :finalAt, :receiptNo, :cancelReason, :createdAt, :updatedAt, :version, :localStatus, :localReceiptNo, :localAt, :conflict)
     ON CONFLICT (order_no) DO UPDATE SET channel = excluded.channel, customer_name = excluded.customer_name,
       customer_phone = excluded.customer_phone, status = excluded.status, lines = excluded.lines, total = excluded.total,
       paid = excluded.paid, pickup_on = excluded.pickup_on, note = excluded.note, final_by = excluded.final_by,
       final_at = excluded.final_at, receipt_no = excluded.receipt_no, cancel_reason = excluded.cancel_reason,
       updated_at = excluded.updated_at, version = excluded.version, local_status = excluded.local_status,
       local_receipt_no = excluded.local_receipt_no, local_at = excluded.local_at, conflict = excluded.conflict`,
  ).run({
    orderNo: order.orderNo,
    channel: order.channel,
    customerName: order.customerName,
    customerPhone: order.customerPhone,
    status: order.status,
    lines: JSON.stringify(order.lines),
    total: order.total,
    paid: order.paid,
    pickupOn: order.pickupOn,
    note: order.note,
    finalBy: order.finalBy?.name ?? null,
    finalAt: order.finalAt,
    receiptNo: order.receiptNo,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    version: order.version,
    localStatus,
    localReceiptNo,
    localAt,
    conflict,
  });
}

export function orderCursor(db: Db): number {
  return readSetting(db, ORDER_CURSOR_KEY, z.number().int().min(0), 0);
}

/** Applies one pulled page with its cursor, in one transaction; answers how many orders changed. */
export function applyOrderPage(db: Db, page: OrderPullPage, selfName: string, now: number): number {
  return db
    .transaction(() => {
      const before = orderCursor(db);
      for (const order of page.orders) upsertPulledOrder(db, order, selfName);
      prepared(db, 'DELETE FROM order_reservation').run();
      const insert = prepared(db, 'INSERT INTO order_reservation (sku, quantity_milli) VALUES (:sku, :quantityMilli)');
      for (const r of page.reserved) insert.run(r);
      if (page.next > before) writeSetting(db, ORDER_CURSOR_KEY, page.next);
      writeSetting(db, ORDER_PULLED_AT_KEY, now);
      return page.orders.length;
    })
    .immediate();
}

/** This register's move, written with its outbox row by the caller's transaction. */
export function markLocalMove(db: Db, orderNo: string, to: Exclude<OrderStatus, 'new'>, receiptNo: string | null, now: number): void {
  prepared(
    db,
    'UPDATE customer_order SET local_status = :to, local_receipt_no = :receiptNo, local_at = :now WHERE order_no = :orderNo',
  ).run({ orderNo, to, receiptNo, now });
}

/** The cloud answered a move directly: its order replaces ours (same rules as a pull). */
export function recordCloudOrder(db: Db, order: Order, selfName: string): void {
  db.transaction(() => upsertPulledOrder(db, order, selfName)).immediate();
}

export function listOrders(db: Db, filter: OrderFilter): TillOrderList {
  const rows = prepared<[], OrderRow>(db, "SELECT * FROM customer_order ORDER BY coalesce(pickup_on, '9999'), created_at").all();
  const orders = rows.map(tillOrder);
  const counts: Record<OrderStatus, number> = { new: 0, preparing: 0, ready: 0, collected: 0, cancelled: 0 };
  for (const o of orders) counts[o.status] += 1;
  const wanted = (o: TillOrder) =>
    filter === 'all' || o.conflict !== null || (filter === 'open' ? !isFinal(o.status) : o.status === filter);
  return {
    orders: orders.filter(wanted),
    counts,
    conflicts: orders.filter((o) => o.conflict !== null).length,
    pulledAt: readSetting(db, ORDER_PULLED_AT_KEY, z.number().int().nullable(), null),
  };
}

/** For the status bar, the action bar's badge, and an open queue (which reloads when the cursor moves). */
export function orderFigures(db: Db): { new: number; conflicts: number; cursor: number } {
  const row = prepared<[], { fresh: number; conflicts: number }>(
    db,
    `SELECT coalesce(sum(status = 'new' AND local_status IS NULL AND conflict IS NULL), 0) AS fresh,
            coalesce(sum(conflict IS NOT NULL), 0) AS conflicts FROM customer_order`,
  ).get() as { fresh: number; conflicts: number };
  return { new: row.fresh, conflicts: row.conflicts, cursor: orderCursor(db) };
}
