/** The PostgreSQL pool: bounded, with server-side timeouts, and BIGINT read as a safe JS number. */
import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** A pool or a client inside a transaction: what repository functions take first. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface PoolOptions {
  /** Connections per instance; several instances share the database's max_connections. */
  max?: number;
  /** Any single statement slower than this is cancelled by the server (ms). */
  statementTimeoutMs?: number;
  /**
   * Waiting longer than this for a free connection fails the request with 503 (ms). Requests queue
   * for a connection rather than being refused while there is capacity: long enough to ride out a
   * burst (100 registers pushing at once), shorter than the 30 s request timeout.
   */
  connectionTimeoutMs?: number;
  applicationName?: string;
}

const INT8_OID = 20;

/**
 * Ids, versions, seqs, cents and thousandths are BIGINT in SQL but stay far below 2^53, so they are
 * read as numbers; one that is not would be a corrupted row, and is refused rather than rounded.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} is beyond Number.MAX_SAFE_INTEGER`);
  return value;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function createPool(connectionString: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 20_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    // A connection left inside a transaction (a bug, a hung client) must not hold row locks forever.
    idle_in_transaction_session_timeout: 60_000,
    application_name: options.applicationName ?? 'suanpan-cloud',
    types,
  });
  // An idle client losing its connection (database restart) emits here; without a listener Node
  // would crash the process. The pool drops the client and the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/**
 * Backpressure: requests already waiting for a connection, beyond which a new one is refused at
 * once (503 with Retry-After) instead of joining a queue it could not get through in time.
 */
export function queueIsFull(pool: Pool, queueLimit: number): boolean {
  return pool.waitingCount >= queueLimit;
}
