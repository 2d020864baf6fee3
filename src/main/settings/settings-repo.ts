import type { z } from 'zod';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

/**
 * Settings are JSON values by key, each read through a schema: a value a person mistyped into the
 * table falls back to the default and is reported, never crashes checkout.
 */
export function readSetting<S extends z.ZodType>(
  db: Db,
  key: string,
  schema: S,
  fallback: z.output<S>,
  onInvalid?: (key: string) => void,
): z.output<S> {
  const row = prepared<{ key: string }, { value: string }>(db, 'SELECT value FROM setting WHERE key = :key').get({ key });
  if (!row) return fallback;
  const parsed = schema.safeParse(JSON.parse(row.value));
  if (parsed.success) return parsed.data;
  onInvalid?.(key);
  return fallback;
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  prepared(db, 'INSERT INTO setting (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run({
    key,
    value: JSON.stringify(value),
  });
}
