/** Register staff kept centrally: names, roles and stores; registers pull them (PINs stay at the register). */
import * as z from '../../../src/shared/zod';
import { listRegisterStaff, saveRegisterStaff } from '../../domain/register-staff';
import { RegisterStaffBody, type RegisterStaffRow } from '../contract';
import type { HqRouter } from '../router';

const CodeParams = z.object({ code: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, '1 to 16 letters, digits or dashes') });

export function registerStaffRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/register-staff', { permission: 'staff.view' }, async (ctx): Promise<{ staff: RegisterStaffRow[] }> => {
    return { staff: await listRegisterStaff(pool, ctx.merchantId, ctx.storeScope) };
  });

  router.put(
    '/register-staff/:code',
    { permission: 'staff.manage', params: CodeParams, body: RegisterStaffBody },
    async (ctx, { params, body }) => {
      const result = await saveRegisterStaff(pool, ctx.merchantId, { code: params.code, ...body }, ctx.now);
      if (result.changed) await ctx.audit(pool, 'register-staff.save', params.code, result.before, result.after);
      return { staff: result.after, changed: result.changed };
    },
  );
}
