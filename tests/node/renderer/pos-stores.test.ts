import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPosStores } from '../../../src/renderer/stores/pos-stores';
import { chan, createFakePosApi, fail, milkTea, ok, registerStatus, settle } from './fake-pos-api';

describe('the stores together', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const fake = createFakePosApi();
    const stores = createPosStores(fake.api, { retryDelaysMs: [1000] });
    return { fake, ...stores };
  };

  it('a till reopened with someone still logged in goes straight to the price check', async () => {
    const { fake, register, session, priceCheck } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    register.getState().start();
    await settle();
    expect(session.getState().staff).toEqual(chan);
    expect(fake.calls('catalog:favourites')).toHaveLength(1);
    expect(priceCheck.getState().favouritesState).toBe('ready');
  });

  it('logging in loads the favourites; logging out clears the price check', async () => {
    const { fake, register, session, priceCheck } = setup();
    register.getState().start();
    await settle();
    fake.answer('staff:login', ok(chan));
    session.getState().selectStaff(chan.id);
    for (const d of '1234') session.getState().pressDigit(d);
    await session.getState().submitPin();
    await settle();
    expect(priceCheck.getState().favourites).toHaveLength(2);
    priceCheck.getState().showProduct(milkTea);
    await session.getState().logout();
    expect(priceCheck.getState().product).toBeNull();
    expect(priceCheck.getState().favourites).toHaveLength(0);
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
    const { fake, register, session, priceCheck } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    register.getState().start();
    await settle();
    fake.answer('catalog:lookup', fail('NOT_LOGGED_IN'));
    priceCheck.getState().setCode('123');
    await priceCheck.getState().lookup();
    expect(session.getState().staff).toBeNull();
  });

  it('a lookup that finds the core gone shows the connection screen, and favourites come back with it', async () => {
    const { fake, register, priceCheck } = setup();
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    fake.answer('catalog:favourites', fail('DISCONNECTED'));
    register.getState().start();
    await settle();
    expect(register.getState().connection).toBe('unreachable');
    expect(priceCheck.getState().favouritesState).toBe('failed');
    fake.answer('register:status', ok(registerStatus({ staff: chan })));
    await vi.advanceTimersByTimeAsync(1000);
    expect(register.getState().connection).toBe('connected');
    expect(priceCheck.getState().favouritesState).toBe('ready');
  });
});
