/**
 * Members and stored value (issue 13), head office's side: search and the member's page (phones
 * masked by the cloud; the whole number only on its own request, which is audited: who looked at
 * whose phone), the ledger, adjustments of points or store credit with a reason (the domain's
 * adjustBalance, under the account's lock, audited in its transaction), the earn and redeem rules,
 * and the ledger exceptions, open or resolved, which a manager resolves with a note (audited).
 * Members are merchant-wide: a store manager sees them all; the exceptions are limited to their stores.
 */
import { maskPhone } from '../../../src/shared/member-schemas';
import { withTransaction } from '../../db/tx';
import { CloudError } from '../../errors';
import { listLedgerExceptions, resolveLedgerException, type LedgerException } from '../../domain/ledger-exceptions';
import { closeAuditEntry, closeReturnPoints, listPendingReturnPoints } from '../../domain/pending-return-points';
import {
  adjustBalance,
  loadRules,
  loadRulesFeed,
  memberDetail,
  memberLedger,
  searchMembers,
  setRules,
  type MemberFound,
} from '../../domain/members';
import {
  CloseReturnPointsBody,
  ExceptionIdParams,
  MemberAdjustBody,
  MemberCodeParams,
  MemberExceptionsQuery,
  MemberLedgerQuery,
  MemberRulesBody,
  MemberSearchQuery,
  PendingReturnPointsIdParams,
  PendingReturnPointsQuery,
  ResolveExceptionBody,
  type LedgerExceptionRow,
  type MemberLedgerLine,
  type MemberList,
  type MemberListRow,
  type MemberPage,
  type MemberPhone,
  type PendingReturnPointsRow,
} from '../contract';
import type { HqRouter } from '../router';
import { giftCardDetail, searchGiftCards, voidGiftCard, type GiftCardDetail } from '../../domain/gift-cards';
import { GiftCardIdParams, GiftCardSearchQuery, GiftCardVoidBody, type GiftCardList, type GiftCardPage } from '../contract';

function giftCardPage(card: GiftCardDetail): GiftCardPage {
  const { entries, ...rest } = card;
  return {
    card: {
      id: rest.id,
      last4: rest.last4,
      status: rest.status,
      balance: rest.balance,
      batch: rest.batch,
      issuedAt: rest.issuedAt,
      soldOn: rest.soldOn,
      voidedAt: rest.voidedAt,
      voidReason: rest.voidReason,
      voidFacts: rest.voidFacts,
      voidReasonCloud: rest.voidReasonCloud,
      voidedBy: rest.voidedBy,
    },
    entries,
  };
}

