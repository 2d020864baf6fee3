import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrol, issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { applyMutationBatch, type BatchResult } from '../../../cloud/domain/mutations';
import { authenticate } from '../../../cloud/domain/registers';
import { CloudError } from '../../../cloud/errors';
import { createShop, saleMutation, useTestDatabase, type Shop } from './helpers';

const db = useTestDatabase();
let shop: Shop;

beforeAll(async () => {
  shop = await createShop(db().pool, { products: 1 });
});

const N = 24;

/** Every 7th seq names an unknown SKU: quarantined, but its seq must be taken exactly once too. */
function mutation(register: { storeCode: string; registerCode: string }, seq: number) {
  return saleMutation(register, seq, [{ sku: seq % 7 === 0 ? 'UNKNOWN' : 'P1', quantity: 1 }]);
}

describe('the mutation applier (property)', () => {
  it('any interleaving of overlapping, replayed and out-of-reach batches takes each seq exactly once', async () => {
    const batch = fc.record({ start: fc.integer({ min: 1, max: N }), length: fc.integer({ min: 1, max: 8 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 12 }), fc.array(batch, { maxLength: 12 }), async (laneA, laneB) => {
        const now = Date.now();
        const { code } = await issueEnrolmentCode(db().pool, shop.stores[0]!.id, { ttlMinutes: 5, now });
        const enrolled = await enrol(db().pool, { code }, now);
        const register = await authenticate(db().pool, enrolled.token);
        const identity = { storeCode: register.storeCode, registerCode: register.registerCode };
        let applied = 0;
        let quarantined = 0;
        const send = async (from: number, length: number): Promise<BatchResult | 'gap'> => {
          const mutations = Array.from({ length: Math.min(length, N - from + 1) }, (_, i) => mutation(identity, from + i));
          try {
            const result = await applyMutationBatch(db().pool, register, mutations, now);
            expect(result.applied + result.quarantined + result.duplicates + result.conflicts).toBe(mutations.length);
            expect(result.conflicts).toBe(0);
            applied += result.applied;
            quarantined += result.quarantined;
            return result;
          } catch (error) {
            if (error instanceof CloudError && error.code === 'SEQ_GAP') return 'gap';
            throw error;
          }
        };
        // Two workers at once (two instances, or a worker restarted mid-push), each replaying freely.
        const lane = async (batches: { start: number; length: number }[]) => {
          for (const b of batches) await send(b.start, b.length);
        };
        await Promise.all([lane(laneA), lane(laneB)]);
        // Then one worker drains the rest from where the server says it is.
        for (;;) {
          const probe = await send(1, 0);
          const last = probe === 'gap' ? 0 : probe.lastAppliedSeq;
          if (last >= N) break;
          await send(last + 1, 8);
        }
        const taken = (
          await db().pool.query<{ seq: number; outcome: string }>(
            'SELECT seq, outcome FROM applied_mutation WHERE register_id = $1 ORDER BY seq',
            [register.registerId],
          )
        ).rows;
        expect(taken.map((t) => t.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
        const sales = (
          await db().pool.query<{ register_seq: number }>('SELECT register_seq FROM sale WHERE register_id = $1 ORDER BY register_seq', [
            register.registerId,
          ])
        ).rows;
        const expectedSales = taken.filter((t) => t.seq % 7 !== 0).map((t) => t.seq);
        expect(sales.map((s) => s.register_seq)).toEqual(expectedSales);
        expect(applied).toBe(expectedSales.length);
        expect(quarantined).toBe(N - expectedSales.length);
        const stock = (
          await db().pool.query<{ n: number }>(
            "SELECT count(*) AS n FROM stock_movement WHERE source = ANY(SELECT 'sale:' || id FROM sale WHERE register_id = $1)",
            [register.registerId],
          )
        ).rows[0];
        expect(stock?.n).toBe(expectedSales.length);
      }),
      { numRuns: 25 },
    );
  });
});
