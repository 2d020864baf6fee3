/** SQL for the open and suspended carts. Repository functions take `db` first; no logic here. */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

export interface CartRow {
  id: number;
  register_code: string;
  status: 'open' | 'suspended' | 'completed' | 'voided';
  label: string | null;
  staff_id: number;
  discount_kind: 'percent' | 'amount' | null;
  discount_value: number | null;
  discount_approved_by: number | null;
  last_line_id: number | null;
  created_at: number;
  updated_at: number;
  /** The member on the sale (a code or a provisional one), or null. */
  member_code: string | null;
  /** The customer order this cart collects (lines and prices locked to it), or null. */
  order_no: string | null;
  /** What the order had paid before pickup (cents): only the rest is tendered. */
  order_paid: number;
  /** The pickup this cart pays (JSON OrderPickup without orderNo and receiptNo: collect, release, applied), or null: the whole order. */
  order_pickup: string | null;
}

export interface CartLineRow {
  id: number;
  cart_id: number;
  product_id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  category_code: string | null;
  tax_class: string;
  list_price: number;
  quantity_milli: number;
  weighed: number;
  embedded_price: number;
  price_override: number | null;
  price_approved_by: number | null;
  discount_kind: 'percent' | 'amount' | null;
  discount_value: number | null;
  discount_approved_by: number | null;
  return_of_line_id: number | null;
  return_net: number | null;
  return_tax: number | null;
  return_approved_by: number | null;
}

export interface ProductSnapshotRow {
  id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  category_code: string | null;
  tax_class: string;
  price: number;
}

export function productSnapshot(db: Db, productId: number): ProductSnapshotRow | undefined {
  return prepared<{ productId: number }, ProductSnapshotRow>(
    db,
    `SELECT p.id, p.sku, p.name_zh, p.name_en, c.code AS category_code, p.tax_class, p.price
       FROM product p LEFT JOIN category c ON c.id = p.category_id WHERE p.id = :productId AND p.active = 1`,
  ).get({ productId });
}

export function findOpenCart(db: Db, registerCode: string): CartRow | undefined {
  return prepared<{ registerCode: string }, CartRow>(db, "SELECT * FROM cart WHERE register_code = :registerCode AND status = 'open'").get({
    registerCode,
  });
}

export function findCart(db: Db, cartId: number): CartRow | undefined {
  return prepared<{ cartId: number }, CartRow>(db, 'SELECT * FROM cart WHERE id = :cartId').get({ cartId });
}

export function insertCart(db: Db, registerCode: string, staffId: number, now: number): number {
  return Number(
    prepared(
      db,
      "INSERT INTO cart (register_code, status, staff_id, created_at, updated_at) VALUES (:registerCode, 'open', :staffId, :now, :now)",
    ).run({ registerCode, staffId, now }).lastInsertRowid,
  );
}

export function cartLines(db: Db, cartId: number): CartLineRow[] {
  return prepared<{ cartId: number }, CartLineRow>(db, 'SELECT * FROM cart_line WHERE cart_id = :cartId ORDER BY id').all({ cartId });
}

/** One line of the cart, by its id (one indexed read: Del in a 300-line cart does not read all 300). */
export function cartLine(db: Db, cartId: number, lineId: number): CartLineRow | undefined {
  return prepared<{ cartId: number; lineId: number }, CartLineRow>(
    db,
    'SELECT * FROM cart_line WHERE id = :lineId AND cart_id = :cartId',
  ).get({
    cartId,
    lineId,
  });
}

/**
 * The line a plain unit of `productId` at `listPrice` goes onto (the first such, as the cart shows
 * them): a sold, unweighed, unembedded line with no price override or discount. One indexed read,
 * so a scan into a long cart does not read every line to find it.
 */
export function findPlainLine(db: Db, cartId: number, productId: number, listPrice: number): CartLineRow | undefined {
  return prepared<{ cartId: number; productId: number; listPrice: number }, CartLineRow>(
    db,
    `SELECT * FROM cart_line
     WHERE cart_id = :cartId AND product_id = :productId AND quantity_milli > 0 AND weighed = 0 AND embedded_price = 0
       AND price_override IS NULL AND discount_kind IS NULL AND list_price = :listPrice
     ORDER BY id LIMIT 1`,
  ).get({ cartId, productId, listPrice });
}

