/**
 * Points and store credit as tenders at the till (issue 13). The one owner of how a stored-value
 * payment becomes a movement on the member's account:
 *
 * 1. Online, before the sale's transaction (`authorize`): the register asks the cloud to redeem
 *    each spend under the account's lock (POST /v1/members/redeem), bounded by a short timeout, with
 *    the movement's key, so a retried completion asks for the same movement. The cloud refuses what
 *    the account does not hold; that refusal stands, with the balance the cloud reports.
 * 2. In the sale's transaction (`record`): a spend the cloud took is recorded as decided by the
 *    cloud (its balance written into the pulled member); a spend the cloud could not be asked about
 *    (offline, a timeout, a 5xx) is decided here by the ONE offline bound (offline-redemption.ts),
 *    its figures read in this same transaction; a return pays back to the account, at most what it
 *    paid on the returned sales (refund-cap.ts, the rule gift cards follow too).
 *    Every movement is a `stored_value_movement` row and goes to the cloud inside the document
 *    (ReceiptPayment.storedValue), where the ledger applies it once by its key.
 */
import { randomBytes } from 'node:crypto';
import { PosError } from '../../shared/errors';
import { formatHKD } from '../../shared/money';
import {
  STORED_VALUE_METHOD,
  storedValueKindOf,
  unitsForValue,
  valueOfUnits,
  type StoredValueKind,
  type StoredValuePayment,
} from '../../shared/stored-value';
import { storeDate } from '../../shared/store-time';
import type { Clock } from '../clock';
import type { PlannedPayment } from '../checkout/tender-plan';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { Logger } from '../log';
import { readStoreTimeZone } from '../settings/store-time-zone';
import { checkOfflineRedemption, readOfflineRedemptionRules } from './offline-redemption';
import { writeRedeemedBalance, type LocalMember } from './member-repo';
import { codeParams, placeholders, unsettledUnits } from './stored-value-movements';
import { refundableTo, soldToMember } from './refund-cap';
import { askCloudToRedeem, redemptionClient } from './redemptions';
import { answeredVersion } from '../sync/cloud-client';

/** How long a completion waits for the cloud's redemption before the offline bound decides. */
export const CLOUD_REDEEM_TIMEOUT_MS = 2_000;

/** The cloud's answer for one spend it took: the units (its rate) and the balance after. */
export interface CloudRedemption {
  units: number;
  balance: number;
  /** the change-log version the balance is as of; null from a replay or an older cloud (migration 0026) */
  version: number | null;
}

export interface StoredValueSpend {
  kind: StoredValueKind;
  /** cents of value, positive */
  value: number;
  /** the account's units at this register's rate, positive */
  units: number;
  key: string;
}

/** Cents of value this register spent offline from the account on the store's day `day`, synced or not. */
function spentOfflineOn(db: Db, codes: readonly string[], kind: StoredValueKind, day: string): number {
  if (codes.length === 0) return 0;
  return (
    (db
      .prepare(
        `SELECT coalesce(sum(-value), 0) FROM stored_value_movement
         WHERE kind = :kind AND decided_by = 'register' AND units < 0 AND store_day = :day AND member_code IN (${placeholders(codes)})`,
      )
      .pluck()
      .get({ kind, day, ...codeParams(codes) }) as number) ?? 0
  );
}

/** The cart's random key, made on first use (written in its own small transaction when outside one). */
export function cartStoredValueKey(db: Db, cartId: number): string {
  const existing = prepared<{ cartId: number }, string | null>(db, 'SELECT stored_value_key FROM cart WHERE id = :cartId')
    .pluck()
    .get({ cartId });
  if (existing) return existing;
  const key = randomBytes(16).toString('hex');
  prepared(db, 'UPDATE cart SET stored_value_key = :key WHERE id = :cartId AND stored_value_key IS NULL').run({ cartId, key });
  return prepared<{ cartId: number }, string>(db, 'SELECT stored_value_key FROM cart WHERE id = :cartId').pluck().get({ cartId }) as string;
}

/** The stored-value payments of a plan, each with its movement's key (the same before and inside the transaction). */
export function storedValueSpends(db: Db, cartId: number, payments: readonly PlannedPayment[]): (StoredValueSpend & { index: number })[] {
  const spends: (StoredValueSpend & { index: number })[] = [];
  let key: string | null = null;
  // read only for a sale that spends points or credit: most sales do not
  let pointsPerDollar: number | null = null;
  payments.forEach((p, index) => {
    const kind = storedValueKindOf(p.method);
    if (!kind) return;
    key ??= cartStoredValueKey(db, cartId);
    pointsPerDollar ??= readOfflineRedemptionRules(db).pointsPerDollar;
    const value = Math.abs(p.amount);
    const units = unitsForValue(kind, value, pointsPerDollar);
    spends.push({ kind, value, units, index, key: `sv-${key}-${kind === 'points' ? 'p' : 'c'}${spends.length + 1}-${units}` });
  });
  return spends;
}

