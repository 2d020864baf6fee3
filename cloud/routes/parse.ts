/** Request bodies and query strings through zod: a mismatch is a 400 naming each bad field. */
import { z } from 'zod';
import { CloudError } from '../errors';
import { issuesOf } from '../domain/schemas';

export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    const first = issues[0];
    throw new CloudError('BAD_REQUEST', `Invalid ${what}${first ? `: ${first.path}: ${first.message}` : ''}`, { issues });
  }
  return parsed.data;
}

/** A caller's idempotency key (a till's redemption, the shop's payment): one rule for every route that takes one. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/, '8 to 100 of A-Z a-z 0-9 . _ : -');
