/**
 * Online redemptions no sale carries (issue 13). A register asks here before it writes a sale
 * (POST /v1/members/redeem, /v1/gift-cards/redeem); when that sale does not come (the answer was
 * lost and the completion failed, the tender was removed, the cart voided) the register releases the
 * redemption through its outbox (`stored-value.released`, ref = its key) and this gives back what
 * the redeem entry took: a `release` entry, never an overwrite, once per key however often the push
 * is retried (the key's row in online_redemption says it was released; online-redemption-keys.ts).
 * A key released before any redemption arrived is closed: a late request under it takes nothing.
 *
 * Never silent: a redemption with neither a sale nor a release after OPEN_REDEMPTION_BOUND_MS is
 * listed as a `redemption_open` ledger exception (flagOpenRedemptions, run whenever the list is read).
 */
import type { RedemptionRelease } from '../../src/shared/stored-value';
import type { PoolClient, Queryable } from '../db/pool';
import { ENTRY_REGISTER, postMovements, type AccountKind, type Movement } from './members';
import { lockRedemptionKey } from './online-redemption-keys';
import type { RegisterContext } from './registers';

/** How long a register's online redemption may wait for its sale or its release before a person is told. */
export const OPEN_REDEMPTION_BOUND_MS = 24 * 60 * 60 * 1000;

/** The releases of a batch, in order; answers the members and gift cards whose balances changed. */
export async function applyRedemptionReleases(
  client: PoolClient,
  register: RegisterContext,
  releases: readonly RedemptionRelease[],
  now: number,
): Promise<{ members: number[]; giftCards: number[] }> {
  const touched = { members: [] as number[], giftCards: [] as number[] };
  const source = `register:${register.registerId}`;
  for (const release of releases) {
    const idemKey = `${source}:${release.key}`;
    const state = await lockRedemptionKey(client, register.merchantId, idemKey, source, now);
    if (state.released || state.settled) continue; // a replay; or a sale carries it (the register never releases those)
    if (state.entryId === null) {
      // nothing was taken (the request never arrived, or was refused): the key is closed
      await client.query('UPDATE online_redemption SET released_at = $3, release_reason = $4 WHERE merchant_id = $1 AND idem_key = $2', [
        register.merchantId,
        idemKey,
        new Date(now),
        release.reason,
      ]);
      continue;
    }
    const entry = (
      await client.query<{ amount: string; kind: AccountKind; member_id: string | null; gift_card_id: string | null }>(
        `SELECT e.amount, a.kind, a.member_id, a.gift_card_id FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id WHERE e.id = $1`,
        [state.entryId],
      )
    ).rows[0];
    if (!entry) continue;
    const common = {
      merchantId: register.merchantId,
      amount: -Number(entry.amount),
      idemKey: `release:${idemKey}`,
      reason: 'release' as const,
      document: null,
      source,
      note: `released by the register (${release.reason}): no sale carries it`,
      noteFacts: { case: 'released_by_register' as const, why: release.reason },
      whenShort: 'record' as const,
    };
    const movement: Movement =
      entry.kind === 'gift'
        ? { ...common, kind: 'gift', giftCardId: Number(entry.gift_card_id) }
        : { ...common, kind: entry.kind, memberId: Number(entry.member_id) };
    const [posted] = await postMovements(client, [movement], now);
    await client.query(
      'UPDATE online_redemption SET released_at = $3, release_reason = $4, release_entry_id = $5 WHERE merchant_id = $1 AND idem_key = $2',
      [register.merchantId, idemKey, new Date(now), release.reason, posted?.entryId ?? null],
    );
    if (entry.kind === 'gift') touched.giftCards.push(Number(entry.gift_card_id));
    else touched.members.push(Number(entry.member_id));
  }
  return touched;
}

/**
 * Lists (once each) the merchant's register redemptions older than `boundMs` that no sale settled
 * and no release gave back, as `redemption_open` exceptions naming the redeem entry. Answers how many it added.
 */
export async function flagOpenRedemptions(
  db: Queryable,
  merchantId: number,
  now: number,
  boundMs = OPEN_REDEMPTION_BOUND_MS,
): Promise<number> {
  const result = await db.query(
    `INSERT INTO ledger_exception (merchant_id, entry_id, kind, amount, document, detail, created_at, gift_card_id, facts)
     SELECT o.merchant_id, o.entry_id, 'redemption_open', -e.amount, NULL,
            format('%s took %s %s online at %s; no sale carries it and the register has not released it',
                   o.source, -e.amount, CASE a.kind WHEN 'points' THEN 'points' WHEN 'credit' THEN 'cents of store credit' ELSE 'cents of gift card' END,
                   to_char(o.created_at AT TIME ZONE 'Asia/Hong_Kong', 'YYYY-MM-DD HH24:MI')),
            $2, a.gift_card_id,
            -- LedgerExceptionFacts' redemption_open (cloud/hq/contract.ts)
            jsonb_build_object('case', 'redemption_open', 'registerCode', r.code, 'source', o.source, 'account', a.kind,
                               'taken', -e.amount, 'takenAt', (extract(epoch FROM o.created_at) * 1000)::bigint)
     FROM online_redemption o JOIN ledger_entry e ON e.id = o.entry_id JOIN ledger_account a ON a.id = e.account_id
     LEFT JOIN register r ON r.id = ${ENTRY_REGISTER}
     WHERE o.merchant_id = $1 AND o.entry_id IS NOT NULL AND o.settled_at IS NULL AND o.released_at IS NULL AND o.created_at < $3
     ON CONFLICT (entry_id) DO NOTHING`,
    [merchantId, new Date(now), new Date(now - boundMs)],
  );
  return result.rowCount ?? 0;
}
