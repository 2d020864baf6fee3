/** Console users (owners only) and the audit trail. */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { withTransaction } from '../../db/tx';
import { listAudit } from '../audit';
import { PasswordResetBody, UserCreateBody, UserUpdateBody } from '../contract';
import type { HqRouter } from '../router';
import { createUser, disableTotp, listUsers, loadUser, lockActingOwner, resetPassword, unlockUser, updateUser } from '../users';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const AuditQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function userRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/users', { permission: 'users.manage' }, async (ctx) => ({ users: await listUsers(pool, ctx.merchantId) }));

  router.post('/users', { permission: 'users.manage', body: UserCreateBody }, async (ctx, { body }) => {
    const user = await createUser(pool, ctx.merchantId, body, ctx.now);
    await ctx.audit(pool, 'user.create', user.email, undefined, user);
    return { user };
  });

  router.put('/users/:id', { permission: 'users.manage', params: IdParams, body: UserUpdateBody }, async (ctx, { params, body }) => {
    if (params.id === ctx.user.id && (body.role !== 'owner' || !body.active))
      throw new CloudError('BAD_REQUEST', 'An owner cannot demote or deactivate themselves: another owner can');
    return withTransaction(pool, async (client) => {
      await lockActingOwner(client, ctx.merchantId, ctx.user.id, params.id);
      const before = await loadUser(client, ctx.merchantId, params.id);
      const user = await updateUser(client, ctx.merchantId, params.id, body, ctx.now);
      await ctx.audit(client, 'user.edit', user.email, before, user);
      return { user };
    });
  });

  router.post(
    '/users/:id/password',
    { permission: 'users.manage', params: IdParams, body: PasswordResetBody },
    async (ctx, { params, body }) => {
      const user = await loadUser(pool, ctx.merchantId, params.id);
      await resetPassword(pool, ctx.merchantId, params.id, body.password, ctx.now);
      await ctx.audit(pool, 'user.password-reset', user.email);
      return { ok: true };
    },
  );

  router.post('/users/:id/unlock', { permission: 'users.manage', params: IdParams }, async (ctx, { params }) => {
    const user = await loadUser(pool, ctx.merchantId, params.id);
    await unlockUser(pool, ctx.merchantId, params.id, ctx.now);
    await ctx.audit(pool, 'user.unlock', user.email, { failedAttempts: user.failedAttempts, lockedUntil: user.lockedUntil });
    return { ok: true };
  });

  router.post('/users/:id/totp/disable', { permission: 'users.manage', params: IdParams }, async (ctx, { params }) => {
    const user = await loadUser(pool, ctx.merchantId, params.id);
    await disableTotp(pool, ctx.merchantId, params.id);
    await ctx.audit(pool, 'user.totp-disabled', user.email);
    return { ok: true };
  });

  router.get('/audit', { permission: 'audit.view', query: AuditQuery }, async (ctx, { query }) => ({
    entries: await listAudit(pool, ctx.merchantId, {
      ...(query.before === undefined ? {} : { beforeId: query.before }),
      limit: query.limit,
    }),
  }));
}
