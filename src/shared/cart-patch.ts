/**
 * A cart answered as what changed since a cart the window already holds (issue 18). A scan into a
 * 300-line cart changes one line and the totals; sending, checking and parsing the other 299 lines
 * on every scan cost the till about 10 of its 25 ms. So the window names the newest cart it holds
 * (`known`, its revision) with the intents that change lines; the core answers a patch when it
 * still remembers that cart, the whole cart when it does not; the window rebuilds the whole cart
 * from the patch and the cart it named, and reads the cart again if it no longer holds that one.
 * The core prices the whole cart every time, as before: only what travels is smaller.
 */
import * as z from './zod';
import { Cart, CartLine, CartRevision } from './checkout-schemas';
import { sameValue } from './same-value';

export const CartPatch = z.strictObject({
  /** The revision of the cart this patch applies to. */
  patchOf: CartRevision,
  /** Everything of the cart but its lines, as it now is (its own revision included). */
  cart: Cart.omit({ lines: true }),
  /** Every line's id, in the cart's order. */
  lineIds: z.array(z.number().int().positive()),
  /** The lines that are new or differ from the same line in the cart `patchOf` names. */
  changed: z.array(CartLine),
});
export type CartPatch = z.infer<typeof CartPatch>;

/** What an intent that changes lines answers: the whole cart, or a patch of the cart it named. */
export const CartAnswer = z.union([Cart, CartPatch]);
export type CartAnswer = z.infer<typeof CartAnswer>;

export const isCartPatch = (answer: CartAnswer): answer is CartPatch => 'patchOf' in answer;

/** `next` as a patch of `base`; null when `base` is another cart (a sale completed, a cart recalled). */
export function cartPatch(base: Cart, next: Cart): CartPatch | null {
  if (base.id !== next.id) return null;
  const before = new Map(base.lines.map((line) => [line.id, line]));
  const changed = next.lines.filter((line) => {
    const old = before.get(line.id);
    return old === undefined || !sameValue(old, line);
  });
  const { lines, ...cart } = next;
  return { patchOf: base.revision, cart, lineIds: lines.map((line) => line.id), changed };
}

/**
 * The whole cart `patch` describes, built on `base`: its unchanged lines are `base`'s own objects
 * (memoised rows skip them). Null when `base` is not the cart the patch applies to, or lacks a
 * line the patch keeps: the caller then reads the whole cart.
 */
export function applyCartPatch(base: Cart, patch: CartPatch): Cart | null {
  if (base.revision !== patch.patchOf || base.id !== patch.cart.id) return null;
  const byId = new Map(base.lines.map((line) => [line.id, line]));
  for (const line of patch.changed) byId.set(line.id, line);
  const lines: CartLine[] = [];
  for (const id of patch.lineIds) {
    const line = byId.get(id);
    if (line === undefined) return null;
    lines.push(line);
  }
  return { ...patch.cart, lines };
}

/**
 * The last few carts by revision: the core's, to patch against the cart a window names; the
 * window's, to rebuild a patch of a cart it received before the newest (a scanner's second code
 * sent before the first one's answer came back names the same cart).
 */
export class RecentCarts {
  private readonly carts: Cart[] = [];

  constructor(private readonly size = 4) {}

  remember(cart: Cart): void {
    if (this.carts.at(-1)?.revision === cart.revision) return;
    this.carts.push(cart);
    if (this.carts.length > this.size) this.carts.shift();
  }

  get(revision: string): Cart | undefined {
    return this.carts.find((cart) => cart.revision === revision);
  }

  /** The newest cart remembered: the one a window names with its next intent. */
  newest(): Cart | undefined {
    return this.carts.at(-1);
  }

  clear(): void {
    this.carts.length = 0;
  }

  /** What an intent answers: a patch of the cart `known` names when it is remembered, else the whole cart. */
  answer(cart: Cart, known: string | undefined): CartAnswer {
    const base = known === undefined ? undefined : this.get(known);
    return (base && cartPatch(base, cart)) ?? cart;
  }
}
