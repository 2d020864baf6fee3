import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement for this connection, compiled once and reused. Compiling SQL costs more than
 * running it for the small statements checkout uses, and checkout runs them on every scan.
 * Hazard: a cached statement keeps its mode (`pluck()`, `raw()`), so one SQL text is always used
 * in one mode; and only fixed SQL texts belong here, never text built from input.
 */
export function prepared<P extends unknown[] | object = unknown[], R = unknown>(db: Db, sql: string): Statement<P, R> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Statement<P, R>;
}
