/**
 * The zod every contract schema imports (`import * as z from './zod'`): zod itself, except that
 * `z.string()` accepts only well-formed Unicode. A lone UTF-16 surrogate cannot be encoded as
 * UTF-8: SQLite would store invalid bytes, the printer print "���" and the cloud quarantine the
 * row, so the contract refuses it (BAD_REQUEST) wherever a string enters. What people type as a
 * name, label or reason goes through `text()` as well: NFC, trimmed, no control characters.
 */
import { z as zod } from 'zod';

export * from 'zod';

/** In a `u` regex a surrogate pair is one code point, so this matches only a surrogate standing alone. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const CONTROL_CHARACTER = /\p{Cc}/u;

export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

export function string(params?: Parameters<typeof zod.string>[0]): zod.ZodString {
  return zod.string(params).refine(isWellFormed, { message: 'must be well-formed Unicode (no lone surrogate)' });
}

/** A name, label or reason a person types: NFC, trimmed, min..max characters, no control characters. */
export function text(max: number, min = 1): zod.ZodString {
  return string()
    .normalize('NFC')
    .trim()
    .min(min)
    .max(max)
    .refine((value) => !CONTROL_CHARACTER.test(value), { message: 'must not contain control characters' });
}
