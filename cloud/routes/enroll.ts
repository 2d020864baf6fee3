/** POST /v1/enroll: a one-time code for a register id and its bearer token. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { countEnrolAttempt, enrol } from '../domain/enrolment';
import { Text } from '../domain/schemas';
import { parseRequest } from './parse';

// Not strict: a newer register may send more about itself; what is not known here is ignored.
const EnrollBody = z.object({
  code: z.string().min(1).max(64),
  name: Text(100).trim().min(1).optional(),
});

export function enrollRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; enrolAttemptsPerMinute: number }): void {
  app.post('/v1/enroll', {
    // Counted before the body is even parsed: a flood of garbage is a flood of attempts.
    onRequest: async (request) => countEnrolAttempt(deps.pool, request.ip, deps.enrolAttemptsPerMinute, deps.clock.now()),
    handler: async (request, reply) => {
      const body = parseRequest(EnrollBody, request.body, 'enrolment request');
      const now = deps.clock.now();
      const enrolment = await enrol(deps.pool, { code: body.code, name: body.name }, now);
      // The token is in this answer only: never cache it anywhere on the way.
      void reply.header('Cache-Control', 'no-store');
      return reply.status(201).send(enrolment);
    },
  });
}
