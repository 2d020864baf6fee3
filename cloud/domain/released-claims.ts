/**
 * The claims registers released (issue 15; migration 0034), by id: a register names the claim its
 * cart made when it asks to collect an order (or take a pickup of it) before a sale, and names it
 * again when that sale is never written (`order.claim-released`, order-claims.ts). A claim's own
 * request may reach the cloud after its release (late on the network, or retried by an HTTP layer
 * after the register gave up waiting): it is refused here instead of standing on a receipt number
 * no sale carries. Both sides run on the order's row lock (`findRow(…, true)`), taken before
 * anything else is read: a claim and its release arriving at once take turns, and whichever comes
 * second sees the first.
 */
import { CloudError } from '../errors';
import type { PoolClient } from '../db/pool';
import type { RegisterContext } from './registers';

/** Under the order's row lock: the claim `claimId` is released (kept once, whatever the replays). */
export async function recordReleasedClaim(
  client: PoolClient,
  register: Pick<RegisterContext, 'merchantId' | 'registerId'>,
  claim: { claimId: string; orderId: number; receiptNo: string },
  now: number,
): Promise<void> {
  await client.query(
    `INSERT INTO order_claim_released (merchant_id, register_id, claim_id, order_id, receipt_no, released_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [register.merchantId, register.registerId, claim.claimId, claim.orderId, claim.receiptNo, new Date(now)],
  );
}

/** Under the order's row lock: CLAIM_RELEASED when the register already released the claim `claimId` (it asks too late). */
export async function refuseReleasedClaim(
  client: PoolClient,
  register: { merchantId: number; registerId: string },
  orderNo: string,
  claimId: string,
): Promise<void> {
  const released = await client.query<{ receipt_no: string }>(
    'SELECT receipt_no FROM order_claim_released WHERE merchant_id = $1 AND register_id = $2 AND claim_id = $3',
    [register.merchantId, register.registerId, claimId],
  );
  const receiptNo = released.rows[0]?.receipt_no;
  if (receiptNo !== undefined)
    throw new CloudError('CLAIM_RELEASED', `The claim on order ${orderNo} (receipt ${receiptNo}) was already released by this register`, {
      claimId,
      receiptNo,
    });
}
