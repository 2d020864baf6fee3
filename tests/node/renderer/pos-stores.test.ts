import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPosStores } from '../../../src/renderer/stores/pos-stores';
import { cartLine, cartOf, chan, createFakePosApi, fail, ok, registerStatus, settle } from './fake-pos-api';

describe('the stores together', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const fake = createFakePosApi();
    const stores = createPosStores(fake.api, { retryDelaysMs: [1000] });
    return { fake, ...stores };
  };

  it('a till reopened with someone still logged in goes straight to the checkout', async () => {
    const { fake, register, session, catalog } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    register.getState().start();
    await settle();
    expect(session.getState().staff).toEqual(chan);
    expect(fake.calls('catalog:favourites')).toHaveLength(1);
    expect(catalog.getState().favouritesState).toBe('ready');
  });

  it('logging in loads the favourites and the cart; logging out clears them', async () => {
    const { fake, register, session, catalog, cart } = setup();
    register.getState().start();
    await settle();
    fake.answer('staff:login', ok(chan));
    session.getState().selectStaff(chan.id);
    for (const d of '1234') session.getState().pressDigit(d);
    await session.getState().submitPin();
    await settle();
    expect(catalog.getState().favourites).toHaveLength(2);
    expect(cart.getState().cart).not.toBeNull();
    catalog.getState().setQuery('milk');
    await session.getState().logout();
    expect(catalog.getState().query).toBe('');
    expect(catalog.getState().favourites).toHaveLength(0);
    expect(cart.getState().cart).toBeNull();
  });

  it('main logging the staff member out (a status event) returns the till to login', async () => {
    const { fake, register, session } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    register.getState().start();
    await settle();
    fake.emit({ event: 'register:status', payload: registerStatus({ staff: null }) });
    expect(session.getState().staff).toBeNull();
  });

  it('a session that ended in main shows the login screen at the next call', async () => {
    const { fake, register, session, cart } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    register.getState().start();
    await settle();
    fake.answer('cart:scan', fail('NOT_LOGGED_IN'));
    await cart.getState().scan('4890000000011');
    expect(session.getState().staff).toBeNull();
  });

  it('a call that finds the core gone shows the connection screen, and favourites come back with it', async () => {
    const { fake, register, catalog } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    fake.answer('catalog:favourites', fail('DISCONNECTED'));
    register.getState().start();
    await settle();
    expect(register.getState().connection).toBe('unreachable');
    expect(catalog.getState().favouritesState).toBe('failed');
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    await vi.advanceTimersByTimeAsync(1000);
    expect(register.getState().connection).toBe('connected');
    expect(catalog.getState().favouritesState).toBe('ready');
  });

  it('choosing FPS on the payment screen asks main for the FPS QR of the amount, and another method puts the total back', async () => {
    const { fake, register, payment } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    register.getState().start();
    await settle();
    payment.getState().begin(cartOf([cartLine({ id: 1, unitPrice: 2600, gross: 2600, net: 2600 })], { total: 2600 }));
    expect(fake.calls('customer:show-fps')).toEqual([]);
    payment.getState().chooseMethod('fps');
    expect(fake.calls('customer:show-fps')).toEqual([{ amount: 2600 }]);
    payment.getState().setAmountText('10');
    expect(fake.calls('customer:show-fps')).toEqual([{ amount: 2600 }, { amount: 1000 }]);
    payment.getState().setAmountText('10.0'); // the same amount: no new QR
    expect(fake.calls('customer:show-fps')).toHaveLength(2);
    const totals = fake.calls('customer:show-total').length;
    payment.getState().chooseMethod('cash');
    expect(fake.calls('customer:show-total')).toHaveLength(totals + 1);
    expect(fake.calls('customer:show-fps')).toHaveLength(2);
  });
});
