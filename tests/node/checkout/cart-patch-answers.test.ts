import { describe, expect, it } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import { applyCartPatch, isCartPatch, type CartAnswer } from '../../../src/shared/cart-patch';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00, 第二件半價
const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50, bakery 10 % off
const WATER = '4891234000050'; // 蒸餾水 HK$8.00

const openRegister = useDemoRegisters();
const withoutRevision = ({ revision: _revision, ...rest }: Cart) => rest;

describe('the core answers a window that names its cart with what changed since', () => {
  it('a scan, a second unit, a removal: each patch rebuilds exactly the cart the core holds', async () => {
    const { call } = await openRegister({ staff: DEMO_CASHIER });
    await call<Cart>('cart:scan', { code: MILK_TEA });
    let held = await call<Cart>('cart:scan', { code: PINEAPPLE_BUN });
    expect(held.revision).toMatch(/^[0-9a-f]{8}\.\d+$/);

    // Each step: the channel, its payload (given the cart held: lines by position, 1-based), and the
    // positions of the lines the patch must carry (one past the last: a new line).
    const lineAt = (position: number) => held.lines[position - 1]!.id;
    const steps: [string, () => Record<string, unknown>, number[]][] = [
      ['cart:scan', () => ({ code: WATER }), [3]], // a new line only
      ['cart:scan', () => ({ code: MILK_TEA }), [1]], // 第二件半價 now applies to line 1: it changed, the others did not
      ['cart:set-quantity', () => ({ lineId: lineAt(2), quantity: 3 }), [2]],
      ['cart:remove-line', () => ({ lineId: lineAt(3) }), []],
    ];
    for (const [channel, payload, changedPositions] of steps) {
      const answer = await call<CartAnswer>(channel, { ...payload(), known: held.revision });
      expect(isCartPatch(answer)).toBe(true);
      if (!isCartPatch(answer)) return;
      const ids = held.lines.map((l) => l.id);
      expect(answer.changed.map((l) => (ids.includes(l.id) ? ids.indexOf(l.id) + 1 : held.lines.length + 1))).toEqual(changedPositions);
      const rebuilt = applyCartPatch(held, answer);
      expect(rebuilt).not.toBeNull();
      expect(withoutRevision(rebuilt!)).toEqual(withoutRevision(await call<Cart>('cart:get')));
      expect(rebuilt!.total).toBe(rebuilt!.lines.reduce((sum, l) => sum + l.net, 0));
      held = rebuilt!;
    }
    expect(held.lines.map((l) => [l.nameZh, l.quantity])).toEqual([
      ['港式奶茶', 2],
      ['菠蘿包', 3],
    ]);
  });

  it('a cart the core does not remember (another start, another cart, a bad name) gets the whole cart', async () => {
    const { call } = await openRegister({ staff: DEMO_CASHIER });
    const first = await call<Cart>('cart:scan', { code: MILK_TEA });
    const elsewhere = await call<CartAnswer>('cart:scan', { code: WATER, known: 'deadbeef.1' });
    expect(isCartPatch(elsewhere)).toBe(false);
    expect((elsewhere as Cart).lines).toHaveLength(2);

    // After the sale, the next cart is another cart: the old one's revision gets a whole cart.
    const sold = elsewhere as Cart;
    await call('sale:complete', { cartId: sold.id, tenders: [{ method: 'cash', amount: sold.total, tendered: 10_000 }] });
    const next = await call<CartAnswer>('cart:scan', { code: PINEAPPLE_BUN, known: first.revision });
    expect(isCartPatch(next)).toBe(false);
    expect((next as Cart).id).not.toBe(sold.id);
    expect((next as Cart).lines.map((l) => l.nameZh)).toEqual(['菠蘿包']);
  });

  it('a malformed revision is refused before anything changes', async () => {
    const { reg, call } = await openRegister({ staff: DEMO_CASHIER });
    for (const known of ['', 'x'.repeat(41), 42]) {
      const result = await reg.dispatch('cart:scan', { code: MILK_TEA, known });
      expect(result.ok ? 'ok' : result.error.code).toBe('BAD_REQUEST');
    }
    expect((await call<Cart>('cart:get')).lines).toHaveLength(0);
  });
});
