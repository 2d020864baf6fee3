/**
 * The state of one online redemption a register asked for (issue 13), by its ledger key
 * (`register:<id>:<key>`): one row of `online_redemption`, locked by whichever comes (the
 * redemption, the document that settles it, the release that gives it back) so they take turns, and
 * a key can never be both settled and released. The ledger itself stays append-only: this row only
 * says which of its entries belong together. Used by members.ts and gift-cards.ts (the redemptions
 * and the documents' movements) and online-redemptions.ts (releases, the exceptions bound).
 */
import { CloudError } from '../errors';
import type { Queryable } from '../db/pool';

export interface RedemptionKeyState {
  entryId: number | null;
  settled: boolean;
  /** the document that settled it */
  settledDocument: string | null;
  released: boolean;
}

/** Whether a redemption's source is a register (only theirs are tracked: the shop names its own document). */
export const isRegisterSource = (source: string): boolean => source.startsWith('register:');

/** Locks the key's row, made when new; answers its state. Inside the caller's transaction. */
export async function lockRedemptionKey(
  client: Queryable,
  merchantId: number,
  idemKey: string,
  source: string,
  now: number,
): Promise<RedemptionKeyState> {
  await client.query(
    'INSERT INTO online_redemption (merchant_id, idem_key, source, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [merchantId, idemKey, source, new Date(now)],
  );
  const row = (
    await client.query<{ entry_id: string | null; settled_at: Date | null; settled_document: string | null; released_at: Date | null }>(
      'SELECT entry_id, settled_at, settled_document, released_at FROM online_redemption WHERE merchant_id = $1 AND idem_key = $2 FOR UPDATE',
      [merchantId, idemKey],
    )
  ).rows[0];
  return {
    entryId: row?.entry_id ? Number(row.entry_id) : null,
    settled: Boolean(row?.settled_at),
    settledDocument: row?.settled_document ?? null,
    released: Boolean(row?.released_at),
  };
}

/**
 * Before a register's redemption is posted: its key locked, and refused once the register has
 * released it (a late request under a closed key takes nothing).
 */
export async function openRedemptionKey(
  client: Queryable,
  merchantId: number,
  idemKey: string,
  source: string,
  now: number,
): Promise<void> {
  const state = await lockRedemptionKey(client, merchantId, idemKey, source, now);
  if (state.released)
    throw new CloudError('CONFLICT', 'This redemption was released by the register: nothing was taken; ask under a new key');
}

/** After it was posted (or replayed): the redeem entry the key took. */
export async function recordRedemptionEntry(client: Queryable, merchantId: number, idemKey: string, entryId: number): Promise<void> {
  await client.query('UPDATE online_redemption SET entry_id = coalesce(entry_id, $3) WHERE merchant_id = $1 AND idem_key = $2', [
    merchantId,
    idemKey,
    entryId,
  ]);
}

/** How a register document's spend is posted: its ledger key, and the online redemption it settles. */
export interface SettledSpend {
  idemKey: string;
  /** the entry the till's online redemption took under that key (the cloud's figure, and when), if any */
  online: { amount: number; at: number } | null;
}

/**
 * A register document's spend, before it is posted: a key the register redeemed online is settled
 * by this document (its movement is that entry: see documentSpend). A key the register had released
 * (it never puts one on a sale; a restored database might) or that another document already settled
 * (a register never puts one key on two sales) is taken again under a key of its own, so a sale that
 * happened is always paid for, once. The document makes the key's row when it comes first (the till
 * asked, heard nothing and decided itself under the same key): a redemption arriving after it then
 * finds the key settled and is never listed as open.
 */
export async function settleRedemptionKey(
  client: Queryable,
  merchantId: number,
  idemKey: string,
  source: string,
  document: string,
  now: number,
): Promise<SettledSpend> {
  const state = await lockRedemptionKey(client, merchantId, idemKey, source, now);
  if (state.released) return { idemKey: `${idemKey}:after-release`, online: null };
  if (state.settled && state.settledDocument !== document) return { idemKey: `${idemKey}:on:${document}`, online: null };
  if (!state.settled)
    await client.query('UPDATE online_redemption SET settled_document = $3, settled_at = $4 WHERE merchant_id = $1 AND idem_key = $2', [
      merchantId,
      idemKey,
      document,
      new Date(now),
    ]);
  // the entry under the key, unless this document posted it itself (it came first, or this is its replay)
  const entry = (
    await client.query<{ amount: string; created_at: Date; document: string | null }>(
      'SELECT amount, created_at, document FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2',
      [merchantId, idemKey],
    )
  ).rows[0];
  return {
    idemKey,
    online: entry && entry.document !== document ? { amount: Number(entry.amount), at: entry.created_at.getTime() } : null,
  };
}

/** What documentSpend sets on a ledger movement (members.ts `Movement`; members.ts imports this module). */
interface SpendMovement {
  amount: number;
  idemKey: string;
  reason: string;
  note?: string | null;
}

/**
 * The movements of a register document's spend (`spend`, its amount the cloud's own figure), under
 * the key settleRedemptionKey answered. When that key names the till's online redemption, its entry
 * stands (it is replayed, on the same account or not at all) and the document's spend is `decided`:
 * its value at the rate the cloud took that redemption at, so a rule change in between moves nothing.
 * What the sale paid beyond what was taken online is taken under `<key>:rest`, and what it paid short
 * of it given back there, so the ledger always holds what the document paid, however often it comes.
 */
export function documentSpend<M extends SpendMovement>(spend: M, settled: SettledSpend, decided: number): M[] {
  if (settled.online === null) return [{ ...spend, idemKey: settled.idemKey }];
  const taken: M = { ...spend, idemKey: settled.idemKey, amount: settled.online.amount };
  const rest = decided - settled.online.amount;
  if (rest === 0) return [taken];
  return [
    taken,
    {
      ...spend,
      idemKey: `${settled.idemKey}:rest`,
      amount: rest,
      reason: rest < 0 ? 'redeem' : 'release',
      note: `the sale paid ${-decided}; ${-settled.online.amount} was taken online under its key`,
      noteFacts: { case: 'sale_paid_other_than_online', salePaid: -decided, takenOnline: -settled.online.amount },
    },
  ];
}

/**
 * The ledger key of a register document's refund to points, store credit or a gift card. A key
 * another document already posted under (a register reused it: a restored database, an older
 * version) is that document's movement, not this one's: this refund is posted under
 * `<key>:on:<receipt>` instead, so it moves once of its own, and its replays (which find the key
 * taken by the other document again) find their own key and move nothing twice. `claimed` holds
 * the keys the caller's batch has given refunds not posted yet (key → receipt), so two documents of
 * one batch are told apart before either is written.
 */
export async function refundKey(
  client: Queryable,
  merchantId: number,
  idemKey: string,
  document: string,
  claimed: Map<string, string>,
): Promise<string> {
  const earlier =
    claimed.get(idemKey) ??
    (
      await client.query<{ document: string | null }>('SELECT document FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2', [
        merchantId,
        idemKey,
      ])
    ).rows[0]?.document;
  // an entry of no document (not a refund's) keeps the key: the ledger then refuses the conflict as before
  const key = typeof earlier === 'string' && earlier !== document ? `${idemKey}:on:${document}` : idemKey;
  claimed.set(key, document);
  return key;
}
