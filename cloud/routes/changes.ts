/** Pull: GET /v1/changes (paged by version) and GET /v1/snapshot (everything, as of a version). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { readChanges } from '../domain/change-log';
import { loadSnapshot } from '../domain/snapshot';
import type { Auth } from './auth';
import { parseRequest } from './parse';
import { recordContact } from './register-report';

export const MAX_CHANGES_LIMIT = 1000;
export const DEFAULT_CHANGES_LIMIT = 500;

const Integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${name} is a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} is at least ${min}`).max(max, `${name} is at most ${max}`));

const ChangesQuery = z.object({
  since: Integer('since', 0, Number.MAX_SAFE_INTEGER).default(0),
  limit: Integer('limit', 1, MAX_CHANGES_LIMIT).default(DEFAULT_CHANGES_LIMIT),
});

export function changesRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; auth: Auth }): void {
  const { pool, clock, auth } = deps;

  app.get('/v1/changes', { onRequest: auth.register() }, async (request) => {
    const query = parseRequest(ChangesQuery, request.query, 'query');
    const register = auth.registerOf(request);
    const page = await readChanges(pool, register.merchantId, query.since, query.limit);
    await recordContact(pool, request, register, 'pull', clock.now());
    return page;
  });

  app.get('/v1/snapshot', { onRequest: auth.register() }, async (request) => {
    const register = auth.registerOf(request);
    const snapshot = await loadSnapshot(pool, register.merchantId, clock.now());
    await recordContact(pool, request, register, 'pull', clock.now());
    return snapshot;
  });
}
