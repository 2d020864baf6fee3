/** Transactions: BEGIN … COMMIT on one pooled client, retried when PostgreSQL asks for it. */
import type { Pool, PoolClient } from './pool';

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 4;

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Runs `work` inside one transaction. `work` may run more than once (after a deadlock or a
 * serialization failure), so it must keep its effects inside the database until it returns.
 * Unlike the register's SQLite transactions these are async: every await holds the transaction's
 * locks, so work does SQL only, never I/O to anything else.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const begin = `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'read committed').toUpperCase()}${options.readOnly ? ' READ ONLY' : ''}`;
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is gone: destroy the client instead of returning it to the pool.
        broken = rollbackError as Error;
      }
      const state = sqlState(error);
      if (state !== undefined && RETRYABLE.has(state) && attempt < MAX_ATTEMPTS) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
