/** The register's own resources: its status, its mutation pushes and its token. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { MAX_BATCH, applyMutationBatch } from '../domain/mutations';
import { registerStatus, rotateToken } from '../domain/registers';
import { updatePolicy } from '../domain/update-rollout';
import type { Auth } from './auth';
import { parseRequest } from './parse';
import { keepRawJson, rawJsonOf } from './raw-json';
import { payloadSlices } from '../domain/payload-bytes';
import { recordContact } from './register-report';

const Mutation = z.object({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  // Stored as they are, so refused here when PostgreSQL could not store them (NUL, control chars).
  kind: z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/, 'a mutation kind like document.sale'),
  ref: z
    .string()
    .max(128)
    .refine((ref) => ![...ref].some((ch) => ch < ' '), 'no control characters'),
  // Checked per kind by the applier: a bad payload is quarantined, not refused, so it never
  // blocks the queue. It must be there, though.
  payload: z.unknown().refine((p) => p !== undefined, 'payload is required'),
});

const MutationsBody = z.object({
  mutations: z.array(Mutation).max(MAX_BATCH, `at most ${MAX_BATCH} mutations per batch`),
});

export function registerRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; auth: Auth }): void {
  const { pool, clock, auth } = deps;

  app.get('/v1/registers/:id', { onRequest: auth.register() }, async (request) => {
    const status = await registerStatus(pool, auth.registerOf(request).registerId);
    return status;
  });

  // Staged rollout (issue 17): the newest app version this register's store may install.
  app.get('/v1/registers/:id/update-policy', { onRequest: auth.register() }, async (request) => {
    const policy = await updatePolicy(pool, auth.registerOf(request).storeId);
    return { ...policy, serverTime: clock.now() };
  });

  // The push keeps its body's bytes: each sale document is stored as the register sent it.
  void app.register(async (scope) => {
    keepRawJson(scope);
    scope.post('/v1/registers/:id/mutations', { onRequest: auth.register() }, async (request) => {
      const body = parseRequest(MutationsBody, request.body, 'mutation batch');
      const raw = rawJsonOf(request.body);
      const slices = raw && payloadSlices(raw);
      const bytesOf = (index: number) => (slices?.length === body.mutations.length ? slices[index] : undefined);
      const mutations = body.mutations.map((m, index) => ({
        seq: m.seq,
        kind: m.kind,
        ref: m.ref,
        payload: m.payload,
        payloadBytes: bytesOf(index),
      }));
      const register = auth.registerOf(request);
      const result = await applyMutationBatch(pool, register, mutations, clock.now());
      await recordContact(pool, request, register, 'push', clock.now());
      return result;
    });
  });

  app.post('/v1/registers/:id/token/rotate', { onRequest: auth.register({ allowRotatedToken: true }) }, async (request, reply) => {
    const rotated = await rotateToken(pool, auth.registerOf(request), auth.tokenOf(request));
    void reply.header('Cache-Control', 'no-store');
    return rotated;
  });
}
