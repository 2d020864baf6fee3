/**
 * Everything a register pulls, as of one change-log version: what a register starts from after
 * enrolment or after SNAPSHOT_REQUIRED, then pulls changes since `version`. Read in one
 * REPEATABLE READ snapshot, so the data and the version agree exactly.
 */
import type { FeedSnapshotData } from '../../src/shared/change-feed';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { readLastVersion } from './change-log';
import { loadMembers, loadPrices, loadProducts, loadPromotions } from './catalogue';
import { feedStaff, listRegisterStaff } from './register-staff';
import { loadStorePrices } from './store-prices';
import { loadGiftCardFeed } from './gift-cards';
import { loadReorderLevels } from './reorder-levels';
import { loadRulesFeed } from './members';

/** The shape is the register's contract: src/shared/change-feed.ts. */
export type Snapshot = FeedSnapshotData;

export async function loadSnapshot(pool: Pool, merchantId: number, now: number): Promise<Snapshot> {
  return withTransaction(
    pool,
    async (client) => {
      const version = await readLastVersion(client, merchantId);
      const stock = (
        await client.query<{ store_code: string; sku: string; quantity_milli: number }>(
          'SELECT s.code AS store_code, h.sku, h.quantity_milli FROM stock_on_hand h JOIN store s ON s.id = h.store_id WHERE h.merchant_id = $1 ORDER BY s.code, h.sku',
          [merchantId],
        )
      ).rows.map((r) => ({ storeCode: r.store_code, sku: r.sku, onHandMilli: r.quantity_milli }));
      return {
        version,
        products: await loadProducts(client, merchantId),
        prices: await loadPrices(client, merchantId, now),
        promotions: await loadPromotions(client, merchantId),
        members: await loadMembers(client, merchantId),
        stock,
        storePrices: await loadStorePrices(client, merchantId, now),
        staff: (await listRegisterStaff(client, merchantId)).map(feedStaff),
        giftCards: await loadGiftCardFeed(client, merchantId),
        reorderLevels: await loadReorderLevels(client, merchantId),
        memberRules: [await loadRulesFeed(client, merchantId)],
      };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}
