/**
 * Bearer-token authentication, run in onRequest: before the body is read, so an unauthenticated
 * client can make the server parse nothing, and before the path check, so another register's id
 * answers 403 only to an authenticated register.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { CloudError } from '../errors';
import type { Pool } from '../db/pool';
import { authenticate, type RegisterContext } from '../domain/registers';

/** 32 bytes in base64url: anything else is not one of ours, and costs no database lookup. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface Auth {
  /** For routes of the register itself; `:id` in the path must be the caller's own. */
  register(options?: { allowRotatedToken?: boolean }): onRequestAsyncHookHandler;
  /** The authenticated register of a request that passed the hook. */
  registerOf(request: FastifyRequest): RegisterContext;
  /** The bearer token of that request (rotation needs to know which one was presented). */
  tokenOf(request: FastifyRequest): string;
}

export function createAuth(pool: Pool): Auth {
  // Per app, keyed by the request object: nothing outlives the request.
  const contexts = new WeakMap<FastifyRequest, { register: RegisterContext; token: string }>();

  return {
    register(options = {}) {
      return async (request: FastifyRequest, _reply: FastifyReply) => {
        const header = request.headers.authorization;
        if (header === undefined)
          throw new CloudError('UNAUTHORIZED', 'Send Authorization: Bearer <token> (the token enrolment gave this register)');
        const match = /^Bearer +(\S+)$/i.exec(header);
        if (!match || !TOKEN_FORMAT.test(match[1] as string))
          throw new CloudError('TOKEN_INVALID', 'This token is not valid: enrol the register again');
        const token = match[1] as string;
        const register = await authenticate(pool, token);
        if (register.viaPreviousToken && !options.allowRotatedToken) {
          throw new CloudError(
            'TOKEN_ROTATED',
            'This token was replaced by a rotation: use the new token (or retry the rotation if its answer was lost)',
          );
        }
        const pathId = (request.params as { id?: unknown } | undefined)?.id;
        if (pathId !== undefined && pathId !== register.registerId)
          throw new CloudError('FORBIDDEN', 'This token belongs to another register');
        contexts.set(request, { register, token });
      };
    },
    registerOf(request) {
      const found = contexts.get(request);
      if (!found) throw new Error('registerOf() on a route without the register hook');
      return found.register;
    },
    tokenOf(request) {
      const found = contexts.get(request);
      if (!found) throw new Error('tokenOf() on a route without the register hook');
      return found.token;
    },
  };
}
