/**
 * A manual discount's share of what it is taken from may not exceed the limit of who gave or
 * approved it, however the cart changes after the discount was set: quantity down, a line removed
 * under a cart discount, an approval racing a quantity change, and at the latest when the sale is
 * written. Through the real register core and its SQLite file.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { withTimeout } from '../../support/bounded.mjs';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const WATER = '4891234000050'; // 蒸餾水 HK$8.00, no promotion
const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00 (second at half price: one alone is full price)
const MANAGER_APPROVAL = { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin };
/** 黃美玲, made a supervisor (20 % limit) for these tests. */
const SUPERVISOR = { staffId: 2, pin: '2345' };

const openRegister = useDemoRegisters();

async function cashierAtTill() {
  const session = await openRegister({ staff: DEMO_CASHIER });
  const db = new Database(session.reg.dbFile);
  db.prepare("UPDATE staff SET role = 'supervisor' WHERE id = ?").run(SUPERVISOR.staffId);
  const overLimitRows = () =>
    db
      .prepare("SELECT approver_id, detail FROM audit_log WHERE kind = 'discount.over-limit' ORDER BY seq")
      .all()
      .map((row) => {
        const { approver_id, detail } = row as { approver_id: number | null; detail: string };
        return { approverId: approver_id, ...(JSON.parse(detail) as { amount: number; basisPoints: number }) };
      });
  return { ...session, db, overLimitRows };
}

/** Ten waters (HK$80) with HK$8 off the line: 10 %, the cashier's own limit. */
async function tenWatersWithEightOff(call: <T>(channel: string, payload?: unknown) => Promise<T>): Promise<number> {
  let cart = await call<Cart>('cart:scan', { code: WATER });
  const lineId = cart.lines[0]!.id;
  await call<Cart>('cart:set-quantity', { lineId, quantity: 10 });
  cart = await call<Cart>('cart:set-line-discount', { lineId, discount: { kind: 'amount', cents: 800 } });
  expect(cart.lines[0]).toMatchObject({ gross: 8000, discountAmount: 800, net: 7200 });
  return lineId;
}

