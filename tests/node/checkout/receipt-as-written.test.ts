import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00, 第二件半價
const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50, 9 折
const WATER = '4891234000050'; // 蒸餾水 HK$8.00
const openRegister = useDemoRegisters();

describe('the receipt sale:complete answers', () => {
  it('is the receipt the stored document reads back as, and the one the outbox sends, for a sale, an exchange and returns', async () => {
    const { call, dataDir } = await openRegister({ staff: DEMO_MANAGER });
    const completed: Receipt[] = [];
    const complete = async (cart: Cart, tenders: unknown[]) => {
      const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders });
      completed.push(receipt);
      return receipt;
    };

    // A sale with a promotion, a category discount, a line discount, a cart discount, split tender and rounding
    await call<Cart>('cart:scan', { code: MILK_TEA });
    await call<Cart>('cart:scan', { code: MILK_TEA });
    await call<Cart>('cart:scan', { code: PINEAPPLE_BUN });
    const scanned = await call<Cart>('cart:scan', { code: WATER });
    await call<Cart>('cart:set-line-discount', { lineId: scanned.lines[2]!.id, discount: { kind: 'amount', cents: 50 } });
    let cart = await call<Cart>('cart:set-cart-discount', { discount: { kind: 'percent', basisPoints: 500 } });
    const sale = await complete(cart, [
      { method: 'card', amount: 1000, approvalCode: 'A1B2C3', cardLast4: '4242' },
      { method: 'cash', amount: cart.total - 1000, tendered: 10_000 },
    ]);

    // An exchange: one tea back, a water out
    await call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }] });
    cart = await call<Cart>('cart:scan', { code: WATER });
    const exchange =
      cart.total >= 0
        ? await complete(cart, [{ method: 'cash', amount: Math.max(cart.total, 1), tendered: 2000 }])
        : await complete(cart, [{ method: 'cash', amount: -cart.total }]);

    // A return of the bun with its receipt, and one without a receipt (a manager may)
    cart = await call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId: sale.lines[1]!.id, quantity: 1 }] });
    await complete(cart, [{ method: 'cash', amount: -cart.total }]);
    cart = await call<Cart>('cart:add-return-without-receipt', { code: WATER, quantity: 1 });
    await complete(cart, [{ method: 'cash', amount: -cart.total }]);

    expect(completed.map((r) => r.kind)).toEqual(['sale', 'exchange', 'return', 'return']);
    expect(exchange.originalReceiptNo).toBe(sale.receiptNo);
    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    const outbox = new Map(
      db
        .prepare('SELECT ref, payload FROM outbox')
        .all()
        .map((row) => [(row as { ref: string }).ref, JSON.parse((row as { payload: string }).payload) as Receipt]),
    );
    db.close();
    for (const answered of completed) {
      const stored = await call<Receipt>('sale:find', { receiptNo: answered.receiptNo });
      // What was returned since changes what is still returnable; all else is as answered.
      const asAnswered = {
        ...stored,
        lines: stored.lines.map((line, i) => ({ ...line, returnableQuantity: answered.lines[i]!.returnableQuantity })),
      };
      expect(answered).toEqual(asAnswered);
      expect(outbox.get(answered.receiptNo)).toEqual(answered);
    }
  });
});
