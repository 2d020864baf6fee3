import { describe, expect, it } from 'vitest';
import { createCustomerViewStore } from '../../../src/renderer/customer/customer-view-store';
import type { PosEvent } from '../../../src/shared/channels';
import type { CustomerView } from '../../../src/shared/customer-display-schemas';
import type { Result } from '../../../src/shared/errors';

const idle: CustomerView = {
  phase: 'idle',
  store: { nameZh: '旺角店', nameEn: 'Mong Kok' },
  lines: [],
  total: 0,
  change: 0,
  paymentQr: null,
  fpsQr: null,
};
const cart: CustomerView = {
  ...idle,
  phase: 'cart',
  lines: [{ id: 1, nameZh: '港式奶茶', nameEn: 'HK Milk Tea', quantity: 1, unitPrice: 1800, amount: 1800 }],
  total: 1800,
};

function fakeApi(first: Result<CustomerView>) {
  const listeners = new Set<(event: PosEvent) => void>();
  let calls = 0;
  return {
    api: {
      'customer:view': () => {
        calls++;
        return Promise.resolve(first);
      },
      onEvent: (listener: (event: PosEvent) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    push: (event: PosEvent) => listeners.forEach((l) => l(event)),
    calls: () => calls,
    listeners: () => listeners.size,
  };
}

describe('customer screen store', () => {
  it('loads the view once, then follows customer:cart events and ignores everything else', async () => {
    const fake = fakeApi({ ok: true, value: idle });
    const store = createCustomerViewStore(fake.api);
    store.getState().start();
    store.getState().start(); // StrictMode or a second mount: one subscription, one load
    await Promise.resolve();
    expect(store.getState().view).toEqual(idle);
    expect(fake.calls()).toBe(1);
    expect(fake.listeners()).toBe(1);

    fake.push({ event: 'customer:cart', payload: cart });
    expect(store.getState().view).toEqual(cart);
    fake.push({ event: 'scanner:scan', payload: { code: '4891234000012', symbology: 'EAN-13' } });
    expect(store.getState().view).toEqual(cart);
  });

  it('shows nothing until the register answers', async () => {
    const fake = fakeApi({ ok: false, error: { code: 'DISCONNECTED', message: 'gone' } });
    const store = createCustomerViewStore(fake.api);
    store.getState().start();
    await Promise.resolve();
    expect(store.getState().view).toBeNull();
    fake.push({ event: 'customer:cart', payload: idle });
    expect(store.getState().view).toEqual(idle);
  });
});
