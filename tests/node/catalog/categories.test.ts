import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Category, Product } from '../../../src/shared/schemas';
import { appPaths } from '../../../src/main/app-paths';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const openRegister = useDemoRegisters();

describe('categories for the quick-add dialog', () => {
  it('lists the shop’s categories with both names, and a quick-added item is filed under the one chosen', async () => {
    const { call } = await openRegister({ staff: DEMO_MANAGER });
    const categories = await call<Category[]>('catalog:categories', {});
    const demo = JSON.parse(readFileSync(join(appPaths().assetsDir, 'demo', 'store.json'), 'utf8')) as {
      categories: { code: string; nameZh: string; nameEn: string }[];
    };
    expect(new Set(categories.map((c) => c.code))).toEqual(new Set(demo.categories.map((c) => c.code)));
    expect(categories.find((c) => c.code === 'DRINK')).toMatchObject({ nameZh: expect.any(String), nameEn: expect.any(String) });

    const added = await call<Product>('catalog:quick-add', {
      code: '4890000000010',
      nameZh: '檸檬茶',
      nameEn: 'Lemon Tea',
      price: 1200,
      categoryCode: 'DRINK',
    });
    expect(added.categoryCode).toBe('DRINK');
    expect((await call<Product | null>('catalog:lookup', { code: '4890000000010' }))?.categoryCode).toBe('DRINK');
  });

  it('is for logged-in staff only', async () => {
    const { reg } = await openRegister();
    const result = await reg.dispatch('catalog:categories', {});
    expect(result.ok ? 'ok' : result.error.code).toBe('NOT_LOGGED_IN');
  });
});
