/**
 * Members and stored value (issue 13), head office's side: search (phones masked by the cloud),
 * a member's page (the full phone only there) with the ledger, adjustments of points or store
 * credit with a reason (the domain's adjustBalance, under the account's lock, audited in its
 * transaction), the earn and redeem rules, and the ledger exceptions. Members are merchant-wide:
 * a store manager sees them all; the exceptions are limited to their stores.
 */
import { maskPhone } from '../../../src/shared/member-schemas';
import { withTransaction } from '../../db/tx';
import { CloudError } from '../../errors';
import {
  adjustBalance,
  listLedgerExceptions,
  loadRules,
  memberDetail,
  memberLedger,
  searchMembers,
  setRules,
  type MemberFound,
} from '../../domain/members';
import {
  MemberAdjustBody,
  MemberCodeParams,
  MemberLedgerQuery,
  MemberRulesBody,
  MemberSearchQuery,
  type LedgerExceptionRow,
  type MemberLedgerLine,
  type MemberList,
  type MemberListRow,
  type MemberPage,
} from '../contract';
import type { HqRouter } from '../router';

function listRow(m: MemberFound): MemberListRow {
  return {
    code: m.code,
    name: m.name,
    maskedPhone: maskPhone(m.phone),
    tier: m.tier,
    active: m.active,
    points: m.points,
    storeCredit: m.storeCredit,
    consent: m.consent,
  };
}

export function memberRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/members', { permission: 'members.view', query: MemberSearchQuery }, async (ctx, { query }): Promise<MemberList> => {
    const found = await searchMembers(pool, ctx.merchantId, query.q, { offset: query.offset, limit: query.limit });
    return { members: found.members.map(listRow), offset: query.offset, hasMore: found.hasMore };
  });

  router.get('/members/:code', { permission: 'members.view', params: MemberCodeParams }, async (ctx, { params }): Promise<MemberPage> => {
    const member = await memberDetail(pool, ctx.merchantId, params.code);
    if (!member) throw new CloudError('NOT_FOUND', `No member ${params.code}`);
    const rules = await loadRules(pool, ctx.merchantId);
    return {
      member: {
        ...listRow(member),
        phone: member.phone,
        email: member.email,
        birthMonth: member.birthMonth,
        aliases: member.aliases,
        enrolledVia: member.enrolledVia,
        enrolledStoreCode: member.enrolledStoreCode,
        consents: member.consents,
      },
      pointsPerDollar: rules.pointsPerDollar,
    };
  });

  router.get(
    '/members/:code/ledger',
    { permission: 'members.view', params: MemberCodeParams, query: MemberLedgerQuery },
    async (ctx, { params, query }): Promise<{ entries: MemberLedgerLine[]; hasMore: boolean }> => {
      const member = await memberDetail(pool, ctx.merchantId, params.code);
      if (!member) throw new CloudError('NOT_FOUND', `No member ${params.code}`);
      return memberLedger(pool, ctx.merchantId, member.id, {
        ...(query.beforeId === undefined ? {} : { beforeId: query.beforeId }),
        limit: query.limit,
      });
    },
  );

  router.post(
    '/members/:code/adjust',
    { permission: 'members.manage', params: MemberCodeParams, body: MemberAdjustBody },
    async (ctx, { params, body }) => {
      const posted = await adjustBalance(
        pool,
        ctx.merchantId,
        { memberCode: params.code, kind: body.kind, amount: body.amount, reason: body.reason, ref: `hq:${body.idempotencyKey}` },
        ctx.now,
        {
          source: `hq:${ctx.user.email}`,
          audit: (client, done) =>
            ctx.audit(
              client,
              'member.adjust',
              `${params.code} ${done.kind}`,
              { balance: done.before },
              { balance: done.after, amount: done.amount, reason: body.reason, entryId: done.entryId },
            ),
        },
      );
      return { balance: posted.balance, replayed: posted.replayed };
    },
  );

  router.get('/member-rules', { permission: 'members.view' }, async (ctx) => ({ rules: await loadRules(pool, ctx.merchantId) }));

  router.put('/member-rules', { permission: 'members.manage', body: MemberRulesBody }, async (ctx, { body }) =>
    withTransaction(pool, async (client) => {
      // one change at a time, so each audit entry's "before" is what that change replaced
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`member-rules:${ctx.merchantId}`]);
      const before = await loadRules(client, ctx.merchantId);
      const after = await setRules(client, ctx.merchantId, body, ctx.now);
      if (JSON.stringify(before) !== JSON.stringify(after)) await ctx.audit(client, 'member.rules', 'member-rules', before, after);
      return { rules: after };
    }),
  );

  router.get(
    '/member-exceptions',
    { permission: 'members.view' },
    async (ctx): Promise<{ exceptions: LedgerExceptionRow[] }> => ({
      exceptions: (await listLedgerExceptions(pool, ctx.merchantId, ctx.storeScope)).map(({ storeId: _storeId, ...row }) => row),
    }),
  );
}