describe('discount limits hold after the discount is set', () => {
  it('a quantity change that takes an amount discount over the cashier’s limit needs a manager, as setting it would', async () => {
    const { call, reg, db, overLimitRows } = await cashierAtTill();
    const lineId = await tenWatersWithEightOff(call);

    // One water left: HK$8 off HK$8 would be 100 % off.
    const refused = await reg.dispatch('cart:set-quantity', { lineId, quantity: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    let cart = await call<Cart>('cart:get', {});
    expect(cart.lines[0]).toMatchObject({ quantity: 10, net: 7200 });

    // Two waters are within the limit of nobody but a manager; with the manager's PIN it goes through.
    cart = await call<Cart>('cart:set-quantity', { lineId, quantity: 2, approval: MANAGER_APPROVAL });
    expect(cart.lines[0]).toMatchObject({ quantity: 2, gross: 1600, discountAmount: 800, net: 800 });
    expect(db.prepare('SELECT discount_approved_by FROM cart_line WHERE id = ?').pluck().get(lineId)).toBe(DEMO_MANAGER.id);
    expect(overLimitRows()).toEqual([{ approverId: DEMO_MANAGER.id, lineId, amount: 800, basisPoints: 5000, limit: 1000 }]);

    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 800 }] });
    expect(receipt.total).toBe(800);
  });

  it('a lower price a manager approves records them as approving the amount discount it takes over the limit', async () => {
    const { call, reg, db, overLimitRows } = await cashierAtTill();
    const lineId = await tenWatersWithEightOff(call);
    // A cashier may not change a price at all; the manager's PIN for HK$4 a bottle approves HK$8 off HK$40 (20 %) too.
    const refused = await reg.dispatch('cart:set-price', { lineId, unitPrice: 400 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    const cart = await call<Cart>('cart:set-price', { lineId, unitPrice: 400, approval: MANAGER_APPROVAL });
    expect(cart.lines[0]).toMatchObject({ gross: 4000, discountAmount: 800, net: 3200 });
    expect(db.prepare('SELECT discount_approved_by FROM cart_line WHERE id = ?').pluck().get(lineId)).toBe(DEMO_MANAGER.id);
    expect(overLimitRows()).toEqual([{ approverId: DEMO_MANAGER.id, lineId, amount: 800, basisPoints: 2000, limit: 1000 }]);
  });

  it('removing a line under an amount cart discount re-checks the cart discount', async () => {
    const { call, reg, db, overLimitRows } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: WATER });
    const water = cart.lines[0]!.id;
    await call<Cart>('cart:set-quantity', { lineId: water, quantity: 9 });
    await call<Cart>('cart:scan', { code: MILK_TEA });
    // HK$72 + HK$18 = HK$90, HK$9 off: 10 %
    cart = await call<Cart>('cart:set-cart-discount', { discount: { kind: 'amount', cents: 900 } });
    expect(cart).toMatchObject({ subtotal: 9000, discountTotal: 900 });

    // Without the waters HK$9 is half of the milk tea.
    const refused = await reg.dispatch('cart:remove-line', { lineId: water });
    expect(refused).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect((await call<Cart>('cart:get', {})).lines).toHaveLength(2);

    cart = await call<Cart>('cart:remove-line', { lineId: water, approval: MANAGER_APPROVAL });
    expect(cart).toMatchObject({ subtotal: 1800, discountTotal: 900, total: 900 });
    expect(db.prepare('SELECT discount_approved_by FROM cart WHERE id = ?').pluck().get(cart.id)).toBe(DEMO_MANAGER.id);
    expect(overLimitRows()).toEqual([{ approverId: DEMO_MANAGER.id, amount: 900, basisPoints: 5000, limit: 1000 }]);
  });

  it('an approval racing a quantity change is checked against the cart as it is when the discount is written', async () => {
    const { call, reg, overLimitRows } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: WATER });
    const lineId = cart.lines[0]!.id;
    await call<Cart>('cart:set-quantity', { lineId, quantity: 10 });

    // HK$16 off HK$80 is 20 %: the supervisor's limit. The quantity goes to 2 (HK$16) while the PIN is checked.
    const [discount, quantity] = await withTimeout(
      Promise.all([
        reg.dispatch('cart:set-line-discount', { lineId, discount: { kind: 'amount', cents: 1600 }, approval: SUPERVISOR }),
        reg.dispatch('cart:set-quantity', { lineId, quantity: 2 }),
      ]),
      10_000,
      'the discount and the quantity change',
    );
    expect(quantity).toMatchObject({ ok: true });
    expect(discount).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });

    cart = await call<Cart>('cart:get', {});
    // Whatever the order, no line is more off than the supervisor's 20 %, and no audit row says otherwise.
    for (const line of cart.lines) expect(line.discountAmount * 10_000).toBeLessThanOrEqual(line.gross * 2000);
    expect(cart.lines[0]).toMatchObject({ quantity: 2, discount: null, net: 1600 });
    expect(overLimitRows()).toEqual([]);
  });

  it('a sale whose discount is more than its approver may give now is refused when it is completed', async () => {
    const { call, reg, db } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: WATER });
    const lineId = cart.lines[0]!.id;
    cart = await call<Cart>('cart:set-line-discount', {
      lineId,
      discount: { kind: 'percent', basisPoints: 2000 },
      approval: SUPERVISOR,
    });
    expect(cart.total).toBe(640);
    // The supervisor is made a cashier again before the sale is paid: 20 % is more than they may give.
    db.prepare("UPDATE staff SET role = 'cashier' WHERE id = ?").run(SUPERVISOR.staffId);

    // the cart says so at once, so the till has it approved before payment
    expect(await call<Cart>('cart:get', {})).toMatchObject({ discountsToApprove: true });
    const refused = await reg.dispatch('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 640 }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DISCOUNT_OVER_LIMIT' } });
    expect(db.prepare('SELECT count(*) FROM sale').pluck().get()).toBe(0);

    // A manager approves it again; the sale goes through.
    cart = await call<Cart>('cart:set-line-discount', {
      lineId,
      discount: { kind: 'percent', basisPoints: 2000 },
      approval: MANAGER_APPROVAL,
    });
    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 640 }] });
    expect(receipt.total).toBe(640);
  });
});

