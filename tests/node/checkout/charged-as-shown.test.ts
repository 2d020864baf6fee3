import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00, 第二件半價

const openRegister = useDemoRegisters();

describe('completing a cart', () => {
  it('charges the total the cashier was shown, even when a promotion ends in between; the next change prices afresh', async () => {
    const { call, dataDir } = await openRegister({ staff: DEMO_CASHIER });

    await call<Cart>('cart:scan', { code: MILK_TEA });
    const shown = await call<Cart>('cart:scan', { code: MILK_TEA });
    expect(shown.total).toBe(2700); // the second cup at half price

    // Head office ends every promotion; the sync worker writes through its own connection.
    const other = new Database(join(dataDir, 'register.db'));
    other.prepare('DELETE FROM promotion').run();
    other.close();

    const receipt = await call<Receipt>('sale:complete', { cartId: shown.id, tenders: [{ method: 'cash', amount: 2700, tendered: 5000 }] });
    expect(receipt.total).toBe(2700);

    await call<Cart>('cart:scan', { code: MILK_TEA });
    const next = await call<Cart>('cart:scan', { code: MILK_TEA });
    expect(next.total).toBe(3600);
    // A change to the shown cart prices it afresh too.
    const changed = await call<Cart>('cart:set-quantity', { lineId: next.lines[0]!.id, quantity: 3 });
    expect(changed.total).toBe(5400);
  });
});
