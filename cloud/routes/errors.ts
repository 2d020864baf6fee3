/**
 * Every failure answers `{ error: CODE, message, ...details, serverTime }` with the code's status.
 * Messages never echo request content: a malformed enrolment body may hold a code, and a message
 * may end up in a log.
 */
import { PayloadTooDeep } from '../domain/canonical-json';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { CloudError } from '../errors';
import { issuesOf } from '../domain/schemas';
import { sqlState } from '../db/tx';

const fastifyCodes: Record<string, () => CloudError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new CloudError('INVALID_JSON', 'The body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new CloudError('INVALID_JSON', 'The body is empty; send a JSON object'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new CloudError('PAYLOAD_TOO_LARGE', 'The body is over the size limit; send smaller batches'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new CloudError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new CloudError('BAD_REQUEST', 'The body does not match its Content-Length'),
};

/** SQLSTATEs meaning "the database cannot serve now", worth a retry, not a bug. */
const UNAVAILABLE_STATES = new Set(['57014', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);

function isUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined && UNAVAILABLE_STATES.has(state)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  const message = error instanceof Error ? error.message : '';
  // pg's pool, when no connection frees up within connectionTimeoutMillis
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

export function toCloudError(error: unknown, requestId: string): CloudError {
  if (error instanceof CloudError) return error;
  if (error instanceof ZodError) return new CloudError('BAD_REQUEST', 'The request does not match the schema', { issues: issuesOf(error) });
  // a body nested past what the cloud hashes (a shop order, a pickup): refused, not a 500
  if (error instanceof PayloadTooDeep) return new CloudError('BAD_REQUEST', error.message);
  const code = (error as FastifyError | null)?.code;
  const known = typeof code === 'string' ? fastifyCodes[code] : undefined;
  if (known) return known();
  if (isUnavailable(error))
    return new CloudError('UNAVAILABLE', 'The database is unavailable or too slow right now; retry later', { retryAfterSeconds: 5 });
  const status = (error as FastifyError | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new CloudError('BAD_REQUEST', 'The request is malformed');
  return new CloudError('INTERNAL', `Internal error; the server log has the details under request id ${requestId}`);
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = toCloudError(error, request.id);
  if (mapped.status >= 500) request.log.error({ err: error, errorCode: mapped.code }, 'request failed');
  else request.log.info({ errorCode: mapped.code }, 'request refused');
  const { retryAfterSeconds, ...details } = mapped.details;
  if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(retryAfterSeconds));
  return reply.status(mapped.status).send({ error: mapped.code, message: mapped.message, ...details });
}