describe('a member’s prices are a change that can raise a discount’s share', () => {
  /** Ten waters (HK$80) with HK$8 off the cart: 10 %, the cashier's own limit. */
  async function tenWatersWithEightOffTheCart(call: <T>(channel: string, payload?: unknown) => Promise<T>): Promise<Cart> {
    const cart = await call<Cart>('cart:scan', { code: WATER });
    await call<Cart>('cart:set-quantity', { lineId: cart.lines[0]!.id, quantity: 10 });
    return call<Cart>('cart:set-cart-discount', { discount: { kind: 'amount', cents: 800 } });
  }

  it('attaching a member whose prices take the cart discount over the cashier’s limit needs a manager, before the member is on the sale', async () => {
    const { call, reg, db, overLimitRows } = await cashierAtTill();
    let cart = await tenWatersWithEightOffTheCart(call);
    expect(cart).toMatchObject({ subtotal: 8000, discountTotal: 800, total: 7200 });

    // 陳大文 (gold) pays HK$6 a water: HK$8 off HK$60 is 13.34 %, over the cashier's 10 %.
    const refused = await reg.dispatch('cart:set-member', { code: 'M90000001' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    cart = await call<Cart>('cart:get', {});
    expect(cart).toMatchObject({ member: null, total: 7200 });
    expect(db.prepare('SELECT member_code FROM cart WHERE id = ?').pluck().get(cart.id)).toBeNull();

    cart = await call<Cart>('cart:set-member', { code: 'M90000001', approval: MANAGER_APPROVAL });
    expect(cart).toMatchObject({ member: { code: 'M90000001' }, promotionTotal: 2000, discountTotal: 800, total: 5200 });
    expect(db.prepare('SELECT discount_approved_by FROM cart WHERE id = ?').pluck().get(cart.id)).toBe(DEMO_MANAGER.id);
    expect(overLimitRows()).toEqual([{ approverId: DEMO_MANAGER.id, amount: 800, basisPoints: 1334, limit: 1000 }]);

    // Approved when the member came on: the sale is paid, not refused at payment.
    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 5200 }] });
    expect(receipt).toMatchObject({ total: 5200, discountTotal: 800 });
  });

  it('a member whose prices keep every discount within its limit comes on at once; taking them off needs nobody', async () => {
    const { call, overLimitRows } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: WATER });
    await call<Cart>('cart:set-quantity', { lineId: cart.lines[0]!.id, quantity: 10 });
    // HK$6 off: 7.5 % of HK$80, 10 % of the member's HK$60
    await call<Cart>('cart:set-cart-discount', { discount: { kind: 'amount', cents: 600 } });
    cart = await call<Cart>('cart:set-member', { code: 'M90000001' });
    expect(cart).toMatchObject({ member: { code: 'M90000001' }, total: 5400 });
    cart = await call<Cart>('cart:set-member', { code: null });
    expect(cart).toMatchObject({ member: null, total: 7400 });
    expect(overLimitRows()).toEqual([]);
  });
});

