import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegisterStore } from '../../../src/renderer/stores/register-store';
import { createFakePosApi, fail, registerStatus, settle } from './fake-pos-api';

describe('register status', () => {
  let monotonic = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    monotonic = 0;
  });
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const fake = createFakePosApi();
    const store = createRegisterStore(fake.api, { monotonicNow: () => monotonic, retryDelaysMs: [1000, 3000] });
    return { fake, store };
  };

  it('loads the status at start and shows the till as connected', async () => {
    const { store } = setup();
    expect(store.getState().connection).toBe('connecting');
    store.getState().start();
    await settle();
    expect(store.getState().connection).toBe('connected');
    expect(store.getState().status?.store.nameZh).toBe('旺角店');
  });

  it('follows register:status events and stops listening when stopped', async () => {
    const { fake, store } = setup();
    const stop = store.getState().start();
    await settle();
    fake.emit({ event: 'register:status', payload: registerStatus({ sync: { state: 'offline', pending: 3, attention: null } }) });
    expect(store.getState().status?.sync).toEqual({ state: 'offline', pending: 3, attention: null });
    stop();
    expect(fake.listenerCount()).toBe(0);
  });

  it("tells main's time from the last status, counting on the renderer's monotonic clock", async () => {
    const { fake, store } = setup();
    monotonic = 100;
    store.getState().start();
    await settle();
    monotonic = 60_100;
    expect(store.getState().currentTime()).toBe(registerStatus().serverTime + 60_000);
    fake.emit({ event: 'register:status', payload: registerStatus({ serverTime: 5_000_000 }) });
    monotonic = 61_100;
    expect(store.getState().currentTime()).toBe(5_001_000);
  });

  it('when the core is unreachable it says so and retries with a growing delay until it answers', async () => {
    const { fake, store } = setup();
    fake.answer('register:status', fail('DISCONNECTED'), fail('DISCONNECTED'));
    store.getState().start();
    await settle();
    expect(store.getState().connection).toBe('unreachable');
    expect(store.getState().retryAt).toBe(1000);

    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.calls('register:status')).toHaveLength(2);
    expect(store.getState().connection).toBe('unreachable');
    expect(store.getState().retryAt).toBe(3000); // second delay, from monotonic 0 in this test

    await vi.advanceTimersByTimeAsync(2999);
    expect(fake.calls('register:status')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls('register:status')).toHaveLength(3);
    expect(store.getState().connection).toBe('connected');
    expect(store.getState().retryAt).toBeNull();
  });

  it('Retry now asks at once and cancels the waiting retry', async () => {
    const { fake, store } = setup();
    fake.answer('register:status', fail('DISCONNECTED'));
    store.getState().start();
    await settle();
    store.getState().retryNow();
    await settle();
    expect(store.getState().connection).toBe('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls('register:status')).toHaveLength(2);
  });

  it('a DISCONNECTED from another call shows the connection screen and starts retrying', async () => {
    const { fake, store } = setup();
    store.getState().start();
    await settle();
    store.getState().connectionLost();
    expect(store.getState().connection).toBe('unreachable');
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.calls('register:status')).toHaveLength(2);
    expect(store.getState().connection).toBe('connected');
  });

  it('a status event while unreachable reconnects without waiting for the retry', async () => {
    const { fake, store } = setup();
    fake.answer('register:status', fail('DISCONNECTED'));
    store.getState().start();
    await settle();
    fake.emit({ event: 'register:status', payload: registerStatus() });
    expect(store.getState().connection).toBe('connected');
    expect(store.getState().retryAt).toBeNull();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls('register:status')).toHaveLength(1);
  });

  it('stops retrying once stopped', async () => {
    const { fake, store } = setup();
    fake.answer('register:status', fail('DISCONNECTED'));
    const stop = store.getState().start();
    await settle();
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls('register:status')).toHaveLength(1);
  });
});
