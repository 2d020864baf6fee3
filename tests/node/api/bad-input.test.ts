/**
 * Figures too big for a sale, sent over the API (the outside team's scripts): each is refused with a
 * typed error before anything is written, and the cart still answers afterwards. A cart whose
 * figures broke the contract's money bound (±HK$10,000,000,000.00) was written and then answered
 * INTERNAL to every read until it was voided.
 */
import { describe, expect, it } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const MILK_TEA = '4891234000012';
const WATER = '4891234000050';

const openRegister = useDemoRegisters();

describe('figures too big for a sale', () => {
  it('a return without a receipt at more than HK$1,000,000 a unit is refused, and nothing is written', async () => {
    const t = await openRegister({ staff: DEMO_MANAGER });
    await t.call<Cart>('cart:get');
    const before = snapshotDatabase(t.reg.dbFile);
    const refused = await t.reg.dispatch('cart:add-return-without-receipt', { code: MILK_TEA, quantity: 10_000, unitPrice: 1e12 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(snapshotDatabase(t.reg.dbFile)).toBe(before);
    expect(await t.reg.dispatch('cart:get', {})).toMatchObject({ ok: true, value: { lines: [] } });
  });

  it('lines that together come to more than HK$10,000,000,000 are refused at the line that goes over; the cart still answers', async () => {
    const t = await openRegister({ staff: DEMO_MANAGER });
    let cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    await t.call('cart:set-quantity', { lineId: cart.lines[0]!.id, quantity: 10_000 });
    cart = await t.call<Cart>('cart:set-price', { lineId: cart.lines[0]!.id, unitPrice: 99_999_999 });
    expect(cart.total).toBe(999_999_990_000);
    cart = await t.call<Cart>('cart:scan', { code: WATER });
    const before = snapshotDatabase(t.reg.dbFile);
    const water = cart.lines.find((l) => l.sku === 'DRI-0005')!;
    const refused = await t.reg.dispatch('cart:set-quantity', { lineId: water.id, quantity: 100 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(snapshotDatabase(t.reg.dbFile)).toBe(before);
    expect(await t.reg.dispatch('cart:get', {})).toMatchObject({ ok: true, value: { total: 999_999_990_800 } });
  });
});
