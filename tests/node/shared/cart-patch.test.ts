import { describe, expect, it } from 'vitest';
import { CartAnswer, RecentCarts, applyCartPatch, cartPatch, isCartPatch } from '../../../src/shared/cart-patch';
import { cartLine, cartOf } from '../renderer/fake-pos-api';

const lines = Array.from({ length: 300 }, (_, i) => cartLine({ id: i + 1, sku: `SKU-${i + 1}` }));
const big = cartOf(lines);

describe('a cart answered as what changed', () => {
  it('a scan into a 300-line cart travels as its one new line, the totals and the order of ids', () => {
    const next = cartOf([...lines.map((l) => ({ ...l })), cartLine({ id: 301, sku: 'NEW' })], { lastLineId: 301 });
    const patch = cartPatch(big, next);
    expect(patch).not.toBeNull();
    expect(patch!.patchOf).toBe(big.revision);
    expect(patch!.changed.map((l) => l.id)).toEqual([301]);
    expect(patch!.lineIds).toHaveLength(301);
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(next).length / 10);
    expect(CartAnswer.safeParse(patch).success).toBe(true);

    const rebuilt = applyCartPatch(big, patch!);
    expect(rebuilt).toEqual(next);
    // unchanged lines are the held cart's own objects: a memoised row skips them
    expect(rebuilt!.lines[0]).toBe(big.lines[0]);
    expect(rebuilt!.lines[299]).toBe(big.lines[299]);
  });

  it('a changed quantity, a removed line and a new order all come through', () => {
    const next = cartOf([{ ...lines[2]!, quantity: 3, gross: 5400, net: 5400 }, ...lines.slice(0, 2), ...lines.slice(4)]);
    const patch = cartPatch(big, next)!;
    expect(patch.changed.map((l) => l.id)).toEqual([3]);
    expect(applyCartPatch(big, patch)).toEqual(next);
  });

  it('is not made across carts, nor applied to a cart it does not patch', () => {
    const other = cartOf([cartLine({ id: 1 })], { id: 101 });
    expect(cartPatch(big, other)).toBeNull();
    const patch = cartPatch(big, cartOf(lines))!;
    expect(applyCartPatch(cartOf(lines), patch)).toBeNull(); // another revision
    expect(applyCartPatch({ ...big, lines: big.lines.slice(1) }, patch)).toBeNull(); // a line it keeps is missing
  });

  it('the core patches only against a cart it still remembers, else answers the whole cart', () => {
    const recent = new RecentCarts(2);
    const a = cartOf([lines[0]!]);
    const b = cartOf([lines[0]!, lines[1]!]);
    const c = cartOf([lines[0]!, lines[1]!, lines[2]!]);
    recent.remember(a);
    recent.remember(b);
    const answered = recent.answer(c, a.revision);
    expect(isCartPatch(answered) && answered.changed.map((l) => l.id)).toEqual([2, 3]);
    expect(recent.answer(c, undefined)).toBe(c);
    expect(recent.answer(c, 'elsewhere.1')).toBe(c);
    recent.remember(c); // a falls out of a ring of 2
    expect(recent.answer(c, a.revision)).toBe(c);
    expect(recent.newest()).toBe(c);
  });
});
