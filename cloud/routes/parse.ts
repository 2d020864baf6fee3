/** Request bodies and query strings through zod: a mismatch is a 400 naming each bad field. */
import type { z } from 'zod';
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
