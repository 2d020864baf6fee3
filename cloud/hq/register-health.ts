/** The registers a console user may see, with their health (the dashboard and the register list show the same). */
import type { Pool } from '../db/pool';
import { listRegisters } from '../domain/registers';
import { ONLINE_WINDOW_MS, QUEUE_LARGE, QUEUE_LONG_MS, type RegisterHealth } from './contract';
import type { HqContext } from './router';

export async function registersInScope(pool: Pool, ctx: HqContext): Promise<RegisterHealth[]> {
  const all = await listRegisters(pool, { merchantId: ctx.merchantId });
  return all
    .filter((r) => ctx.mayStore(r.store.id))
    .map(({ queueSince, ...r }) => {
      const lastSyncAt = Math.max(r.lastPushAt ?? 0, r.lastPullAt ?? 0, r.reportedAt ?? 0) || null;
      const queue = r.queueDepth ?? 0;
      return {
        ...r,
        lastSyncAt,
        online: r.revokedAt === null && lastSyncAt !== null && ctx.now - lastSyncAt <= ONLINE_WINDOW_MS,
        queueWaiting: queue >= QUEUE_LARGE || (queue > 0 && queueSince !== null && ctx.now - queueSince > QUEUE_LONG_MS),
      };
    });
}
