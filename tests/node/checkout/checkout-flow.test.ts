import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00, 第二件半價
const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50, bakery 10 % off
const WATER = '4891234000050'; // 蒸餾水 HK$8.00
const MANAGER_APPROVAL = { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin };

const openRegister = useDemoRegisters();
const cashierAtTill = (dataDir?: string) => openRegister({ staff: DEMO_CASHIER, dataDir });

describe('checkout through the register core', () => {
  it('scans, changes a quantity, pays part card part cash, and gets change and a receipt number', async () => {
    const { call } = await cashierAtTill();
    await call<Cart>('cart:scan', { code: MILK_TEA });
    await call<Cart>('cart:scan', { code: PINEAPPLE_BUN });
    let cart = await call<Cart>('cart:scan', { code: WATER });
    expect(cart.lines.map((l) => l.nameZh)).toEqual(['港式奶茶', '菠蘿包', '蒸餾水 500毫升']);
    cart = await call<Cart>('cart:set-quantity', { lineId: cart.lines[0]!.id, quantity: 2 });
    expect(cart.lines[0]).toMatchObject({ gross: 3600, net: 2700, promotions: [{ nameZh: expect.stringContaining('半價'), amount: 900 }] });
    expect(cart.lines[1]).toMatchObject({ gross: 850, net: 765 });
    const total = cart.total;
    expect(total).toBe(2700 + 765 + 800);
    expect(total).toBe(cart.lines.reduce((sum, l) => sum + l.net, 0));

    const receipt = await call<Receipt>('sale:complete', {
      cartId: cart.id,
      tenders: [
        { method: 'card', amount: 2000, approvalCode: 'AB1234', cardLast4: '4242' },
        { method: 'cash', amount: total - 2000, tendered: 5000 },
      ],
    });
    expect(receipt.receiptNo).toBe('MK01-01-000001');
    expect(receipt.change).toBe(5000 - (total - 2000 + receipt.rounding));
    expect(receipt.payments.map((p) => p.method)).toEqual(['card', 'cash']);
    const next = await call<Cart>('cart:get', {});
    expect(next.lines).toEqual([]);
    expect(next.id).not.toBe(cart.id);
  });

  it('a plain unit scanned again goes onto its first plain line; a line with its own discount is left alone', async () => {
    const { call } = await cashierAtTill();
    await call<Cart>('cart:scan', { code: WATER });
    await call<Cart>('cart:scan', { code: PINEAPPLE_BUN });
    let cart = await call<Cart>('cart:scan', { code: WATER });
    expect(cart.lines.map((l) => [l.nameZh, l.quantity])).toEqual([
      ['蒸餾水 500毫升', 2],
      ['菠蘿包', 1],
    ]);
    // The water line with a discount of its own stays as it is: the next water is a new line, and
    // the one after goes onto that new (plain) line, not onto the discounted one.
    const discounted = cart.lines[0]!.id;
    await call<Cart>('cart:set-line-discount', { lineId: discounted, discount: { kind: 'percent', basisPoints: 1000 } });
    await call<Cart>('cart:scan', { code: WATER });
    cart = await call<Cart>('cart:scan', { code: WATER });
    expect(cart.lines.map((l) => [l.id === discounted, l.quantity, l.discount !== null])).toEqual([
      [true, 2, true],
      [false, 1, false],
      [false, 2, false],
    ]);
    expect(cart.lastLineId).toBe(cart.lines[2]!.id);
  });

  it('writes the sale, lines, payments, stock movements and an outbox row, with gapless receipt numbers', async () => {
    const { call, reg } = await cashierAtTill();
    for (let i = 0; i < 3; i++) {
      const cart = await call<Cart>('cart:scan', { code: WATER });
      await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 800 }] });
    }
    const db = new Database(reg.dbFile, { readonly: true });
    expect(db.prepare('SELECT receipt_no FROM sale ORDER BY id').pluck().all()).toEqual([
      'MK01-01-000001',
      'MK01-01-000002',
      'MK01-01-000003',
    ]);
    expect(db.prepare('SELECT count(*) FROM stock_movement WHERE reason = ?').pluck().get('sale')).toBe(3);
    expect(db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all()).toEqual([1, 2, 3]);
    db.close();
    const status = await call<{ sync: { pending: number } }>('register:status', {});
    expect(status.sync.pending).toBe(3);
  });

  it('completing the same cart twice answers the same receipt, never a second sale', async () => {
    const { call } = await cashierAtTill();
    const cart = await call<Cart>('cart:scan', { code: WATER });
    const tenders = [{ method: 'cash', amount: 800 }];
    const first = await call<Receipt>('sale:complete', { cartId: cart.id, tenders });
    const again = await call<Receipt>('sale:complete', { cartId: cart.id, tenders });
    expect(again.receiptNo).toBe(first.receiptNo);
  });

  it('a discount over the cashier limit needs a manager PIN, and records who approved', async () => {
    const { call, reg } = await cashierAtTill();
    const cart = await call<Cart>('cart:scan', { code: WATER });
    const lineId = cart.lines[0]!.id;
    const over = await reg.dispatch('cart:set-line-discount', { lineId, discount: { kind: 'percent', basisPoints: 5000 } });
    expect(over).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    const within = await call<Cart>('cart:set-line-discount', { lineId, discount: { kind: 'percent', basisPoints: 1000 } });
    expect(within.lines[0]!.net).toBe(720);
    const wrongPin = await reg.dispatch('cart:set-line-discount', {
      lineId,
      discount: { kind: 'percent', basisPoints: 5000 },
      approval: { staffId: DEMO_MANAGER.id, pin: '0000' },
    });
    expect(wrongPin).toMatchObject({ ok: false, error: { code: 'PIN_INVALID' } });
    const approved = await call<Cart>('cart:set-line-discount', {
      lineId,
      discount: { kind: 'percent', basisPoints: 5000 },
      approval: MANAGER_APPROVAL,
    });
    expect(approved.lines[0]!.net).toBe(400);
    const db = new Database(reg.dbFile, { readonly: true });
    expect(db.prepare('SELECT discount_approved_by FROM cart_line WHERE id = ?').pluck().get(lineId)).toBe(DEMO_MANAGER.id);
    db.close();
  });

  it('suspends and recalls carts; a cart another register holds cannot be recalled', async () => {
    const { call, reg } = await cashierAtTill();
    await call<Cart>('cart:scan', { code: MILK_TEA });
    const empty = await call<Cart>('cart:suspend', { label: '客人 1' });
    expect(empty.lines).toEqual([]);
    await call<Cart>('cart:scan', { code: WATER });
    await call<Cart>('cart:suspend', { label: '客人 2' });
    const list = await call<{ id: number; label: string; total: number }[]>('cart:list-suspended', {});
    expect(list.map((c) => c.label)).toEqual(['客人 1', '客人 2']);
    const recalled = await call<Cart>('cart:recall', { cartId: list[0]!.id });
    expect(recalled.lines[0]!.nameZh).toBe('港式奶茶');
    expect(await reg.dispatch('cart:recall', { cartId: list[1]!.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const db = new Database(reg.dbFile);
    db.prepare("UPDATE cart SET register_code = '02' WHERE id = ?").run(list[1]!.id);
    db.close();
    await call<Cart>('cart:void', { reason: 'test' });
    expect(await reg.dispatch('cart:recall', { cartId: list[1]!.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('register 02') },
    });
  });

  it('returns from a receipt: never more than sold, stock goes back, a linked document with its own number', async () => {
    const { call, reg } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: WATER });
    cart = await call<Cart>('cart:set-quantity', { lineId: cart.lines[0]!.id, quantity: 3 });
    const sale = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 2400 }] });
    const saleLineId = sale.lines[0]!.id;

    expect(await reg.dispatch('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId, quantity: 4 }] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    cart = await call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId, quantity: 2 }] });
    expect(cart.total).toBe(-1600);
    const refund = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 1600 }] });
    expect(refund).toMatchObject({ kind: 'return', receiptNo: 'MK01-01-000002', originalReceiptNo: sale.receiptNo, total: -1600 });
    expect((await call<Receipt>('sale:find', { receiptNo: sale.receiptNo })).lines[0]!.returnableQuantity).toBe(1);
    expect(await reg.dispatch('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId, quantity: 2 }] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });

    const db = new Database(reg.dbFile, { readonly: true });
    expect(db.prepare('SELECT sum(quantity_milli) FROM stock_movement').pluck().get()).toBe(-1000);
    db.close();
  });

  it('a return without a receipt is refused for a cashier and allowed with a manager PIN', async () => {
    const { call, reg } = await cashierAtTill();
    expect(await reg.dispatch('cart:add-return-without-receipt', { code: WATER, quantity: 1 })).toMatchObject({
      ok: false,
      error: { code: 'APPROVAL_REQUIRED' },
    });
    const cart = await call<Cart>('cart:add-return-without-receipt', { code: WATER, quantity: 1, approval: MANAGER_APPROVAL });
    expect(cart.total).toBe(-800);
  });

  it('an exchange returns and sells in one document; the customer pays the difference', async () => {
    const { call } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: WATER });
    const sale = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 800 }] });
    await call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }] });
    cart = await call<Cart>('cart:scan', { code: MILK_TEA });
    expect(cart.total).toBe(1000);
    const exchange = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 1000 }] });
    expect(exchange.kind).toBe('exchange');
    expect(exchange.lines.map((l) => l.quantity)).toEqual([-1, 1]);
  });

  it('the open cart survives closing and reopening the register', async () => {
    const { call, close, dataDir } = await cashierAtTill();
    await call<Cart>('cart:scan', { code: MILK_TEA });
    const before = await call<Cart>('cart:scan', { code: WATER });
    close();
    const again = await cashierAtTill(dataDir);
    const after = await again.call<Cart>('cart:get', {});
    // The same cart, priced afresh by another start of the register: another revision.
    expect({ ...after, revision: '' }).toEqual({ ...before, revision: '' });
    expect(after.revision).not.toBe(before.revision);
  });

  it('bad input gets a clear error and changes nothing', async () => {
    const { call, reg } = await cashierAtTill();
    const cart = await call<Cart>('cart:scan', { code: WATER });
    const lineId = cart.lines[0]!.id;
    const before = snapshotDatabase(reg.dbFile);
    const cases: [string, unknown, string][] = [
      ['cart:scan', { code: '4891234000013' }, 'BARCODE_INVALID'],
      ['cart:scan', { code: '4006381333931' }, 'ITEM_NOT_FOUND'],
      ['cart:scan', { code: '9'.repeat(10_000) }, 'BAD_REQUEST'],
      ['cart:set-quantity', { lineId, quantity: 0 }, 'BAD_REQUEST'],
      ['cart:set-quantity', { lineId, quantity: -1 }, 'BAD_REQUEST'],
      ['cart:set-quantity', { lineId, quantity: 1e12 }, 'BAD_REQUEST'],
      ['cart:set-quantity', { lineId, quantity: 1.5 }, 'BAD_REQUEST'],
      ['cart:set-line-discount', { lineId, discount: { kind: 'percent', basisPoints: 15_000 }, approval: MANAGER_APPROVAL }, 'BAD_REQUEST'],
      ['sale:complete', { cartId: cart.id, tenders: [{ method: 'card', amount: 900, approvalCode: 'X1' }] }, 'BAD_REQUEST'],
      ['sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 100 }] }, 'BAD_REQUEST'],
      ['sale:complete', { cartId: cart.id, tenders: [{ method: 'bitcoin', amount: 800 }] }, 'BAD_REQUEST'],
      ['cart:add-return', { receiptNo: 'MK01-01-999999', lines: [{ saleLineId: 1, quantity: 1 }] }, 'NOT_FOUND'],
    ];
    for (const [channel, payload, code] of cases) {
      expect(await reg.dispatch(channel, payload), `${channel} ${JSON.stringify(payload).slice(0, 80)}`).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect(snapshotDatabase(reg.dbFile)).toBe(before);
  });
});
