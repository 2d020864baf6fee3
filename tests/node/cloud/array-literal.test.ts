import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numberArray, textArray, timestampArray } from '../../../cloud/db/array-literal';
import { useTestDatabase } from './helpers';

// The ingest's array parameters are written by hand (cloud/db/array-literal.ts): PostgreSQL must
// read back exactly the values given, whatever the text holds.
const db = useTestDatabase();

describe('array literals', () => {
  it('round-trip any text, integers and NULLs through PostgreSQL', async () => {
    const texts = fc.sample(fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000'))), 300);
    texts.push('a"b', 'back\\slash', '\\"', '{,}', 'NULL', '', ' spaced ', '旺角 "店"');
    const numbers = [0, -1, 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, null, 42];
    const { rows } = await db().pool.query<{ t: (string | null)[]; n: (number | null)[]; ts: Date[] }>(
      'SELECT $1::text[] AS t, $2::bigint[] AS n, $3::timestamptz[] AS ts',
      [textArray(texts), numberArray(numbers), timestampArray([0, Date.parse('2025-07-01T02:00:00.123Z')])],
    );
    expect(rows[0]!.t).toEqual(texts);
    expect(rows[0]!.n.map((n) => (n === null ? null : Number(n)))).toEqual(numbers);
    expect(rows[0]!.ts.map((d) => d.getTime())).toEqual([0, Date.parse('2025-07-01T02:00:00.123Z')]);
    expect(textArray([])).toBe('{}');
  });

  it('leave a value that is not an integer for PostgreSQL to refuse as data (22P02)', async () => {
    await expect(db().pool.query('SELECT $1::bigint[]', [numberArray([1, 1.5])])).rejects.toMatchObject({ code: '22P02' });
    await expect(db().pool.query('SELECT $1::bigint[]', [numberArray([Number.NaN])])).rejects.toMatchObject({ code: '22P02' });
  });
});
