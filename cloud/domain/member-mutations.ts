/**
 * What a pushed batch does to members (issue 13): enrolments first (a document later in the same
 * batch may name the provisional code), then the points of every document naming a member, posted
 * to the ledger with the document's own key, so a replayed push never counts twice. The points are
 * the cloud's arithmetic from the checked lines and its own rules, never the till's figure.
 */
import { unitsForValue } from '../../src/shared/stored-value';
import { GIFT_CARD_SKU } from '../../src/shared/gift-card';
import type { PoolClient } from '../db/pool';
import type { Write } from './mutation-kinds';
import type { RegisterContext } from './registers';
import { enrolFromRegister, loadRules, pointsFor, postMovements, recordUnknownMember, resolveMemberCodes, type Movement } from './members';

/** Applies the batch's member writes; answers the ids of the members it changed. */
export async function applyMemberWrites(
  client: PoolClient,
  register: RegisterContext,
  writes: readonly Write[],
  now: number,
): Promise<number[]> {
  const touched: number[] = [];
  // 1. enrolments, in seq order
  for (const w of writes) {
    if (w.type === 'member') touched.push(await enrolFromRegister(client, register.merchantId, register.registerId, w.enrolment, now));
  }
  // 2. points for documents naming a member
  const documents = writes.flatMap((w) => (w.type === 'document' && w.memberCode !== null ? [{ ...w, memberCode: w.memberCode }] : []));
  if (documents.length === 0) return touched;
  const rules = await loadRules(client, register.merchantId);
  const members = await resolveMemberCodes(
    client,
    register.merchantId,
    documents.map((d) => d.memberCode),
  );
  const excludedSkus = new Set<string>();
  if (rules.excludedCategories.length > 0) {
    const rows = (
      await client.query<{ sku: string }>(
        'SELECT sku FROM product WHERE merchant_id = $1 AND sku = ANY($2::text[]) AND category_code = ANY($3::text[])',
        [register.merchantId, [...new Set(documents.flatMap((d) => d.skus))], rules.excludedCategories],
      )
    ).rows;
    for (const r of rows) excludedSkus.add(r.sku);
  }
  const movements: Movement[] = [];
  for (const d of documents) {
    const member = members.get(d.memberCode);
    if (!member) {
      await recordUnknownMember(client, register.merchantId, d.sale.receiptNo, d.memberCode, now);
      continue;
    }
    // points and store credit the document paid with or paid back: the cloud's own units at its rate;
    // a redemption the till took online already has its entry under the same key, which stands
    for (const use of d.storedValue) {
      if (use.kind === 'gift') continue; // the card's own account (gift-cards.ts)
      const units = unitsForValue(use.kind, Math.abs(use.value), rules.pointsPerDollar);
      if (units === 0) continue;
      movements.push({
        merchantId: register.merchantId,
        memberId: member.id,
        kind: use.kind,
        amount: use.value > 0 ? -units : units,
        idemKey: `register:${register.registerId}:${use.key}`,
        reason: use.value > 0 ? 'redeem' : 'refund',
        document: d.sale.receiptNo,
        source: `register:${register.registerId}`,
        // paid at the till (offline when the cloud did not decide it): recorded, an overspend listed
        whenShort: 'record',
        acceptEarlier: true,
      });
      touched.push(member.id);
    }
    // a gift card sold earns nothing: the points come when the card is spent
    const eligible = d.sale.lines.filter((l) => !excludedSkus.has(l.sku) && l.sku !== GIFT_CARD_SKU).reduce((sum, l) => sum + l.net, 0);
    const points = pointsFor(eligible, member.tier, rules);
    if (points === 0) continue;
    movements.push({
      merchantId: register.merchantId,
      memberId: member.id,
      kind: 'points',
      amount: points,
      idemKey: `doc:${d.sale.receiptNo}:points`,
      reason: points > 0 ? 'earn' : 'reverse',
      document: d.sale.receiptNo,
      source: `register:${register.registerId}`,
      // the sale is paid; points reversed after they were spent are an overdraft to look at
      whenShort: 'record',
    });
    touched.push(member.id);
  }
  await postMovements(client, movements, now);
  return touched;
}