export function touchCart(db: Db, cartId: number, now: number, lastLineId?: number | null): void {
  prepared(db, 'UPDATE cart SET updated_at = :now, last_line_id = coalesce(:lastLineId, last_line_id) WHERE id = :cartId').run({
    cartId,
    now,
    lastLineId: lastLineId ?? null,
  });
}

export type NewCartLine = Omit<
  CartLineRow,
  'id' | 'price_override' | 'price_approved_by' | 'discount_kind' | 'discount_value' | 'discount_approved_by'
>;

export function insertCartLine(db: Db, line: NewCartLine): number {
  return Number(
    prepared(
      db,
      `INSERT INTO cart_line (cart_id, product_id, sku, name_zh, name_en, category_code, tax_class, list_price, quantity_milli,
           weighed, embedded_price, return_of_line_id, return_net, return_tax, return_approved_by)
         VALUES (:cart_id, :product_id, :sku, :name_zh, :name_en, :category_code, :tax_class, :list_price, :quantity_milli,
           :weighed, :embedded_price, :return_of_line_id, :return_net, :return_tax, :return_approved_by)`,
    ).run(line).lastInsertRowid,
  );
}

export function setLineQuantity(db: Db, lineId: number, quantityMilli: number): void {
  prepared(db, 'UPDATE cart_line SET quantity_milli = :quantityMilli WHERE id = :lineId').run({ lineId, quantityMilli });
}

export function deleteCartLine(db: Db, lineId: number): void {
  prepared(db, 'DELETE FROM cart_line WHERE id = :lineId').run({ lineId });
}

export function setLineDiscount(db: Db, lineId: number, kind: string | null, value: number | null, approvedBy: number | null): void {
  prepared(
    db,
    'UPDATE cart_line SET discount_kind = :kind, discount_value = :value, discount_approved_by = :approvedBy WHERE id = :lineId',
  ).run({ lineId, kind, value, approvedBy });
}

/** Who gave or approved the line's discount (cart-service.ts settles it after every change that can move its share). */
export function setLineDiscountApprover(db: Db, lineId: number, approvedBy: number): void {
  prepared(db, 'UPDATE cart_line SET discount_approved_by = :approvedBy WHERE id = :lineId').run({ lineId, approvedBy });
}

export function setLinePrice(db: Db, lineId: number, price: number | null, approvedBy: number | null): void {
  prepared(db, 'UPDATE cart_line SET price_override = :price, price_approved_by = :approvedBy WHERE id = :lineId').run({
    lineId,
    price,
    approvedBy,
  });
}

export function setCartDiscount(db: Db, cartId: number, kind: string | null, value: number | null, approvedBy: number | null): void {
  prepared(db, 'UPDATE cart SET discount_kind = :kind, discount_value = :value, discount_approved_by = :approvedBy WHERE id = :cartId').run(
    { cartId, kind, value, approvedBy },
  );
}

export function setCartDiscountApprover(db: Db, cartId: number, approvedBy: number): void {
  prepared(db, 'UPDATE cart SET discount_approved_by = :approvedBy WHERE id = :cartId').run({ cartId, approvedBy });
}

export function setCartStatus(
  db: Db,
  cartId: number,
  status: CartRow['status'],
  fields: { label?: string; voidReason?: string; now: number },
): void {
  prepared(
    db,
    'UPDATE cart SET status = :status, label = coalesce(:label, label), void_reason = coalesce(:voidReason, void_reason), updated_at = :now WHERE id = :cartId',
  ).run({
    cartId,
    status,
    label: fields.label ?? null,
    voidReason: fields.voidReason ?? null,
    now: fields.now,
  });
}

export interface SuspendedCartRow {
  id: number;
  label: string;
  line_count: number;
  updated_at: number;
  name_zh: string;
  name_en: string;
}

export function suspendedCarts(db: Db, registerCode: string): SuspendedCartRow[] {
  return prepared<{ registerCode: string }, SuspendedCartRow>(
    db,
    `SELECT c.id, c.label, c.updated_at, s.name_zh, s.name_en, (SELECT count(*) FROM cart_line WHERE cart_id = c.id) AS line_count
       FROM cart c JOIN staff s ON s.id = c.staff_id
       WHERE c.register_code = :registerCode AND c.status = 'suspended' ORDER BY c.updated_at`,
  ).all({ registerCode });
}
