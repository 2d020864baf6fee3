/**
 * What a pushed batch does to members (issue 13): enrolments first (a document later in the same
 * batch may name the provisional code), then the points of every document naming a member, posted
 * to the ledger with the document's own key, so a replayed push never counts twice. The points are
 * the cloud's arithmetic from the checked lines and the merchant's rules in force when the sale was
 * made (src/shared/member-rules.ts), never the till's figure: a register still on an older version
 * prints its own estimate, the ledger gets the merchant's. A refund to points or store credit is
 * credited at most what the original sale paid from that account (the excess is listed).
 */
import { pointsEarned } from '../../src/shared/member-rules';
import { STORED_VALUE_METHOD, unitsForValue } from '../../src/shared/stored-value';
import type { PoolClient } from '../db/pool';
import type { Write } from './mutation-kinds';
import type { RegisterContext } from './registers';
import type { LedgerExceptionFacts } from '../hq/contract';
import { documentSpend, refundKey, settleRedemptionKey } from './online-redemption-keys';
import {
  enrolFromRegister,
  loadRuleVersions,
  postMovements,
  recordUnknownMember,
  resolveMemberCodes,
  rulesInForce,
  type Movement,
} from './members';
import { returnPointsKey, returnPointsLeft } from './return-points';
import {
  deferReturnPoints,
  lockPendingReturnPoints,
  markReturnPointsApplied,
  noteOriginalsArrived,
  originalsNotHere,
  waitingReturnPoints,
  type DeferredReturnPoints,
  type WaitingReturnPoints,
} from './pending-return-points';

/**
 * The original sales whose returns in `writes` pay back points or store credit, locked in one order
 * (receipt number) until COMMIT: two returns of one sale pushed at once take turns, the second reads
 * the first's refund and never both take the same cap (as the shop's returns do, members.ts
 * earnFromShop), and the points its returns take back never pass what it earned (return-points.ts).
 * The originals of returns whose points waited for them (pending-return-points.ts) and that this
 * batch brings are locked with them, after the merchant's `return-points-pending` lock: exclusive
 * when a return of the batch names an original the cloud does not have (its points will wait),
 * shared otherwise. Called before the batch writes its sales, so the cloud takes returns in the order
 * of their rows; before any ledger account is locked, so it never waits for one under another's
 * lock. Answers the waiting reversals the batch's documents are the originals of, for
 * applyMemberWrites. A batch without documents takes no lock.
 */