/** The pulled balance of a member's account (0 for a member the cloud has not confirmed yet). */
function pulledBalance(member: LocalMember, kind: StoredValueKind): number {
  return kind === 'points' ? member.points : member.storeCredit;
}

function refusal(
  reason: 'INSUFFICIENT_BALANCE' | 'OFFLINE_DAILY_LIMIT',
  kind: StoredValueKind,
  availableUnits: number,
  pointsPerDollar: number,
  why: string,
): PosError {
  const availableCents = valueOfUnits(kind, availableUnits, pointsPerDollar);
  return new PosError(reason, `${why}: at most ${formatHKD(availableCents, 'en')} of ${kind} can be used`, undefined, {
    kind,
    availableCents,
    availableUnits,
  });
}

export interface StoredValueDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  cloudToken: () => string | null;
  timeoutMs?: number;
}

export function createStoredValue(deps: StoredValueDeps) {
  const { db, clock, log } = deps;
  const timeoutMs = deps.timeoutMs ?? CLOUD_REDEEM_TIMEOUT_MS;

  return {
    /**
     * Online, before the sale's transaction: the cloud takes each spend under the account's lock.
     * Answers the spends it took, by key; a spend it could not be asked about is left to `record`.
     * Throws the cloud's refusal (INSUFFICIENT_BALANCE with what the account holds).
     */
    async authorize(cartId: number, memberCode: string, payments: readonly PlannedPayment[]): Promise<Map<string, CloudRedemption>> {
      const taken = new Map<string, CloudRedemption>();
      // Decided before the first await: the spends (a refund is never asked for), and whether there is a cloud.
      const spends = db.transaction(() => storedValueSpends(db, cartId, payments)).immediate();
      const refund = payments.some((p) => p.amount < 0);
      const client = redemptionClient(db, deps.cloudToken, timeoutMs, clock.now);
      if (refund || spends.length === 0 || client === null) return taken;
      const { pointsPerDollar } = readOfflineRedemptionRules(db);
      for (const spend of spends) {
        const answer = await askCloudToRedeem<{ balance?: unknown; units?: unknown; version?: unknown }>(db, client, {
          cartId,
          ask: { key: spend.key, kind: spend.kind, memberCode, cardHash: null, value: spend.value },
          path: '/v1/members/redeem',
          body: { memberCode, kind: spend.kind, value: spend.value, document: null },
          now: clock.now,
        });
        if (answer.kind === 'ok' && Number.isSafeInteger(answer.body.balance) && Number.isSafeInteger(answer.body.units)) {
          taken.set(spend.key, {
            units: answer.body.units as number,
            balance: answer.body.balance as number,
            version: answeredVersion(answer.body),
          });
        } else if (answer.kind === 'error' && answer.code === 'INSUFFICIENT_BALANCE') {
          const balance = Number.isSafeInteger(answer.body.balance) ? Math.max(0, answer.body.balance as number) : 0;
          throw refusal('INSUFFICIENT_BALANCE', spend.kind, balance, pointsPerDollar, 'The cloud says the balance does not cover it');
        } else {
          // unreachable, a timeout, a 5xx, a member the cloud does not know yet: the offline bound decides
          log.warn('stored value: the cloud did not take the redemption; the offline bound decides', {
            kind: spend.kind,
            answer: answer.kind === 'error' ? answer.code : answer.kind,
          });
        }
      }
      return taken;
    },

    /**
     * Inside the sale's transaction (no await): one movement per stored-value payment, decided by
     * the cloud (`taken`), by the offline bound, or paid back (a return). Answers each payment's
     * movement by its index in `payments`, for the document.
     */
    record(input: {
      cartId: number;
      receiptNo: string;
      member: LocalMember | null;
      payments: readonly PlannedPayment[];
      taken: ReadonlyMap<string, CloudRedemption>;
      /** the sales a return takes lines back from: a refund goes back at most what the account paid on them */
      soldSaleIds: readonly number[];
      now: number;
    }): Map<number, StoredValuePayment> {
      const recorded = new Map<number, StoredValuePayment>();
      const spends = storedValueSpends(db, input.cartId, input.payments);
      /** cents already paid back to each account by this document's earlier payments */
      const refundedHere: Record<StoredValueKind, number> = { points: 0, credit: 0 };
      if (spends.length === 0) return recorded;
      const member = input.member;
      if (!member) throw new PosError('STORED_VALUE_NO_MEMBER', 'Points and store credit pay only with a member on the sale');
      const rules = readOfflineRedemptionRules(db);
      const day = storeDate(input.now, readStoreTimeZone(db));
      const insert = prepared(
        db,
        `INSERT INTO stored_value_movement (receipt_no, position, member_code, kind, units, value, idem_key, decided_by, balance_after, store_day, created_at)
         VALUES (:receiptNo, :position, :memberCode, :kind, :units, :value, :key, :decidedBy, :balanceAfter, :day, :now)`,
      );
      for (const spend of spends) {
        const payment = input.payments[spend.index] as PlannedPayment;
        const refund = payment.amount < 0;
        const known = pulledBalance(member, spend.kind) + unsettledUnits(db, member.codes, spend.kind);
        let movement: StoredValuePayment;
        const cloud = input.taken.get(spend.key);
        if (refund) {
          // 1. a return pays back to the account, at most what it paid on the returned sales (the
          //    one rule, refund-cap.ts: as for a gift card)
          //    and only to the member who paid: a return naming another member than the sale (or a
          //    member when the sale had none) gets nothing back to points or credit (the cloud's rule too)
          if (!soldToMember(db, input.soldSaleIds, member.codes))
            throw new PosError(
              'STORED_VALUE_REFUND_OTHER_MEMBER',
              `Nothing goes back to the ${spend.kind} of member ${member.code}: the returned sale was not paid by that member. Refund by another method`,
              undefined,
              { kind: spend.kind, availableCents: 0 },
            );
          const refundable =
            refundableTo(db, input.soldSaleIds, { method: STORED_VALUE_METHOD[spend.kind], memberCodes: member.codes }) -
            refundedHere[spend.kind];
          if (spend.value > refundable) {
            const availableCents = Math.max(0, refundable);
            throw new PosError(
              'STORED_VALUE_REFUND_OVER',
              `At most ${formatHKD(availableCents, 'en')} goes back to the member's ${spend.kind}: what it paid on the returned sale`,
              undefined,
              { kind: spend.kind, availableCents },
            );
          }
          refundedHere[spend.kind] += spend.value;
          movement = { kind: spend.kind, units: spend.units, key: spend.key, decidedBy: 'register', balanceAfter: known + spend.units };
        } else if (cloud) {
          // 2. the cloud took it under the account's lock: its balance is the pulled one from now on,
          //    as of its version (a pull already past that version holds the redemption: it stays)
          if (!member.provisional) writeRedeemedBalance(db, member.id, spend.kind, cloud);
          movement = {
            kind: spend.kind,
            units: -cloud.units,
            key: spend.key,
            decidedBy: 'cloud',
            balanceAfter: cloud.balance + unsettledUnits(db, member.codes, spend.kind),
          };
        } else {
          // 3. offline: the one bound, on figures read in this transaction
          const unitsPerDollar = spend.kind === 'points' ? rules.pointsPerDollar : 100;
          const decision = checkOfflineRedemption({
            requested: spend.units,
            lastKnownBalance: pulledBalance(member, spend.kind),
            unsyncedSpent: Math.max(0, -unsettledUnits(db, member.codes, spend.kind)),
            spentOfflineTodayCents: spentOfflineOn(db, member.codes, spend.kind, day),
            dailyLimitCents: rules.dailyLimitCents,
            unitsPerDollar,
          });
          if (!decision.ok) {
            if (decision.reason === 'INVALID_AMOUNT') throw new PosError('BAD_REQUEST', decision.message);
            throw refusal(decision.reason, spend.kind, decision.available, rules.pointsPerDollar, decision.message);
          }
          movement = { kind: spend.kind, units: -spend.units, key: spend.key, decidedBy: 'register', balanceAfter: known - spend.units };
        }
        insert.run({
          receiptNo: input.receiptNo,
          position: spend.index + 1,
          memberCode: member.code,
          kind: spend.kind,
          units: movement.units,
          value: payment.amount,
          key: spend.key,
          decidedBy: movement.decidedBy,
          balanceAfter: movement.balanceAfter,
          day,
          now: input.now,
        });
        recorded.set(spend.index, movement);
      }
      return recorded;
    },
  };
}

export type StoredValue = ReturnType<typeof createStoredValue>;

/** A document's stored-value movements by payment position, for a receipt read back from SQLite. */
export function movementsOf(db: Db, receiptNo: string): Map<number, StoredValuePayment> {
  const rows = prepared<
    { receiptNo: string },
    {
      position: number;
      kind: StoredValuePayment['kind'];
      units: number;
      idem_key: string;
      decided_by: 'cloud' | 'register';
      balance_after: number;
      card_hash: string | null;
      card_last4: string | null;
    }
  >(
    db,
    `SELECT position, kind, units, idem_key, decided_by, balance_after, card_hash, card_last4
     FROM stored_value_movement WHERE receipt_no = :receiptNo ORDER BY position`,
  ).all({ receiptNo });
  return new Map(
    rows.map((r) => [
      r.position,
      {
        kind: r.kind,
        units: r.units,
        key: r.idem_key,
        decidedBy: r.decided_by,
        balanceAfter: r.balance_after,
        ...(r.card_hash !== null && r.card_last4 !== null ? { card: { hash: r.card_hash, last4: r.card_last4 } } : {}),
      },
    ]),
  );
}
