/**
 * Online redemptions the register asks the cloud for (issue 13): the one owner of what happens to
 * them. Points, store credit and gift cards all pass here (stored-value.ts, gift-cards.ts):
 *
 * 1. `ask` commits a `stored_value_redemption` row (its key: random per cart, the kind, the units)
 *    BEFORE the request goes out; the same key again is the same redemption (the cloud answers the
 *    entry it made), so a retried completion asks for nothing new.
 * 2. `answered`: the cloud refused (nothing taken) → `refused`.
 * 3. In the sale's transaction `settleWithSale`: the keys the document carries are `settled` (the
 *    document's movement is the cloud's redeem entry: one movement, applied once by its key); every
 *    other key asked on that cart is released.
 * 4. `releaseCart` (a completion that failed after asking, a voided cart): every key still `asked` is
 *    `released`, with a `stored-value.released` outbox row in the same transaction (the cloud gives it
 *    back once, by the key), and the cart gets a new stored-value key, so a later ask is a new
 *    redemption and never one the cloud has closed.
 * A redemption neither settled nor released (a cart left suspended, a register lost) is listed by the
 * cloud on its exceptions after a bound (cloud/domain/online-redemptions.ts).
 */
import type { RedemptionRelease, StoredValuePaymentKind } from '../../shared/stored-value';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { createCloudClient, type CloudAnswer, type CloudClient } from '../sync/cloud-client';
import { readEnrolment } from '../sync/sync-store';
import { appendOutbox } from '../sync/outbox';

export interface RedemptionAsk {
  key: string;
  kind: StoredValuePaymentKind;
  memberCode: string | null;
  cardHash: string | null;
  /** cents of value asked for */
  value: number;
}

interface AskedRow {
  idem_key: string;
  kind: StoredValuePaymentKind;
  member_code: string | null;
  card_hash: string | null;
  value: number;
}

/**
 * Redemptions asked and neither settled nor released: value the cloud may hold for a sale this
 * register has not written (a cart open or suspended with the tender on it, a completion cut off).
 * The health panel lists them (the cloud lists them as exceptions only after a day). A database
 * from before the table (the diagnostics CLI on an old folder) holds none.
 */
export function heldRedemptions(db: Db): { held: number; value: number; oldestAt: number | null } {
  const hasTable = prepared<[], number>(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'stored_value_redemption'")
    .pluck()
    .get();
  if (!hasTable) return { held: 0, value: 0, oldestAt: null };
  const row = prepared<[], { held: number; value: number | null; oldestAt: number | null }>(
    db,
    "SELECT count(*) AS held, sum(value) AS value, min(asked_at) AS oldestAt FROM stored_value_redemption WHERE outcome = 'asked'",
  ).get()!;
  return { held: row.held, value: row.value ?? 0, oldestAt: row.oldestAt };
}

/** Committed before the request is sent (its own transaction). A key already refused is asked again. */
export function recordAsk(db: Db, cartId: number, ask: RedemptionAsk, now: number): void {
  db.transaction(() => {
    prepared(
      db,
      `INSERT INTO stored_value_redemption (idem_key, cart_id, kind, member_code, card_hash, value, asked_at)
       VALUES (:key, :cartId, :kind, :memberCode, :cardHash, :value, :now)
       ON CONFLICT (idem_key) DO UPDATE SET outcome = 'asked', closed_at = NULL WHERE outcome = 'refused'`,
    ).run({ ...ask, cartId, now });
  }).immediate();
}

/** The cloud said no: nothing was taken under this key. */
export function recordRefused(db: Db, key: string, now: number): void {
  prepared(db, "UPDATE stored_value_redemption SET outcome = 'refused', closed_at = :now WHERE idem_key = :key AND outcome = 'asked'").run({
    key,
    now,
  });
}

function release(db: Db, rows: readonly AskedRow[], reason: RedemptionRelease['reason'], now: number): void {
  const close = prepared(
    db,
    "UPDATE stored_value_redemption SET outcome = 'released', closed_at = :now WHERE idem_key = :key AND outcome = 'asked'",
  );
  for (const row of rows) {
    const payload: RedemptionRelease = {
      key: row.idem_key,
      kind: row.kind,
      memberCode: row.member_code,
      cardHash: row.card_hash,
      value: row.value,
      reason,
    };
    appendOutbox(db, { kind: 'stored-value.released', ref: row.idem_key, payload, now });
    close.run({ key: row.idem_key, now });
  }
}

function askedOn(db: Db, cartId: number): AskedRow[] {
  return prepared<{ cartId: number }, AskedRow>(
    db,
    "SELECT idem_key, kind, member_code, card_hash, value FROM stored_value_redemption WHERE cart_id = :cartId AND outcome = 'asked' ORDER BY id",
  ).all({ cartId });
}

/**
 * Inside the sale's transaction: the keys the document carries are settled by it; whatever else was
 * asked on the cart is released (a tender removed or changed after the cloud took it).
 */
export function settleWithSale(db: Db, cartId: number, receiptNo: string, keys: ReadonlySet<string>, now: number): void {
  const asked = askedOn(db, cartId);
  if (asked.length === 0) return;
  const settle = prepared(
    db,
    "UPDATE stored_value_redemption SET outcome = 'settled', receipt_no = :receiptNo, closed_at = :now WHERE idem_key = :key AND outcome = 'asked'",
  );
  for (const row of asked) if (keys.has(row.idem_key)) settle.run({ key: row.idem_key, receiptNo, now });
  release(
    db,
    asked.filter((row) => !keys.has(row.idem_key)),
    'not-on-sale',
    now,
  );
}

/**
 * No sale will carry what was asked on this cart (the completion failed, the cart is voided): each
 * key still asked is released through the outbox, and the cart's stored-value key is renewed. Runs in
 * the caller's transaction when there is one, else in its own.
 */
export function releaseCart(db: Db, cartId: number, reason: RedemptionRelease['reason'], now: number): number {
  const run = () => {
    const asked = askedOn(db, cartId);
    if (asked.length === 0) return 0;
    release(db, asked, reason, now);
    prepared(db, 'UPDATE cart SET stored_value_key = NULL WHERE id = :cartId').run({ cartId });
    return asked.length;
  };
  return db.inTransaction ? run() : db.transaction(run).immediate();
}

/**
 * One online redemption, for every kind (the one path points, store credit and gift cards take):
 * the ask committed first, then the request under its key; a 4xx (refused, not found, conflicting)
 * took nothing and closes it; anything else (an answer lost, a timeout, a 5xx) leaves it asked: the
 * sale's document settles it or a release gives it back.
 */
export async function askCloudToRedeem<T>(
  db: Db,
  client: CloudClient,
  input: { cartId: number; ask: RedemptionAsk; path: string; body: object; now: () => number },
): Promise<CloudAnswer<T>> {
  recordAsk(db, input.cartId, input.ask, input.now());
  const answer = await client.request<T>('POST', input.path, JSON.stringify({ idempotencyKey: input.ask.key, ...input.body }));
  if (answer.kind === 'error' && answer.status >= 400 && answer.status < 500) recordRefused(db, input.ask.key, input.now());
  return answer;
}

/** The cloud a spend is asked of, or null (not enrolled, no token): then the offline bound decides every spend. */
export function redemptionClient(db: Db, cloudToken: () => string | null, timeoutMs: number, now: () => number): CloudClient | null {
  const enrolment = readEnrolment(db);
  const token = enrolment ? cloudToken() : null;
  if (!enrolment || token === null) return null;
  return createCloudClient({ baseUrl: enrolment.cloudUrl, token, timeoutMs, now });
}