export async function lockRefundedOriginals(
  client: PoolClient,
  merchantId: number,
  writes: readonly Write[],
): Promise<WaitingReturnPoints[]> {
  const documents = writes.flatMap((w) => (w.type === 'document' ? [w] : []));
  if (documents.length === 0) return [];
  const originals = new Set<string>();
  const returnedFrom = new Set<string>();
  for (const w of documents) {
    if (w.sale.originalReceiptNo === null) continue;
    // its points come off the original's member (return-points.ts), with or without a member of its own
    if (w.sale.lines.some((l) => l.net < 0)) returnedFrom.add(w.sale.originalReceiptNo);
    // a refund to points or store credit (to the document's member), or to a gift card (gift-refund-caps.ts)
    const refunds = w.storedValue.some((u) => u.value < 0 && (u.kind === 'gift' || w.memberCode !== null));
    if (w.sale.lines.some((l) => l.net < 0) || refunds) originals.add(w.sale.originalReceiptNo);
  }
  const inBatch = new Set(documents.map((w) => w.sale.receiptNo));
  const deferring =
    (
      await originalsNotHere(
        client,
        merchantId,
        [...returnedFrom].filter((r) => !inBatch.has(r)),
      )
    ).length > 0;
  await lockPendingReturnPoints(client, merchantId, deferring);
  const waiting = await waitingReturnPoints(client, merchantId, [...inBatch]);
  for (const w of waiting) originals.add(w.originalReceiptNo);
  for (const receiptNo of [...originals].sort())
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sale-refunds:${merchantId}:${receiptNo}`]);
  return waiting;
}

/**
 * Applies the batch's member writes, and the reversals that waited for the batch's documents
 * (`waiting`, from lockRefundedOriginals); answers the ids of the members it changed.
 */
export async function applyMemberWrites(
  client: PoolClient,
  register: RegisterContext,
  writes: readonly Write[],
  now: number,
  waiting: readonly WaitingReturnPoints[] = [],
): Promise<number[]> {
  const touched: number[] = [];
  const source = `register:${register.registerId}`;
  // 1. enrolments, in seq order
  for (const w of writes) {
    if (w.type === 'member') touched.push(await enrolFromRegister(client, register.merchantId, register.registerId, w.enrolment, now));
  }
  // 2. points for documents naming a member, and for returns by receipt (their original's member)
  const documents = writes.flatMap((w) =>
    w.type === 'document' && (w.memberCode !== null || (w.sale.originalReceiptNo !== null && w.sale.lines.some((l) => l.net < 0)))
      ? [w]
      : [],
  );
  if (documents.length === 0 && waiting.length === 0) return touched;
  const merchantId = register.merchantId;
  const versions = await loadRuleVersions(client, merchantId);
  const members = await resolveMemberCodes(
    client,
    merchantId,
    documents.flatMap((d) => (d.memberCode === null ? [] : [d.memberCode])),
  );
  // the cloud's own categories: the rule names categories, the document names SKUs
  const categories = new Map(
    (
      await client.query<{ sku: string; category_code: string | null }>(
        'SELECT sku, category_code FROM product WHERE merchant_id = $1 AND sku = ANY($2::text[])',
        [merchantId, [...new Set(documents.flatMap((d) => d.skus))]],
      )
    ).rows.map((r) => [r.sku, r.category_code]),
  );
  const originals = await loadOriginals(client, merchantId, [
    ...documents.flatMap((d) => (d.sale.originalReceiptNo === null ? [] : [d.sale.originalReceiptNo])),
    ...waiting.map((w) => w.originalReceiptNo),
  ]);
  const pointsLeft = await returnPointsLeft(client, merchantId, originals);
  const movements: Movement[] = [];
  // refund keys given in this batch, posted together at the end (refundKey)
  const refundKeys = new Map<string, string>();
  // returns by receipt whose original is not here yet: their returned lines' points wait for it
  const deferred: DeferredReturnPoints[] = [];
  for (const d of documents) {
    const member = d.memberCode === null ? undefined : members.get(d.memberCode);
    if (d.memberCode !== null && !member) await recordUnknownMember(client, merchantId, d.sale.receiptNo, d.memberCode, now);
    // The rules in force when the sale was made (its completion time; never later than now), and for
    // the lines a return takes back, those of the sale they were bought on: a register that had not
    // pulled a change yet printed its own estimate, and the ledger still gets the merchant's figure.
    const madeAt = Math.min(d.sale.completedAt, now);
    const original = d.sale.originalReceiptNo === null ? undefined : originals.get(d.sale.originalReceiptNo);
    const rules = rulesInForce(versions, madeAt);
    const returnRules = original ? rulesInForce(versions, Math.min(original.completedAt, madeAt)) : rules;
    // points and store credit the document paid with or paid back: the cloud's own units at the
    // rate in force (a refund: the original sale's, so it gives back the units it took); a redemption
    // the till took online under the same key stands, and the document's spend is settled against it
    const refundable = refundCaps(original);
    const lines = d.sale.lines.map((l) => ({ sku: l.sku, net: l.net, categoryCode: categories.get(l.sku) ?? null }));
    const returned = lines.filter((l) => l.net < 0);
    // the returned lines' points, off the member the original sale earned for (return-points.ts)
    const from = original?.member;
    if (from && returned.length > 0) {
      const reversed = pointsLeft.take(d.sale.originalReceiptNo as string, -pointsEarned(returned, from.tier, returnRules));
      if (reversed > 0) {
        movements.push({
          merchantId,
          memberId: from.id,
          kind: 'points',
          amount: -reversed,
          idemKey: returnPointsKey(d.sale.receiptNo),
          reason: 'reverse',
          document: d.sale.receiptNo,
          source,
          // points reversed after they were spent are an overdraft to look at
          whenShort: 'record',
        });
        touched.push(from.id);
      }
    }
    if (!original && d.sale.originalReceiptNo !== null && returned.length > 0)
      deferred.push({
        returnReceiptNo: d.sale.receiptNo,
        originalReceiptNo: d.sale.originalReceiptNo,
        lines: returned,
        returnedAt: madeAt,
      });
    if (!member) continue;
    for (const use of d.storedValue) {
      if (use.kind === 'gift') continue; // the card's own account (gift-cards.ts)
      let value = Math.abs(use.value);
      if (use.value < 0) {
        // a refund goes back at most what the original sale paid from this account, less earlier returns
        const cap = refundable.take(use.kind, d.sale.receiptNo, member.id, value);
        if (cap < value) {
          await recordRefundOver(client, merchantId, d, use.kind, value, cap, original, member.id, now);
          value = cap;
        }
      }
      const units = unitsForValue(use.kind, value, (use.value > 0 ? rules : returnRules).pointsPerDollar);
      if (units === 0) continue;
      const key = `${source}:${use.key}`;
      const movement: Movement = {
        merchantId,
        memberId: member.id,
        kind: use.kind,
        amount: use.value > 0 ? -units : units,
        idemKey: key,
        reason: use.value > 0 ? 'redeem' : 'refund',
        document: d.sale.receiptNo,
        source,
        // paid at the till (offline when the cloud did not decide it): recorded, an overspend listed
        whenShort: 'record',
      };
      if (use.value < 0) movements.push({ ...movement, idemKey: await refundKey(client, merchantId, key, d.sale.receiptNo, refundKeys) });
      else {
        // a spend the till redeemed online is settled by this document (online-redemption-keys.ts),
        // its value counted at the rate the cloud took that redemption at
        const settled = await settleRedemptionKey(client, merchantId, key, source, d.sale.receiptNo, now);
        const decided = settled.online
          ? -unitsForValue(use.kind, value, rulesInForce(versions, settled.online.at).pointsPerDollar)
          : movement.amount;
        movements.push(...documentSpend(movement, settled, decided));
      }
      touched.push(member.id);
    }
    // what the document's own member earns on its sold lines; its returned lines are theirs only
    // when it names no original (a return without a receipt): one not here yet takes them when it comes
    const points =
      pointsEarned(
        lines.filter((l) => l.net >= 0),
        member.tier,
        rules,
      ) + (d.sale.originalReceiptNo === null ? pointsEarned(returned, member.tier, returnRules) : 0);
    if (points === 0) continue;
    pointsLeft.earned(d.sale.receiptNo, member.id, points);
    movements.push({
      merchantId,
      memberId: member.id,
      kind: 'points',
      amount: points,
      idemKey: `doc:${d.sale.receiptNo}:points`,
      reason: points > 0 ? 'earn' : 'reverse',
      document: d.sale.receiptNo,
      source,
      // the sale is paid; points reversed after they were spent are an overdraft to look at
      whenShort: 'record',
    });
    touched.push(member.id);
  }
  // after the batch's own documents: an original it brings has earned its points first; one not
  // written after all keeps waiting, and a closed one takes nothing, ever (its row notes the arrival)
  const arrived = waiting.filter((w) => originals.has(w.originalReceiptNo));
  const applied = arrived.flatMap((w) => {
    if (w.closed) return [];
    const original = originals.get(w.originalReceiptNo)!;
    const reversal = waitedReversal(merchantId, w, original, versions, pointsLeft);
    if (reversal) {
      movements.push(reversal);
      touched.push(reversal.memberId);
    }
    return [{ id: w.id, points: reversal ? -reversal.amount : 0 }];
  });
  await postMovements(client, movements, now);
  await deferReturnPoints(client, merchantId, register.registerId, deferred, now);
  await markReturnPointsApplied(client, applied, now);
  await noteOriginalsArrived(
    client,
    arrived.flatMap((w) => (w.closed ? [w.id] : [])),
    now,
  );
  return touched;
}

/**
 * A reversal that waited for its original, taken as it would have been had the original been here
 * when the return came: off the original's member, at the rules in force when the original was made
 * (never later than the return), capped by what that sale earned less its earlier returns, under the
 * return's own key. Null: nothing to take (no member on the original, or nothing left of its points).
 */
function waitedReversal(
  merchantId: number,
  w: WaitingReturnPoints,
  original: OriginalSale,
  versions: Awaited<ReturnType<typeof loadRuleVersions>>,
  pointsLeft: Awaited<ReturnType<typeof returnPointsLeft>>,
): (Movement & { kind: 'points' }) | null {
  const from = original.member;
  if (!from) return null;
  const rules = rulesInForce(versions, Math.min(original.completedAt, w.returnedAt));
  const reversed = pointsLeft.take(w.originalReceiptNo, -pointsEarned(w.lines, from.tier, rules));
  if (reversed <= 0) return null;
  return {
    merchantId,
    memberId: from.id,
    kind: 'points',
    amount: -reversed,
    idemKey: returnPointsKey(w.returnReceiptNo),
    reason: 'reverse',
    document: w.returnReceiptNo,
    source: w.source,
    // points reversed after they were spent are an overdraft to look at
    whenShort: 'record',
  };
}

/** An original sale as a return's refund is checked against. */
interface OriginalSale {
  completedAt: number;
  /** the member it named (null: none, or one this cloud does not know): only that member is paid back */
  memberId: number | null;
  /** that member with its tier: its returns' points come off them */
  member: { id: number; tier: string } | null;
  /** cents it paid with points and with store credit */
  paid: Record<'points' | 'credit', number>;
  /** the documents that returned its lines, in the order the cloud took them, with their member and what they paid back to each account */
  returns: { receiptNo: string; memberId: number | null; refunded: Record<'points' | 'credit', number> }[];
}

/** The originals of a batch's returns, one index probe per receipt (sale_original_receipt, 0028; see sales.ts). */
async function loadOriginals(client: PoolClient, merchantId: number, receiptNos: string[]): Promise<Map<string, OriginalSale>> {
  if (receiptNos.length === 0) return new Map();
  const rows = (
    await client.query<{ receipt_no: string; completed_at: Date; member_code: string | null; points: string; credit: string }>(
      `SELECT s.receipt_no, s.completed_at, s.member_code,
              coalesce((SELECT sum(p.amount) FROM sale_payment p WHERE p.sale_id = s.id AND p.method = $3 AND p.amount > 0), 0) AS points,
              coalesce((SELECT sum(p.amount) FROM sale_payment p WHERE p.sale_id = s.id AND p.method = $4 AND p.amount > 0), 0) AS credit
       FROM unnest($2::text[]) AS w(receipt_no)
       CROSS JOIN LATERAL (SELECT id, receipt_no, completed_at, member_code FROM sale WHERE merchant_id = $1 AND channel = 'register' AND receipt_no = w.receipt_no LIMIT 1) s`,
      [merchantId, [...new Set(receiptNos)], STORED_VALUE_METHOD.points, STORED_VALUE_METHOD.credit],
    )
  ).rows;
  const returns = (
    await client.query<{ original: string; receipt_no: string; member_code: string | null; points: string; credit: string }>(
      `SELECT s.original_receipt_no AS original, s.receipt_no, s.member_code,
              coalesce((SELECT sum(-p.amount) FROM sale_payment p WHERE p.sale_id = s.id AND p.method = $3 AND p.amount < 0), 0) AS points,
              coalesce((SELECT sum(-p.amount) FROM sale_payment p WHERE p.sale_id = s.id AND p.method = $4 AND p.amount < 0), 0) AS credit
       FROM unnest($2::text[]) AS w(receipt_no)
       CROSS JOIN LATERAL (SELECT id, receipt_no, original_receipt_no, member_code FROM sale
                           WHERE merchant_id = $1 AND original_receipt_no = w.receipt_no AND channel = 'register' OFFSET 0) s
       ORDER BY s.id`,
      [merchantId, [...new Set(receiptNos)], STORED_VALUE_METHOD.points, STORED_VALUE_METHOD.credit],
    )
  ).rows;
  // members by the codes the documents named (a provisional code is the member it became)
  const codes = [...rows, ...returns].flatMap((r) => (r.member_code === null ? [] : [r.member_code]));
  const members = await resolveMemberCodes(client, merchantId, codes);
  const memberOf = (code: string | null): number | null => (code === null ? null : (members.get(code)?.id ?? null));
  return new Map(
    rows.map((r) => [
      r.receipt_no,
      {
        completedAt: r.completed_at.getTime(),
        memberId: memberOf(r.member_code),
        member: r.member_code === null ? null : (members.get(r.member_code) ?? null),
        paid: { points: Number(r.points), credit: Number(r.credit) },
        returns: returns
          .filter((x) => x.original === r.receipt_no)
          .map((x) => ({
            receiptNo: x.receipt_no,
            memberId: memberOf(x.member_code),
            refunded: { points: Number(x.points), credit: Number(x.credit) },
          })),
      },
    ]),
  );
}

/**
 * What a return may pay back to points or store credit: the ONE rule the register applies too
 * (src/main/members/refund-cap.ts): at most what the original sale paid from that account, less
 * what the returns of it before this one paid back (each of those itself cut to what was left).
 * No original (a return without a receipt, or a sale this cloud does not have), or a return naming
 * another member than the one who paid: nothing (what one member paid never goes to another).
 */
function refundCaps(original: OriginalSale | undefined) {
  return {
    take(kind: 'points' | 'credit', receiptNo: string, memberId: number, value: number): number {
      if (!original || original.memberId !== memberId) return 0;
      let left = original.paid[kind];
      for (const r of original.returns) {
        if (r.receiptNo === receiptNo) break;
        if (r.memberId !== original.memberId) continue; // credited nothing
        left -= Math.min(Math.max(0, left), r.refunded[kind]);
      }
      return Math.max(0, Math.min(value, left));
    },
  };
}

/** A refund to points or store credit beyond what the original sale paid with them: cut to that, and listed. */
async function recordRefundOver(
  client: PoolClient,
  merchantId: number,
  d: Extract<Write, { type: 'document' }>,
  kind: 'points' | 'credit',
  value: number,
  cap: number,
  original: OriginalSale | undefined,
  memberId: number,
  now: number,
): Promise<void> {
  const facts: LedgerExceptionFacts = {
    case: 'refund_over',
    account: kind,
    memberCode: d.memberCode,
    paidBack: value,
    credited: cap,
    why:
      d.sale.originalReceiptNo === null
        ? 'no_original'
        : original && original.memberId !== memberId
          ? 'other_member'
          : 'original_paid_less',
    originalReceiptNo: d.sale.originalReceiptNo,
  };
  const why =
    facts.why === 'no_original'
      ? 'it names no original sale'
      : facts.why === 'other_member'
        ? `the original ${d.sale.originalReceiptNo} was paid by another member (or none)`
        : `the original ${d.sale.originalReceiptNo} paid ${cap} cents of it that was not yet given back`;
  await client.query(
    // once per document and account, however often the document is pushed again
    `INSERT INTO ledger_exception (merchant_id, kind, amount, document, detail, created_at, facts)
     SELECT $1, 'refund_over', $2, $3, $4, $5, $6
     WHERE NOT EXISTS (SELECT 1 FROM ledger_exception WHERE merchant_id = $1 AND kind = 'refund_over' AND document = $3 AND detail = $4)`,
    [
      merchantId,
      value - cap,
      d.sale.receiptNo,
      `Return ${d.sale.receiptNo} paid back ${value} cents to ${kind === 'points' ? 'points' : 'store credit'} of member ${d.memberCode ?? '?'}; ` +
        `${why}: only ${cap} cents were credited`,
      new Date(now),
      JSON.stringify(facts),
    ],
  );
}