function exceptionRow({ storeId: _storeId, ...row }: LedgerException): LedgerExceptionRow {
  return row;
}

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

  // a POST: it writes the audit entry, and the console's CSRF check covers it
  router.post('/members/:code/phone', { permission: 'members.view', params: MemberCodeParams }, async (ctx, { params }) =>
    withTransaction(pool, async (client): Promise<MemberPhone> => {
      const member = await memberDetail(client, ctx.merchantId, params.code);
      if (!member) throw new CloudError('NOT_FOUND', `No member ${params.code}`);
      await ctx.audit(client, 'member.phone.view', member.code, undefined, { maskedPhone: maskPhone(member.phone) });
      return { phone: member.phone };
    }),
  );

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

  router.get('/member-rules', { permission: 'members.view' }, async (ctx) => {
    const { version, effectiveFrom: _from, ...rules } = await loadRulesFeed(pool, ctx.merchantId);
    return { rules, version };
  });

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

  // Gift cards: listed masked (last 4); a manager voids one, audited in the void's transaction.
  router.get('/gift-cards', { permission: 'members.view', query: GiftCardSearchQuery }, async (ctx, { query }): Promise<GiftCardList> => {
    const found = await searchGiftCards(pool, ctx.merchantId, query.q, { offset: query.offset, limit: query.limit });
    return { cards: found.cards, offset: query.offset, hasMore: found.hasMore };
  });

  router.get(
    '/gift-cards/:id',
    { permission: 'members.view', params: GiftCardIdParams },
    async (ctx, { params }): Promise<GiftCardPage> => {
      const card = await giftCardDetail(pool, ctx.merchantId, { id: params.id });
      if (!card) throw new CloudError('NOT_FOUND', 'No such gift card');
      return giftCardPage(card);
    },
  );

  router.post(
    '/gift-cards/:id/void',
    { permission: 'members.manage', params: GiftCardIdParams, body: GiftCardVoidBody },
    async (ctx, { params, body }): Promise<GiftCardPage> =>
      giftCardPage(
        await voidGiftCard(
          pool,
          ctx.merchantId,
          { id: params.id, reason: body.reason, by: `hq:${ctx.user.email}` },
          ctx.now,
          (client, done) =>
            ctx.audit(
              client,
              'gift-card.void',
              `**** ${done.last4}`,
              { status: 'active', balance: done.balanceBefore },
              { status: 'void', balance: 0, reason: done.reason, cardId: done.id },
            ),
        ),
      ),
  );

  router.get(
    '/member-exceptions',
    { permission: 'members.view', query: MemberExceptionsQuery },
    async (ctx, { query }): Promise<{ exceptions: LedgerExceptionRow[] }> => ({
      // by the cloud's clock: an online redemption joins the list once its bound has passed by it
      exceptions: (await listLedgerExceptions(pool, ctx.merchantId, ctx.storeScope, query.state, ctx.now)).map(exceptionRow),
    }),
  );

  // returns whose points wait for their original sale: listed until it arrives, or until a manager
  // closes one whose original will never come (then listed as closed, with who, when and why); a
  // store manager lists and closes only their stores' (the domain filters by the scope: another
  // store's row is NOT_FOUND, as if it did not exist)
  router.get(
    '/pending-return-points',
    { permission: 'members.view', query: PendingReturnPointsQuery },
    async (ctx, { query }): Promise<{ pending: PendingReturnPointsRow[] }> => ({
      pending: await listPendingReturnPoints(pool, ctx.merchantId, ctx.storeScope, ctx.now, query.state),
    }),
  );

  router.post(
    '/pending-return-points/:id/close',
    { permission: 'members.returns-close', params: PendingReturnPointsIdParams, body: CloseReturnPointsBody },
    async (ctx, { params, body }): Promise<{ pending: PendingReturnPointsRow }> => ({
      pending: await closeReturnPoints(
        pool,
        ctx.merchantId,
        { id: params.id, by: ctx.user.id, reason: body.reason, storeScope: ctx.storeScope },
        ctx.now,
        (client, done) => {
          const entry = closeAuditEntry(done);
          return ctx.audit(client, entry.action, entry.target, entry.before, entry.after);
        },
      ),
    }),
  );

  router.post(
    '/member-exceptions/:id/resolve',
    { permission: 'members.manage', params: ExceptionIdParams, body: ResolveExceptionBody },
    async (ctx, { params, body }): Promise<{ exception: LedgerExceptionRow }> =>
      withTransaction(pool, async (client) => {
        const done = await resolveLedgerException(
          client,
          ctx.merchantId,
          params.id,
          { userId: ctx.user.id, note: body.note, storeScope: ctx.storeScope },
          ctx.now,
        );
        if (!done) throw new CloudError('NOT_FOUND', `No open ledger exception ${params.id}`);
        const { before, after } = done;
        await ctx.audit(
          client,
          'member.exception.resolve',
          `${params.id} ${before.kind} ${before.memberCode ?? before.document ?? ''}`.trim(),
          { kind: before.kind, amount: before.amount, document: before.document, memberCode: before.memberCode, resolvedAt: null },
          { resolvedAt: after.resolvedAt, resolution: after.resolution },
        );
        return { exception: exceptionRow(after) };
      }),
  );
}
