/**
 * Shared stocktakes for the registers of a store (cloud/domain/count-sessions.ts), with the
 * registers' own bearer tokens; a register sees only its own store's sessions:
 * - GET  /v1/count-sessions: the store's open sessions (the 盤點 screen's list to join);
 * - GET  /v1/count-sessions/:sessionId: one session, its participants, and which of the asking
 *   register's entries were refused (arrived after the post);
 * - POST /v1/count-sessions/:sessionId/join: the asking register joins;
 * - GET  /v1/count-sessions/:sessionId/variance: the merged count against on-hand at count time;
 * - POST /v1/count-sessions/:sessionId/post { staffName, acceptUnsent }: posts once (409
 *   COUNT_ALREADY_POSTED says by whom and when; 409 COUNT_PARTICIPANTS_UNSENT names the registers
 *   that may still hold entries; 409 COUNT_ID_TAKEN: a register's own stock document has its id).
 * - POST /v1/count-sessions/:sessionId/cancel { staffName, reason, manager }: cancels it for every
 *   register (the opener, or a participant as a manager; 403 FORBIDDEN otherwise; 409
 *   COUNT_ALREADY_POSTED if it closed first, saying who).
 * Sessions and entries themselves arrive as `count.session` / `count.entry` mutations.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CancelCountSessionBody, PostCountSessionBody } from '../../src/shared/count-session';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import {
  cancelCountSession,
  countSession,
  countSessionVariance,
  joinCountSession,
  listOpenCountSessions,
  postCountSession,
} from '../domain/count-sessions';
import type { Auth } from './auth';
import { parseRequest } from './parse';

const SessionParams = z.strictObject({ sessionId: z.uuid() });

export function countSessionRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; auth: Auth; staleMs: number }): void {
  const { pool, clock, auth, staleMs } = deps;

  app.get('/v1/count-sessions', { onRequest: auth.register() }, async (request) => ({
    sessions: await listOpenCountSessions(pool, auth.registerOf(request), { now: clock.now(), staleMs }),
  }));

  app.get('/v1/count-sessions/:sessionId', { onRequest: auth.register() }, async (request) => {
    const { sessionId } = parseRequest(SessionParams, request.params, 'count session');
    return countSession(pool, auth.registerOf(request), sessionId, { now: clock.now(), staleMs });
  });

  app.post('/v1/count-sessions/:sessionId/join', { onRequest: auth.register() }, async (request) => {
    const { sessionId } = parseRequest(SessionParams, request.params, 'count session');
    return joinCountSession(pool, auth.registerOf(request), sessionId, { now: clock.now(), staleMs });
  });

  app.get('/v1/count-sessions/:sessionId/variance', { onRequest: auth.register() }, async (request) => {
    const { sessionId } = parseRequest(SessionParams, request.params, 'count session');
    return countSessionVariance(pool, auth.registerOf(request), sessionId, { now: clock.now(), staleMs });
  });

  app.post('/v1/count-sessions/:sessionId/cancel', { onRequest: auth.register() }, async (request) => {
    const { sessionId } = parseRequest(SessionParams, request.params, 'count session');
    const body = parseRequest(CancelCountSessionBody, request.body, 'count cancel');
    return cancelCountSession(pool, auth.registerOf(request), sessionId, body, { now: clock.now(), staleMs });
  });

  app.post('/v1/count-sessions/:sessionId/post', { onRequest: auth.register() }, async (request) => {
    const { sessionId } = parseRequest(SessionParams, request.params, 'count session');
    const body = parseRequest(PostCountSessionBody, request.body, 'count post');
    return postCountSession(pool, auth.registerOf(request), sessionId, body, { now: clock.now(), staleMs });
  });
}
