/**
 * Requests sent at once, without waiting for answers (the outside team's scripts): whatever a
 * request decided before its await (a manager's PIN checked, a PIN hashed, a label printed) is
 * decided again on the state it writes to, so no interleaving writes to a finished sale, closes a
 * drawer without the reason its over/short needs, or answers INTERNAL for a plain clash.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { Result } from '../../../src/shared/errors';
import type { CountResult } from '../../../src/shared/shift-schemas';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';
import { notes } from '../shifts/till';

const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00
const WATER = '4891234000050'; // 蒸餾水 HK$8.00
const MANAGER_APPROVAL = { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin };

const openRegister = useDemoRegisters();

function rows<T>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const cashFor = (cart: Cart) => [{ method: 'cash', amount: cart.total }];

describe('a price override approved while the sale completes', () => {
  it('is refused, and nothing is written to the completed sale’s cart', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const lineId = cart.lines[0]!.id;
    // The price waits for the manager's PIN (scrypt); the sale completes meanwhile.
    const [priced, sold] = await Promise.all([
      t.reg.dispatch('cart:set-price', { lineId, unitPrice: 100, approval: MANAGER_APPROVAL }),
      t.reg.dispatch('sale:complete', { cartId: cart.id, tenders: cashFor(cart) }),
    ]);
    expect(sold).toMatchObject({ ok: true, value: { total: 1800 } });
    expect(priced).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // the completed cart's line keeps the price it was sold at, and no override is audited for it
    expect(rows(t.reg.dbFile, 'SELECT price_override FROM cart_line WHERE id = ?', lineId)).toEqual([{ price_override: null }]);
    expect(rows(t.reg.dbFile, "SELECT * FROM audit_log WHERE kind = 'price.override'")).toEqual([]);
  });

  it('is refused when the cart was suspended meanwhile: the held sale keeps its price', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const lineId = cart.lines[0]!.id;
    const [priced, suspended] = await Promise.all([
      t.reg.dispatch('cart:set-price', { lineId, unitPrice: 100, approval: MANAGER_APPROVAL }),
      t.reg.dispatch('cart:suspend', { label: 'A' }),
    ]);
    expect(suspended).toMatchObject({ ok: true });
    expect(priced).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const recalled = await t.call<Cart>('cart:recall', { cartId: cart.id });
    expect(recalled.lines[0]).toMatchObject({ id: lineId, unitPrice: 1800, priceOverridden: false });
  });
});

describe('a change approved with a manager’s PIN while the sale completes', () => {
  it('a cart discount is refused, never left on the next customer’s cart', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const [discounted, sold] = await Promise.all([
      t.reg.dispatch('cart:set-cart-discount', { discount: { kind: 'percent', basisPoints: 5000 }, approval: MANAGER_APPROVAL }),
      t.reg.dispatch('sale:complete', { cartId: cart.id, tenders: cashFor(cart) }),
    ]);
    expect(sold).toMatchObject({ ok: true, value: { total: 1800 } });
    expect(discounted).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const next = await t.call<Cart>('cart:scan', { code: WATER });
    expect(next).toMatchObject({ discount: null, total: 800 });
  });

  it('a member is refused, never put on the next customer’s cart', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const [member, sold] = await Promise.all([
      t.reg.dispatch('cart:set-member', { code: 'M90000001', approval: MANAGER_APPROVAL }),
      t.reg.dispatch('sale:complete', { cartId: cart.id, tenders: cashFor(cart) }),
    ]);
    expect(sold).toMatchObject({ ok: true });
    expect(member).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await t.call<Cart>('cart:get')).toMatchObject({ member: null });
  });

  it('a return without a receipt is refused, never refunded on the next customer’s cart', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const [returned, sold] = await Promise.all([
      t.reg.dispatch('cart:add-return-without-receipt', { code: WATER, quantity: 1, approval: MANAGER_APPROVAL }),
      t.reg.dispatch('sale:complete', { cartId: cart.id, tenders: cashFor(cart) }),
    ]);
    expect(sold).toMatchObject({ ok: true, value: { total: 1800 } });
    expect(returned).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await t.call<Cart>('cart:get')).toMatchObject({ lines: [] });
  });
});

describe('a shift closed while a cash sale completes', () => {
  it('is not closed with an over/short and no reason: it asks again for the reason', async () => {
    const t = await openRegister({ staff: { id: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin } });
    await t.call('shift:open', { float: notes({ 10_000: 5 }) }); // HK$500
    const count = await t.call<CountResult>('shift:count', { counted: notes({ 10_000: 5 }) }); // exact
    expect(count).toMatchObject({ overShort: 0, needsReason: false });
    const cart = await t.call<Cart>('cart:scan', { code: WATER });
    // The close awaits its approval check; the sale puts HK$8 more in the drawer than was counted.
    const [closed, sold] = await Promise.all([
      t.reg.dispatch('shift:close', {}),
      t.reg.dispatch('sale:complete', { cartId: cart.id, tenders: cashFor(cart) }),
    ]);
    expect(sold).toMatchObject({ ok: true });
    expect(closed).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // nothing closed with a silent short; the count now says the reason is needed
    expect(rows(t.reg.dbFile, 'SELECT closed_at FROM shift')).toEqual([{ closed_at: null }]);
    expect(await t.call<CountResult>('shift:counted')).toMatchObject({ overShort: -800, needsReason: true });
    expect(await t.reg.dispatch('shift:close', { reason: '賣咗枝水未數' })).toMatchObject({ ok: true, value: { overShort: -800 } });
  });
});

describe('the same new staff member saved twice at once', () => {
  it('creates one, and the other is told the code is taken (CONFLICT), not INTERNAL', async () => {
    const t = await openRegister({ staff: { id: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin } });
    const input = { code: 'S77', nameZh: '何小芳', nameEn: 'Ho Siu Fong', role: 'cashier', active: true, pin: '7777' };
    const results = await Promise.all(Array.from({ length: 4 }, () => t.reg.dispatch('staff:save', input)));
    const codes = results.map((r: Result<unknown>) => (r.ok ? 'OK' : r.error.code));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c !== 'OK')).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect(rows(t.reg.dbFile, "SELECT code FROM staff WHERE code = 'S77'")).toHaveLength(1);
  });
});

describe('a sale completed twice at once', () => {
  it('is one receipt, answered to all 20 requests, with one stock movement per line', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.reg.dispatch('sale:complete', { cartId: cart.id, tenders: cashFor(cart) })),
    );
    const receipts = new Set(results.map((r) => (r.ok ? (r.value as Receipt).receiptNo : r.error.code)));
    expect([...receipts]).toEqual(['MK01-01-000001']);
    expect(rows(t.reg.dbFile, 'SELECT count(*) AS n FROM sale')).toEqual([{ n: 1 }]);
    expect(rows(t.reg.dbFile, "SELECT count(*) AS n FROM stock_movement WHERE reason = 'sale'")).toEqual([{ n: 1 }]);
  });
});

describe('what held up when sent at once', () => {
  it('one receipt line returned from two carts (one held, one completed) is refunded once; the second is CONFLICT', async () => {
    const t = await openRegister({ staff: { id: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin } });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const sale = await t.call<Receipt>('sale:complete', { cartId: cart.id, tenders: cashFor(cart) });
    const line = { saleLineId: sale.lines[0]!.id, quantity: 1 };
    const held = await t.call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [line] });
    await t.call('cart:suspend', { label: 'return A' });
    const second = await t.call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [line] });
    await t.call('sale:complete', { cartId: second.id, tenders: [{ method: 'cash', amount: 1800 }] });
    await t.call('cart:recall', { cartId: held.id });
    expect(await t.reg.dispatch('sale:complete', { cartId: held.id, tenders: [{ method: 'cash', amount: 1800 }] })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      rows(t.reg.dbFile, 'SELECT -sum(quantity_milli) AS returned FROM sale_line WHERE return_of_line_id = ?', line.saleLineId),
    ).toEqual([{ returned: 1000 }]);
  });

  it('the same held cart recalled 20 times at once opens once; the rest are refused', async () => {
    const t = await openRegister({ staff: DEMO_CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    await t.call('cart:suspend', { label: 'A' });
    const results = await Promise.all(Array.from({ length: 20 }, () => t.reg.dispatch('cart:recall', { cartId: cart.id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.flatMap((r) => (r.ok ? [] : [r.error.code])))).toEqual(new Set(['NOT_FOUND']));
    expect(rows(t.reg.dbFile, "SELECT id FROM cart WHERE status = 'open'")).toEqual([{ id: cart.id }]);
  });

  it('a receiving posted 20 times at once moves stock once', async () => {
    const t = await openRegister({ staff: { id: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin } });
    const doc = await t.call<{ id: number; docNo: string }>('stock:open', { kind: 'receive' });
    await t.call('stock:scan', { documentId: doc.id, code: WATER, quantity: 12 });
    const results = await Promise.all(Array.from({ length: 20 }, () => t.reg.dispatch('stock:post', { documentId: doc.id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.flatMap((r) => (r.ok ? [] : [r.error.code])))).toEqual(new Set(['STOCK_DOCUMENT_CLOSED']));
    expect(rows(t.reg.dbFile, 'SELECT sum(quantity_milli) AS moved FROM stock_movement WHERE source = ?', doc.docNo)).toEqual([
      { moved: 12_000 },
    ]);
  });
});
