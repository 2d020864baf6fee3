/** Documents the cloud could not apply, each with its reason; a manager dismisses one with a reason. */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { withTransaction } from '../../db/tx';
import { reapplyQuarantined } from '../../domain/mutations';
import { MutationRejected } from '../../domain/quarantine';
import { ApplyCorrectedBody, DismissBody, type QuarantineRow } from '../contract';
import type { HqRouter } from '../router';

const ListQuery = z.object({ all: z.enum(['0', '1']).default('0'), limit: z.coerce.number().int().min(1).max(1000).default(200) });
const IdParams = z.object({ id: z.coerce.number().int().positive() });

/** A payload is shown as text, cut to this many characters (the whole document stays in the database). */
const PAYLOAD_PREVIEW = 4000;

export function quarantineRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get(
    '/quarantine',
    { permission: 'quarantine.view', query: ListQuery },
    async (ctx, { query }): Promise<{ items: QuarantineRow[] }> => {
      const rows = (
        await pool.query<{
          id: number;
          register_id: string | null;
          register_code: string | null;
          store_code: string | null;
          seq: number | null;
          kind: string;
          ref: string;
          reason_code: string;
          reason: string;
          created_at: Date;
          resolved_at: Date | null;
          resolution: string | null;
          payload: string;
        }>(
          `SELECT q.id, q.register_id, r.code AS register_code, s.code AS store_code, q.seq, q.kind, q.ref, q.reason_code, q.reason,
                q.created_at, q.resolved_at, q.resolution, left(q.payload, $4) AS payload
         FROM quarantine q LEFT JOIN register r ON r.id = q.register_id LEFT JOIN store s ON s.id = r.store_id
         WHERE q.merchant_id = $1 AND ($2 OR q.resolved_at IS NULL) AND ($3::bigint[] IS NULL OR r.store_id = ANY($3::bigint[]))
         ORDER BY q.id DESC LIMIT $5`,
          [ctx.merchantId, query.all === '1', ctx.storeScope, PAYLOAD_PREVIEW, query.limit],
        )
      ).rows;
      return {
        items: rows.map((r) => ({
          id: r.id,
          registerId: r.register_id,
          registerCode: r.register_code,
          storeCode: r.store_code,
          seq: r.seq,
          kind: r.kind,
          ref: r.ref,
          reason: r.reason_code,
          message: r.reason,
          createdAt: r.created_at.getTime(),
          resolvedAt: r.resolved_at?.getTime() ?? null,
          resolution: r.resolution,
          payload: r.payload,
        })),
      };
    },
  );

  router.post(
    '/quarantine/:id/dismiss',
    { permission: 'quarantine.resolve', params: IdParams, body: DismissBody },
    async (ctx, { params, body }) => {
      return withTransaction(pool, async (client) => {
        const row = (
          await client.query<{ ref: string; reason_code: string; store_id: number | null }>(
            `SELECT q.ref, q.reason_code, r.store_id FROM quarantine q LEFT JOIN register r ON r.id = q.register_id
           WHERE q.id = $1 AND q.merchant_id = $2 AND q.resolved_at IS NULL FOR UPDATE OF q`,
            [params.id, ctx.merchantId],
          )
        ).rows[0];
        if (!row || (row.store_id !== null && !ctx.mayStore(row.store_id)))
          throw new CloudError('NOT_FOUND', `No open quarantine entry ${params.id}`);
        await client.query('UPDATE quarantine SET resolved_at = $2, resolution = $3, resolved_by = $4 WHERE id = $1', [
          params.id,
          new Date(ctx.now),
          body.reason,
          ctx.user.id,
        ]);
        await ctx.audit(client, 'quarantine.dismiss', `${params.id} ${row.ref}`, { reason: row.reason_code }, { resolution: body.reason });
        return { ok: true };
      });
    },
  );

  router.post(
    '/quarantine/:id/apply',
    { permission: 'quarantine.resolve', params: IdParams, body: ApplyCorrectedBody },
    async (ctx, { params, body }) => {
      const mapped = Object.entries(body.skuMap).map(([from, to]) => `${from} → ${to}`);
      const note =
        [body.note, mapped.length > 0 ? `SKU ${mapped.join(', ')}` : ''].filter(Boolean).join(' · ') || 'applied after correction';
      try {
        const applied = await reapplyQuarantined(
          pool,
          ctx.merchantId,
          params.id,
          { skuMap: body.skuMap },
          { by: ctx.user.id, note },
          ctx.now,
          {
            storeScope: ctx.storeScope,
            // audited in the same transaction as the write
            audit: (client, done) =>
              ctx.audit(
                client,
                'quarantine.apply',
                `${params.id} ${done.ref}`,
                { kind: done.kind, skuMap: body.skuMap },
                { resolution: note, seq: done.seq },
              ),
          },
        );
        return { ok: true, ref: applied.ref };
      } catch (error) {
        // Still not appliable: nothing was written; say why, in the words the quarantine uses.
        if (error instanceof MutationRejected) throw new CloudError('BAD_REQUEST', `${error.reason}: ${error.message}`);
        throw error;
      }
    },
  );
}
