import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Category, Product } from '../../../src/shared/schemas';
import type { Result } from '../../../src/shared/errors';
import type { Register } from '../../../src/main/register';
import { appPaths } from '../../../src/main/app-paths';
import { useTempDirs } from '../helpers/temp-dir';
import { DEMO_MANAGER, openDemoRegister } from '../helpers/demo-register';

const tempDir = useTempDirs();
let register: Register | null = null;
afterEach(() => {
  register?.close();
  register = null;
});

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('categories for the quick-add dialog', () => {
  it('lists the shop’s categories with both names, and a quick-added item is filed under the one chosen', async () => {
    register = await openDemoRegister(tempDir());
    const reg = register;
    value(await reg.dispatch('staff:login', { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin }));
    const categories = value<Category[]>(await reg.dispatch('catalog:categories', {}));
    const demo = JSON.parse(readFileSync(join(appPaths().assetsDir, 'demo', 'store.json'), 'utf8')) as { categories: { code: string; nameZh: string; nameEn: string }[] };
    expect(new Set(categories.map((c) => c.code))).toEqual(new Set(demo.categories.map((c) => c.code)));
    expect(categories.find((c) => c.code === 'DRINK')).toMatchObject({ nameZh: expect.any(String), nameEn: expect.any(String) });

    const added = value<Product>(await reg.dispatch('catalog:quick-add', { code: '4890000000010', nameZh: '檸檬茶', nameEn: 'Lemon Tea', price: 1200, categoryCode: 'DRINK' }));
    expect(added.categoryCode).toBe('DRINK');
    expect(value<Product | null>(await reg.dispatch('catalog:lookup', { code: '4890000000010' }))?.categoryCode).toBe('DRINK');
  });

  it('is for logged-in staff only', async () => {
    register = await openDemoRegister(tempDir());
    const result = await register.dispatch('catalog:categories', {});
    expect(result.ok ? 'ok' : result.error.code).toBe('NOT_LOGGED_IN');
  });
});
