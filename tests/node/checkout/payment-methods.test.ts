import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cart, PaymentMethod, Receipt } from '../../../src/shared/checkout-schemas';
import type { PaymentMethodSetting } from '../../../src/shared/payment-method-schemas';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { unwrap, useDemoRegisters, type StaffPin } from '../helpers/register-session';

const WATER = '4891234000050'; // 蒸餾水 HK$8.00
const openRegister = useDemoRegisters();
const registerWith = (staff: StaffPin) => openRegister({ staff });

const voucher = { code: 'mall-voucher', nameZh: '商場禮券', nameEn: 'Mall voucher', kind: 'reference', active: true } as const;

/** Points, store credit and gift cards (issue 13), built in after the seven. */
const STORED_VALUE = ['member-points', 'member-credit', 'gift-card'];

describe('the store’s payment methods', () => {
  it('a manager adds a store method; the till offers it and a sale can be paid with it; the change is audited', async () => {
    const { reg, call, dataDir } = await registerWith(DEMO_MANAGER);
    const before = await call<PaymentMethodSetting[]>('payment:methods-all', {});
    expect(before.map((m) => m.code)).toEqual(['cash', 'card', 'octopus', 'fps', 'payme', 'alipayhk', 'wechatpay', ...STORED_VALUE]);
    expect(before.every((m) => m.builtIn && m.active)).toBe(true);

    const after = await call<PaymentMethodSetting[]>('payment:save-method', voucher);
    expect(after.at(-1)).toMatchObject({ ...voucher, builtIn: false, sort: 11 });

    unwrap(await reg.dispatch('staff:logout', {}));
    await call('staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin });
    expect((await call<PaymentMethod[]>('payment:methods', {})).map((m) => m.code)).toContain('mall-voucher');
    const cart = await call<Cart>('cart:scan', { code: WATER });
    const receipt = await call<Receipt>('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'mall-voucher', amount: 800, reference: 'V-000123' }],
    });
    expect(receipt.payments.map((p) => p.method)).toEqual(['mall-voucher']);

    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    const audited = db.prepare("SELECT staff_id, subject FROM audit_log WHERE kind = 'settings.changed'").all();
    db.close();
    expect(audited).toEqual([{ staff_id: DEMO_MANAGER.id, subject: 'payment_method:mall-voucher' }]);
  });

  it('switched off, a method leaves the till; moved, it changes place', async () => {
    const { call, reg } = await registerWith(DEMO_MANAGER);
    await call('payment:save-method', { code: 'payme', nameZh: 'PayMe', nameEn: 'PayMe', kind: 'reference', active: false });
    const moved = await call<PaymentMethodSetting[]>('payment:move-method', { code: 'wechatpay', direction: 'up' });
    expect(moved.map((m) => m.code)).toEqual(['cash', 'card', 'octopus', 'fps', 'payme', 'wechatpay', 'alipayhk', ...STORED_VALUE]);
    const tillMethods = unwrap<PaymentMethod[]>(await reg.dispatch('payment:methods', {}));
    expect(tillMethods.map((m) => m.code)).toEqual(['cash', 'card', 'octopus', 'fps', 'wechatpay', 'alipayhk', ...STORED_VALUE]);
    // points and store credit are their own kind (the payment screen offers them only with a member on the sale)
    expect(tillMethods.filter((m) => m.kind === 'stored-value').map((m) => m.code)).toEqual(STORED_VALUE);
  });

  it('refuses what would break the till, and a cashier altogether, changing nothing', async () => {
    const { call, reg } = await registerWith(DEMO_MANAGER);
    const refused = async (payload: unknown, code: string) => {
      const result = await reg.dispatch('payment:save-method', payload);
      expect(result.ok ? 'ok' : result.error.code).toBe(code);
    };
    await refused({ code: 'cash', nameZh: '現金', nameEn: 'Cash', kind: 'reference', active: false }, 'BAD_REQUEST');
    await refused({ code: 'octopus', nameZh: '八達通', nameEn: 'Octopus', kind: 'card', active: true }, 'BAD_REQUEST');
    await refused({ code: 'Bad Code', nameZh: '禮券', nameEn: 'Voucher', kind: 'reference', active: true }, 'BAD_REQUEST');
    await refused({ code: 'voucher', nameZh: '', nameEn: 'Voucher', kind: 'reference', active: true }, 'BAD_REQUEST');
    await refused({ code: 'voucher', nameZh: '禮券', nameEn: 'Voucher', kind: 'cash', active: true }, 'BAD_REQUEST');
    const unchanged = await call<PaymentMethodSetting[]>('payment:methods-all', {});
    expect(unchanged).toHaveLength(10);
    expect(unchanged[0]).toMatchObject({ code: 'cash', active: true, kind: 'cash' });

    unwrap(await reg.dispatch('staff:logout', {}));
    await call('staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin });
    const forbidden = await reg.dispatch('payment:save-method', voucher);
    expect(forbidden.ok ? 'ok' : forbidden.error.code).toBe('FORBIDDEN');
  });
});