describe('an amount cart discount is never more than the cart without the till saying so', () => {
  it('a cart discount more than the cart is refused with both figures, whoever sets it; nothing is written', async () => {
    const { call, reg, db } = await cashierAtTill();
    const cart = await call<Cart>('cart:scan', { code: WATER });
    for (const approval of [undefined, MANAGER_APPROVAL]) {
      const refused = await reg.dispatch('cart:set-cart-discount', {
        discount: { kind: 'amount', cents: 1000 },
        ...(approval ? { approval } : {}),
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'DISCOUNT_MORE_THAN_CART', values: { askedCents: 1000, cartCents: 800 } },
      });
    }
    expect(db.prepare('SELECT discount_kind, discount_value FROM cart WHERE id = ?').get(cart.id)).toEqual({
      discount_kind: null,
      discount_value: null,
    });
    // the whole cart is fine
    expect(
      await call<Cart>('cart:set-cart-discount', { discount: { kind: 'amount', cents: 800 }, approval: MANAGER_APPROVAL }),
    ).toMatchObject({ total: 0, cartDiscountAmount: 800 });
  });

  it('a cart that shrinks while the manager’s PIN for its discount is checked is checked again when the discount is written', async () => {
    const { call, reg, db } = await cashierAtTill();
    await call<Cart>('cart:scan', { code: WATER });
    const cart = await call<Cart>('cart:scan', { code: MILK_TEA });
    const milkTea = cart.lines[1]!.id;
    // HK$20 off HK$26 is asked with a manager's PIN; the milk tea goes back while the PIN is checked.
    const [discount, removed] = await withTimeout(
      Promise.all([
        reg.dispatch('cart:set-cart-discount', { discount: { kind: 'amount', cents: 2000 }, approval: MANAGER_APPROVAL }),
        reg.dispatch('cart:remove-line', { lineId: milkTea }),
      ]),
      10_000,
      'the cart discount and the removal',
    );
    expect(removed).toMatchObject({ ok: true });
    expect(discount).toMatchObject({ ok: false, error: { code: 'DISCOUNT_MORE_THAN_CART', values: { askedCents: 2000, cartCents: 800 } } });
    expect(db.prepare('SELECT discount_kind FROM cart WHERE id = ?').pluck().get(cart.id)).toBeNull();
    expect(await call<Cart>('cart:get', {})).toMatchObject({ discount: null, total: 800 });
  });

  it('a cart that shrinks under its discount shows what was asked and what applies; the receipt and the document charge what applies', async () => {
    const { call, db } = await cashierAtTill();
    await call<Cart>('cart:scan', { code: WATER });
    let cart = await call<Cart>('cart:scan', { code: MILK_TEA });
    const milkTea = cart.lines[1]!.id;
    // HK$20 off HK$26 (a manager's)
    cart = await call<Cart>('cart:set-cart-discount', { discount: { kind: 'amount', cents: 2000 }, approval: MANAGER_APPROVAL });
    expect(cart).toMatchObject({ discount: { kind: 'amount', cents: 2000 }, cartDiscountAmount: 2000, total: 600 });

    // The milk tea goes back: the water alone is HK$8, so HK$8 of the HK$20 applies, and the cart says both.
    cart = await call<Cart>('cart:remove-line', { lineId: milkTea });
    expect(cart).toMatchObject({ discount: { kind: 'amount', cents: 2000 }, cartDiscountAmount: 800, discountTotal: 800, total: 0 });

    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [] });
    expect(receipt).toMatchObject({ subtotal: 800, discountTotal: 800, total: 0 });
    expect(receipt.lines).toMatchObject([{ gross: 800, discountAmount: 800, net: 0 }]);
    expect(db.prepare('SELECT discount_total, total FROM sale WHERE receipt_no = ?').get(receipt.receiptNo)).toEqual({
      discount_total: 800,
      total: 0,
    });
    const pushed = JSON.parse(
      db.prepare("SELECT payload FROM outbox WHERE kind = 'document.sale' AND ref = ?").pluck().get(receipt.receiptNo) as string,
    ) as Receipt;
    expect(pushed).toMatchObject({ discountTotal: 800, total: 0 });
  });
});

