/** Stores and their registers: create a store, make an enrolment code, revoke a register. */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { issueEnrolmentCode } from '../../domain/enrolment';
import { createStore } from '../../domain/merchants';
import { listRegisters, revokeRegister } from '../../domain/registers';
import { EnrolCodeBody, StoreBody, type StoreItem } from '../contract';
import { registersInScope } from '../register-health';
import type { HqRouter } from '../router';

const StoreParams = z.object({ id: z.coerce.number().int().positive() });
const RegisterParams = z.object({ id: z.uuid() });

export function storeRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/stores', { permission: 'stores.view' }, async (ctx): Promise<{ stores: StoreItem[] }> => {
    const rows = (
      await pool.query<StoreItem>(
        `SELECT id, code, name_zh AS "nameZh", name_en AS "nameEn", address_zh AS "addressZh", address_en AS "addressEn", phone
         FROM store WHERE merchant_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) ORDER BY code`,
        [ctx.merchantId, ctx.storeScope],
      )
    ).rows;
    return { stores: rows };
  });

  router.post('/stores', { permission: 'stores.manage', body: StoreBody }, async (ctx, { body }) => {
    const store = await createStore(pool, ctx.merchantId, body);
    await ctx.audit(pool, 'store.create', store.code, undefined, store);
    return { store };
  });

  router.get('/registers', { permission: 'stores.view' }, async (ctx) => {
    // asOf: the moment their online state was judged, for the "3 min ago" beside it.
    return { registers: await registersInScope(pool, ctx), asOf: ctx.now };
  });

  router.post(
    '/stores/:id/enrol-codes',
    { permission: 'registers.manage', params: StoreParams, body: EnrolCodeBody },
    async (ctx, { params, body }) => {
      const store = (
        await pool.query<{ code: string }>('SELECT code FROM store WHERE id = $1 AND merchant_id = $2', [params.id, ctx.merchantId])
      ).rows[0];
      if (!store || !ctx.mayStore(params.id)) throw new CloudError('NOT_FOUND', `No store ${params.id}`);
      const issued = await issueEnrolmentCode(pool, params.id, { ttlMinutes: body.ttlMinutes, now: ctx.now });
      // The code itself is never audited: it is a secret until a register uses it.
      await ctx.audit(pool, 'register.enrol-code', store.code, undefined, { expiresAt: issued.expiresAt });
      return { code: issued.code, expiresAt: issued.expiresAt, storeCode: store.code };
    },
  );

  router.post('/registers/:id/revoke', { permission: 'registers.manage', params: RegisterParams }, async (ctx, { params }) => {
    const found = (await listRegisters(pool, { merchantId: ctx.merchantId, registerId: params.id }))[0];
    if (!found || !ctx.mayStore(found.store.id)) throw new CloudError('NOT_FOUND', `No register ${params.id}`);
    const revoked = await revokeRegister(pool, params.id, ctx.now);
    await ctx.audit(
      pool,
      'register.revoke',
      `${found.store.code}-${found.registerCode}`,
      { revokedAt: found.revokedAt },
      { revokedAt: revoked.revokedAt },
    );
    return revoked;
  });
}
