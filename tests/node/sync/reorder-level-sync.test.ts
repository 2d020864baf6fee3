/**
 * Reorder levels owned by the cloud (issue 14), register and cloud for real (SQLite files, the cloud
 * on PostgreSQL): head office sets a level per store and product (setReorderLevel, as the console's
 * PUT /hq/api/stock/reorder-levels does), the store's register pulls it through the change feed and
 * its low-stock list uses it; another store's level is not this register's; clearing it reaches the
 * register too; a register enrolled later gets the levels in its snapshot. A register edits its own
 * levels only while it is not enrolled: enrolled, a local edit is refused (CONFLICT), and the
 * enrolment snapshot replaces whatever it had set.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../cloud/domain/merchants';
import { setReorderLevel } from '../../../cloud/domain/reorder-levels';
import type { OnHandList } from '../../../src/shared/stock-schemas';
import type { Register } from '../../../src/main/register';
import { BUN, MILK_TEA, WATER, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig } from './helpers';

const { database, server, openRegister } = useSyncRig();

/** The demo catalogue is large: the three products the test is about, by SKU (and the low-stock list of them). */
async function onHand(register: Register, lowOnly: boolean): Promise<OnHandList> {
  const rows = [];
  for (const sku of [MILK_TEA.sku, BUN.sku, WATER.sku])
    rows.push(...(await call<OnHandList>(register, 'stock:on-hand', { text: sku, lowOnly })).rows.filter((r) => r.sku === sku));
  return { rows, more: false };
}
const levelOf = (list: OnHandList, sku: string) => list.rows.find((r) => r.sku === sku)?.reorderMilli;

describe('reorder levels from the cloud', () => {
  it(
    'head office sets, the store’s register pulls and lists low stock by it; another store’s is ignored; cleared; a local edit is refused',
    { timeout: 180_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { initialStock: 10 });
      const other = await createStore(pool, shop.merchantId, { code: 'TST01', nameZh: '尖沙咀店', nameEn: 'Tsim Sha Tsui' });
      const { register } = await openRegister();

      // Not enrolled: the register keeps its own levels.
      const tea = (await onHand(register, false)).rows.find((r) => r.sku === MILK_TEA.sku)!;
      await call(register, 'stock:set-reorder', { productId: tea.productId, quantity: 3 });
      expect(levelOf(await onHand(register, false), MILK_TEA.sku)).toBe(3000);

      // Enrolled: the snapshot is the whole truth of levels; the local one is gone, and editing is refused.
      await enrol(register, server.base, await enrolmentCode(pool, shop.store));
      await eventually(
        () => onHand(register, false),
        (list) => list.rows.find((r) => r.sku === MILK_TEA.sku)?.reorderMilli === null,
        'the local level replaced by the cloud’s (none)',
      );
      const refused = await register.dispatch('stock:set-reorder', { productId: tea.productId, quantity: 5 });
      expect(refused.ok ? null : refused.error.code).toBe('CONFLICT');
      expect(levelOf(await onHand(register, false), MILK_TEA.sku)).toBeNull();

      // Head office: 12 teas at MK01 (10 on hand: low), 2 buns (not low), and 50 waters at TST01 (not this store's).
      const now = Date.now();
      const set = await setReorderLevel(pool, shop.merchantId, { storeId: shop.store.id, sku: MILK_TEA.sku, reorderMilli: 12_000 }, now);
      expect(set).toEqual({ before: null, after: { storeCode: 'MK01', sku: MILK_TEA.sku, reorderMilli: 12_000 } });
      await setReorderLevel(pool, shop.merchantId, { storeId: shop.store.id, sku: BUN.sku, reorderMilli: 2_000 }, now);
      await setReorderLevel(pool, shop.merchantId, { storeId: other.id, sku: WATER.sku, reorderMilli: 50_000 }, now);
      await call(register, 'sync:now');
      const low = await eventually(
        () => onHand(register, true),
        (list) => list.rows.length === 1,
        'the pulled level putting the tea on the low-stock list',
      );
      expect(low.rows.map((r) => [r.sku, r.onHandMilli, r.reorderMilli])).toEqual([[MILK_TEA.sku, 10_000, 12_000]]);
      const all = await onHand(register, false);
      expect(levelOf(all, BUN.sku)).toBe(2_000);
      expect(levelOf(all, WATER.sku)).toBeNull(); // TST01's level is not MK01's

      // Changed and cleared at head office: the register follows.
      expect(
        (await setReorderLevel(pool, shop.merchantId, { storeId: shop.store.id, sku: MILK_TEA.sku, reorderMilli: 8_000 }, Date.now()))
          .before,
      ).toBe(12_000);
      await setReorderLevel(pool, shop.merchantId, { storeId: shop.store.id, sku: BUN.sku, reorderMilli: null }, Date.now());
      await call(register, 'sync:now');
      await eventually(
        () => onHand(register, false),
        (list) => levelOf(list, MILK_TEA.sku) === 8_000 && levelOf(list, BUN.sku) === null,
        'the changed and cleared levels pulled',
      );
      expect((await onHand(register, true)).rows).toEqual([]); // 10 on hand, level 8: not low

      // A register enrolled afterwards starts from the snapshot, which holds the levels.
      const { register: second } = await openRegister();
      await enrol(second, server.base, await enrolmentCode(pool, shop.store));
      await eventually(
        () => onHand(second, false),
        (list) => levelOf(list, MILK_TEA.sku) === 8_000,
        'the second register’s snapshot carrying the level',
      );
      expect(levelOf(await onHand(second, false), BUN.sku)).toBeNull();
      expect(levelOf(await onHand(second, false), WATER.sku)).toBeNull();

      // The cloud refuses a product or store it does not have.
      await expect(
        setReorderLevel(pool, shop.merchantId, { storeId: shop.store.id, sku: 'NOPE', reorderMilli: 1 }, Date.now()),
      ).rejects.toThrow('No product NOPE');
      const rows = await pool.query<{ code: string; sku: string; q: number }>(
        'SELECT s.code, l.sku, l.reorder_milli AS q FROM stock_reorder_level l JOIN store s ON s.id = l.store_id WHERE l.merchant_id = $1 ORDER BY 1, 2',
        [shop.merchantId],
      );
      expect(rows.rows).toEqual([
        { code: 'MK01', sku: MILK_TEA.sku, q: 8000 },
        { code: 'TST01', sku: WATER.sku, q: 50000 },
      ]);
    },
  );
});
