/**
 * The per-merchant change log registers pull. Versions come from the merchant's change_counter row,
 * locked by the UPDATE until COMMIT (see 0001-init.sql): gap-free, and visible in version order.
 * Append as the LAST statement of a transaction, right before COMMIT, so the counter lock is held as
 * briefly as possible: every push of the merchant's registers takes its turn on that row.
 */
import { textArray } from '../db/array-literal';
import type { FeedChange, FeedChangeRow, FeedEntity } from '../../src/shared/change-feed';
import { CloudError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';

/** The shapes are the register's contract: src/shared/change-feed.ts (checked by tests/node/cloud/feed-contract.test.ts). */
export type ChangeEntity = FeedEntity;
export type Change = FeedChange;
export type ChangeRow = FeedChangeRow;

/**
 * Appends `changes` in order; returns the last version written (or null when there was nothing).
 * One statement: the counter's row lock is taken and the rows written in one round trip, so the lock
 * is held only for this statement and the COMMIT that follows (not for a trip through a busy event
 * loop between two statements).
 */
export async function appendChanges(client: Queryable, merchantId: number, changes: Change[], now: number): Promise<number | null> {
  if (changes.length === 0) return null;
  const written = await client.query<{ last_version: number }>({
    name: 'append-changes',
    text: `WITH counter AS (
       UPDATE change_counter SET last_version = last_version + $2 WHERE merchant_id = $1 RETURNING last_version
     ), inserted AS (
       INSERT INTO change_log (merchant_id, version, entity, op, data, created_at)
       SELECT $1, counter.last_version - $2 + t.ord, t.entity, t.op, t.data::jsonb, $3
       FROM counter, unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(entity, op, data, ord)
     )
     SELECT last_version FROM counter`,
    values: [
      merchantId,
      changes.length,
      new Date(now),
      textArray(changes.map((c) => c.entity)),
      textArray(changes.map((c) => c.op)),
      textArray(changes.map((c) => JSON.stringify(c.data))),
    ],
  });
  const last = written.rows[0]?.last_version;
  if (last === undefined) throw new Error(`Merchant ${merchantId} has no change_counter row`);
  return last;
}

/**
 * `appendChanges` for changes computed in SQL (a 200,000-row catalogue import): `sourceSql` selects
 * `entity, op, data (jsonb), part, sort_key`, appended in (part, sort_key) order, through the same
 * counter row as every other change, so the versions stay gap-free and in commit order.
 */
export async function appendChangesFrom(
  client: Queryable,
  merchantId: number,
  sourceSql: string,
  params: unknown[],
  now: number,
): Promise<{ first: number | null; last: number | null; count: number }> {
  await client.query('DROP TABLE IF EXISTS pending_change');
  await client.query(
    `CREATE TEMP TABLE pending_change ON COMMIT DROP AS
     SELECT row_number() OVER (ORDER BY s.part, s.sort_key) AS ord, s.entity, s.op, s.data FROM (${sourceSql}) AS s`,
    params,
  );
  const count = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pending_change')).rows[0]?.n ?? 0;
  if (count === 0) return { first: null, last: null, count };
  const counter = await client.query<{ last_version: number }>(
    'UPDATE change_counter SET last_version = last_version + $2 WHERE merchant_id = $1 RETURNING last_version',
    [merchantId, count],
  );
  const last = counter.rows[0]?.last_version;
  if (last === undefined) throw new Error(`Merchant ${merchantId} has no change_counter row`);
  const first = last - count + 1;
  await client.query(
    `INSERT INTO change_log (merchant_id, version, entity, op, data, created_at)
     SELECT $1, $2 + ord - 1, entity, op, data, $3 FROM pending_change`,
    [merchantId, first, new Date(now)],
  );
  await client.query('DROP TABLE pending_change');
  return { first, last, count };
}

/** The newest version written (0 for none). In a REPEATABLE READ transaction, every change up to it is in what that transaction reads. */
export async function readLastVersion(client: Queryable, merchantId: number): Promise<number> {
  const row = (await client.query<{ last_version: number }>('SELECT last_version FROM change_counter WHERE merchant_id = $1', [merchantId]))
    .rows[0];
  return row ? Number(row.last_version) : 0;
}

export interface ChangePage {
  changes: ChangeRow[];
  nextSince: number;
  hasMore: boolean;
  /** The newest version there is: how far behind the register is. */
  lastVersion: number;
}

/**
 * Changes after `since`, oldest first. Read in one REPEATABLE READ snapshot with the retention
 * horizon, so a prune between the two reads cannot make a page silently skip versions.
 */
export async function readChanges(pool: Pool, merchantId: number, since: number, limit: number): Promise<ChangePage> {
  return withTransaction(
    pool,
    async (client) => {
      const counter = (
        await client.query<{ last_version: number; min_version: number }>(
          'SELECT last_version, min_version FROM change_counter WHERE merchant_id = $1',
          [merchantId],
        )
      ).rows[0];
      if (!counter) throw new Error(`Merchant ${merchantId} has no change_counter row`);
      if (since < counter.min_version) {
        throw new CloudError(
          'SNAPSHOT_REQUIRED',
          `Changes up to version ${counter.min_version} have been pruned; fetch GET /v1/snapshot and pull from its version`,
          {
            minVersion: counter.min_version,
          },
        );
      }
      if (since > counter.last_version) {
        throw new CloudError(
          'SNAPSHOT_REQUIRED',
          `Version ${since} is ahead of this server (at ${counter.last_version}): the cloud database was restored; fetch GET /v1/snapshot`,
          {
            minVersion: counter.min_version,
          },
        );
      }
      const rows = (
        await client.query<ChangeRow>(
          'SELECT version, entity, op, data FROM change_log WHERE merchant_id = $1 AND version > $2 ORDER BY version LIMIT $3',
          [merchantId, since, limit + 1],
        )
      ).rows;
      const hasMore = rows.length > limit;
      const changes = hasMore ? rows.slice(0, limit) : rows;
      return { changes, nextSince: changes.at(-1)?.version ?? since, hasMore, lastVersion: counter.last_version };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

/**
 * Drops change_log entries up to `throughVersion` (capped at the newest) and moves the retention
 * horizon there: registers with an older cursor get SNAPSHOT_REQUIRED. Returns the new horizon.
 */
export async function pruneChanges(
  pool: Pool,
  merchantId: number,
  throughVersion: number,
): Promise<{ minVersion: number; deleted: number }> {
  return withTransaction(pool, async (client) => {
    // 1. the counter row, locked: no version is allocated while the horizon moves
    const counter = (
      await client.query<{ last_version: number; min_version: number }>(
        'SELECT last_version, min_version FROM change_counter WHERE merchant_id = $1 FOR UPDATE',
        [merchantId],
      )
    ).rows[0];
    if (!counter) throw new Error(`Merchant ${merchantId} has no change_counter row`);
    const horizon = Math.max(counter.min_version, Math.min(throughVersion, counter.last_version));
    // 2. the entries, then the horizon
    const deleted = await client.query('DELETE FROM change_log WHERE merchant_id = $1 AND version <= $2', [merchantId, horizon]);
    await client.query('UPDATE change_counter SET min_version = $2 WHERE merchant_id = $1', [merchantId, horizon]);
    return { minVersion: horizon, deleted: deleted.rowCount ?? 0 };
  });
}
