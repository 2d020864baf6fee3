import { describe, expect, it, vi } from 'vitest';
import type { Product } from '../../../src/shared/schemas';
import type { Result } from '../../../src/shared/errors';
import { createPriceCheckStore } from '../../../src/renderer/stores/price-check-store';
import { createFakePosApi, deferred, eggTart, fail, milkTea, ok } from './fake-pos-api';

const setup = () => {
  const fake = createFakePosApi();
  const onFailure = vi.fn();
  const onMiss = vi.fn();
  const store = createPriceCheckStore(fake.api, { onFailure, onMiss });
  return { fake, store, onFailure, onMiss, s: () => store.getState() };
};

describe('price check', () => {
  it('a scanned barcode shows the product and clears the field for the next scan', async () => {
    const { s, fake } = setup();
    fake.answer('catalog:lookup', ok(milkTea));
    s().setCode('4890000000011');
    await s().lookup();
    expect(fake.calls('catalog:lookup')).toEqual([{ code: '4890000000011' }]);
    expect(s().product).toEqual(milkTea);
    expect(s().code).toBe('');
    expect(s().error).toBeNull();
  });

  it('an unknown code says 找不到貨品 with the code, keeps it in the field and beeps', async () => {
    const { s, onMiss } = setup();
    s().setCode('123456');
    await s().lookup();
    expect(s().error).toBe('NOT_FOUND');
    expect(s().errorCode).toBe('123456');
    expect(s().code).toBe('123456');
    expect(onMiss).toHaveBeenCalledOnce();
  });

  it('a code main rejects is an invalid barcode', async () => {
    const { s, fake } = setup();
    fake.answer('catalog:lookup', fail('BAD_REQUEST'));
    s().setCode('ABC');
    await s().lookup();
    expect(s().error).toBe('INVALID_CODE');
  });

  it('a code with spaces or Chinese is invalid before it is sent', async () => {
    const { s, fake, onMiss } = setup();
    for (const code of ['12 34', '奶茶', 'x'.repeat(65)]) {
      s().setCode(code);
      await s().lookup();
      expect(s().error, code).toBe('INVALID_CODE');
    }
    expect(fake.calls('catalog:lookup')).toHaveLength(0);
    expect(onMiss).toHaveBeenCalledTimes(3);
    expect(s().errorCount).toBe(3);
  });

  it('Enter on an empty field does nothing', async () => {
    const { s, fake } = setup();
    s().setCode('   ');
    await s().lookup();
    expect(fake.calls('catalog:lookup')).toHaveLength(0);
    expect(s().error).toBeNull();
  });

  it('trims what the scanner sends', async () => {
    const { s, fake } = setup();
    s().setCode(' 4890000000011 ');
    await s().lookup();
    expect(fake.calls('catalog:lookup')).toEqual([{ code: '4890000000011' }]);
  });

  it('only the newest scan is shown when answers arrive out of order', async () => {
    const { s, fake } = setup();
    const slow = deferred<Result<Product | null>>();
    fake.answer('catalog:lookup', slow.promise, ok(eggTart));
    s().setCode('111');
    const first = s().lookup();
    s().setCode('222');
    await s().lookup();
    slow.resolve(ok(milkTea));
    await first;
    expect(s().product).toEqual(eggTart);
  });

  it('a lost connection is passed on and shown as a failed check', async () => {
    const { s, fake, onFailure } = setup();
    fake.answer('catalog:lookup', fail('DISCONNECTED'));
    s().setCode('123');
    await s().lookup();
    expect(s().error).toBe('FAILED');
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ code: 'DISCONNECTED' }));
  });

  it('tapping a favourite shows it without asking main', () => {
    const { s, fake } = setup();
    s().setCode('12');
    s().showProduct(eggTart);
    expect(s().product).toEqual(eggTart);
    expect(s().code).toBe('');
    expect(fake.calls('catalog:lookup')).toHaveLength(0);
  });

  it('Esc clears the field and message first, then the product', async () => {
    const { s } = setup();
    s().showProduct(milkTea);
    s().setCode('999');
    await s().lookup();
    s().clear();
    expect(s().code).toBe('');
    expect(s().error).toBeNull();
    expect(s().product).toEqual(milkTea);
    s().clear();
    expect(s().product).toBeNull();
  });

  it('loads the favourites grid', async () => {
    const { s } = setup();
    await s().loadFavourites();
    expect(s().favourites.map((p) => p.sku)).toEqual(['DRK-001', 'BAK-002']);
    expect(s().favouritesState).toBe('ready');
  });

  it('a failed favourites load is shown and passed on', async () => {
    const { s, fake, onFailure } = setup();
    fake.answer('catalog:favourites', fail('NOT_LOGGED_IN'));
    await s().loadFavourites();
    expect(s().favouritesState).toBe('failed');
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ code: 'NOT_LOGGED_IN' }));
  });

  it('reset empties everything, and an answer still in flight is dropped', async () => {
    const { s, fake } = setup();
    const slow = deferred<Result<Product | null>>();
    fake.answer('catalog:lookup', slow.promise);
    s().setCode('111');
    const pending = s().lookup();
    s().reset();
    slow.resolve(ok(milkTea));
    await pending;
    expect(s().product).toBeNull();
    expect(s().looking).toBe(false);
  });
});