describe('an amount line discount is never more than the line without the till saying so', () => {
  it('a line discount more than what the line’s offers leave is refused with both figures, whoever sets it; nothing is written', async () => {
    const { call, reg, db } = await cashierAtTill();
    let cart = await call<Cart>('cart:scan', { code: MILK_TEA });
    const lineId = cart.lines[0]!.id;
    // two milk teas: HK$36, the second at half price, so the line is HK$27 after its offer
    cart = await call<Cart>('cart:set-quantity', { lineId, quantity: 2 });
    expect(cart.lines[0]).toMatchObject({ gross: 3600, net: 2700 });
    for (const approval of [undefined, MANAGER_APPROVAL]) {
      const refused = await reg.dispatch('cart:set-line-discount', {
        lineId,
        discount: { kind: 'amount', cents: 3000 },
        ...(approval ? { approval } : {}),
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'DISCOUNT_MORE_THAN_LINE', values: { askedCents: 3000, lineCents: 2700 } },
      });
    }
    expect(db.prepare('SELECT discount_kind, discount_value FROM cart_line WHERE id = ?').get(lineId)).toEqual({
      discount_kind: null,
      discount_value: null,
    });
    // the whole line is fine, with a manager's PIN
    cart = await call<Cart>('cart:set-line-discount', { lineId, discount: { kind: 'amount', cents: 2700 }, approval: MANAGER_APPROVAL });
    expect(cart.lines[0]).toMatchObject({ gross: 3600, net: 0 });
    // more than the line's price itself: the same refusal, not a bare BAD_REQUEST
    cart = await call<Cart>('cart:scan', { code: WATER });
    expect(
      await reg.dispatch('cart:set-line-discount', { lineId: cart.lines[1]!.id, discount: { kind: 'amount', cents: 1000 } }),
    ).toMatchObject({ ok: false, error: { code: 'DISCOUNT_MORE_THAN_LINE', values: { askedCents: 1000, lineCents: 800 } } });
  });

  it('a line that shrinks while the manager’s PIN for its discount is checked is checked again when the discount is written', async () => {
    const { call, reg, db } = await cashierAtTill();
    const cart = await call<Cart>('cart:scan', { code: WATER });
    const lineId = cart.lines[0]!.id;
    await call<Cart>('cart:set-quantity', { lineId, quantity: 2 });
    // HK$15 off HK$16 is asked with a manager's PIN; one water goes back while the PIN is checked.
    const [discount, fewer] = await withTimeout(
      Promise.all([
        reg.dispatch('cart:set-line-discount', { lineId, discount: { kind: 'amount', cents: 1500 }, approval: MANAGER_APPROVAL }),
        reg.dispatch('cart:set-quantity', { lineId, quantity: 1 }),
      ]),
      10_000,
      'the line discount and the quantity change',
    );
    expect(fewer).toMatchObject({ ok: true });
    expect(discount).toMatchObject({ ok: false, error: { code: 'DISCOUNT_MORE_THAN_LINE', values: { askedCents: 1500, lineCents: 800 } } });
    expect(db.prepare('SELECT discount_kind FROM cart_line WHERE id = ?').pluck().get(lineId)).toBeNull();
    expect(await call<Cart>('cart:get', {})).toMatchObject({ total: 800 });
  });

  it('a scan that starts a promotion under an amount discount shows it over the limit; the manager approves it before payment, once', async () => {
    const { call, reg, db, overLimitRows } = await cashierAtTill();
    // any three waters HK$10 (HK$24 at list price)
    db.prepare(
      "INSERT INTO promotion (id, code, name_zh, name_en, kind, params, active) VALUES (9001, 'W3', '蒸餾水三支 HK$10', 'Water 3 for HK$10', 'bundle', ?, 1)",
    ).run(JSON.stringify({ target: { skus: ['DRI-0005'] }, quantity: 3, price: 1000 }));
    let cart = await call<Cart>('cart:scan', { code: WATER });
    const lineId = cart.lines[0]!.id;
    expect(cart.lines[0]!.sku).toBe('DRI-0005');
    await call<Cart>('cart:set-quantity', { lineId, quantity: 2 });
    // HK$1.60 off HK$16: 10 %, the cashier's own limit
    cart = await call<Cart>('cart:set-line-discount', { lineId, discount: { kind: 'amount', cents: 160 } });
    expect(cart.discountsToApprove).toBeUndefined();

    // the third water starts the bundle (HK$14 off the three, HK$9.33 of it on the discounted line): HK$1.60 off
    // the HK$6.67 that line keeps is 24 %. The scan is taken, and the cart says so.
    cart = await call<Cart>('cart:scan', { code: WATER });
    // (a line with a discount of its own is not added to: the third water is a line of its own)
    expect(cart.lines.map((l) => l.quantity)).toEqual([2, 1]);
    expect(cart).toMatchObject({ subtotal: 2400, promotionTotal: 1400, discountTotal: 160, total: 840 });
    expect(cart.discountsToApprove).toBe(true);

    // before payment: over the cashier's limit, so a manager must approve; a cashier's PIN is not enough
    expect(await reg.dispatch('cart:approve-discounts', {})).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect(await reg.dispatch('cart:approve-discounts', { approval: { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin } })).toMatchObject({
      ok: false,
    });
    expect(await reg.dispatch('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 840 }] })).toMatchObject({
      ok: false,
      error: { code: 'DISCOUNT_OVER_LIMIT' },
    });
    cart = await call<Cart>('cart:approve-discounts', { approval: MANAGER_APPROVAL });
    expect(cart.discountsToApprove).toBeUndefined();
    expect(cart.total).toBe(840);
    expect(overLimitRows()).toEqual([{ approverId: DEMO_MANAGER.id, lineId, amount: 160, basisPoints: 2399, limit: 1000 }]);
    // asked again (F12 twice): nothing more to approve, nothing audited twice
    await call<Cart>('cart:approve-discounts', {});
    expect(overLimitRows()).toHaveLength(1);

    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 840 }] });
    expect(receipt.total).toBe(840);
  });
});
