/**
 * The enabled promotions, read and parsed once and kept between scans (every scan prices the cart
 * with them), read again only after the promotion table changed:
 * - on this connection (a quick edit, the demo seed, a page of changes applied here): a TEMP
 *   trigger, which sees only this connection's writes, counts them in a TEMP table; a rolled-back
 *   change rolls its count back too;
 * - on another connection (the sync worker applying a pull): `PRAGMA data_version` moves whenever
 *   another connection commits (anything: then the table is simply read again).
 * The window (starts / ends) is applied per call, so a promotion starts and ends on time.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { activeAt, loadEnabledPromotions, type LoadedPromotions } from './promotion-repo';

export interface PromotionCache {
  /** Active promotions whose window contains `now` (ms), in id order. */
  activeAt(now: number): LoadedPromotions;
}

export function createPromotionCache(db: Db): PromotionCache {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS promotion_writes (n INTEGER NOT NULL);
    INSERT INTO promotion_writes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM promotion_writes);
    CREATE TEMP TRIGGER IF NOT EXISTS promotion_inserted AFTER INSERT ON main.promotion BEGIN UPDATE promotion_writes SET n = n + 1; END;
    CREATE TEMP TRIGGER IF NOT EXISTS promotion_updated AFTER UPDATE ON main.promotion BEGIN UPDATE promotion_writes SET n = n + 1; END;
    CREATE TEMP TRIGGER IF NOT EXISTS promotion_deleted AFTER DELETE ON main.promotion BEGIN UPDATE promotion_writes SET n = n + 1; END;
  `);
  const version = () => {
    const dataVersion = prepared<[], number>(db, 'PRAGMA data_version').pluck().get() as number;
    const writes = prepared<[], number>(db, 'SELECT n FROM promotion_writes').pluck().get() as number;
    return `${dataVersion}:${writes}`;
  };
  let cached: { version: string; enabled: LoadedPromotions } | null = null;
  return {
    activeAt(now) {
      const current = version();
      if (cached?.version !== current) cached = { version: current, enabled: loadEnabledPromotions(db) };
      return activeAt(cached.enabled, now);
    },
  };
}
