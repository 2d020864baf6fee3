/**
 * Whose points a cart's returned lines take back (issue 13): the member the sale they come from
 * earned for, never whoever else is on the cart (the cloud's rule, cloud/domain/return-points.ts).
 * So a cart holding returned lines of a member's sale keeps that member: it comes with the return
 * (cart-service addReturn), and putting another member on, or none, is refused with
 * MEMBER_RETURN_SALE_MEMBER; the receipt's points (sale-service) count a returned line only when its
 * sale was that member's (a sale with no member earned nothing to take back).
 */
import { PosError } from '../../shared/errors';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

/** The member code of the sale each returned line of the cart comes from (null: a sale with no member), by cart line id. */
export function returnedLineMembers(db: Db, cartId: number): Map<number, string | null> {
  const rows = prepared<{ cartId: number }, { id: number; code: string | null }>(
    db,
    `SELECT c.id, json_extract(s.member, '$.code') AS code
     FROM cart_line c JOIN sale_line l ON l.id = c.return_of_line_id JOIN sale s ON s.id = l.sale_id
     WHERE c.cart_id = :cartId`,
  ).all({ cartId });
  return new Map(rows.map((r) => [r.id, r.code]));
}

/**
 * Refuses `member` (its codes; null: no member) on a cart holding returned lines of a sale of
 * another member: those lines' points come off the member of their sale, not this one.
 */
export function assertReturnMember(
  saleMemberCodes: Iterable<string | null>,
  member: { code: string; codes: readonly string[] } | null,
): void {
  for (const code of saleMemberCodes) {
    if (code === null || (member !== null && member.codes.includes(code))) continue;
    throw new PosError(
      'MEMBER_RETURN_SALE_MEMBER',
      `The cart returns goods of a sale of member ${code}: its points come off that member, so the cart keeps that member. ` +
        'Complete the return first, or take the returned lines off',
    );
  }
}
