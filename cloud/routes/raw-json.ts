/**
 * A JSON body parser that also keeps the body's bytes: the push route cuts each sale document out
 * of them to store it as it came (domain/payload-bytes.ts). Parsing, and its errors, are Fastify's
 * own (prototype poisoning refused, as app.ts sets for every route).
 */
import type { FastifyInstance } from 'fastify';

const rawBodies = new WeakMap<object, Buffer>();

/** On `scope` (an encapsulated plugin), JSON bodies are parsed as everywhere else, and their bytes kept. */
export function keepRawJson(scope: FastifyInstance): void {
  const parse = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    parse(request, bytes.toString('utf8'), (error, parsed) => {
      if (!error && typeof parsed === 'object' && parsed !== null) rawBodies.set(parsed, bytes);
      done(error, parsed);
    });
  });
}

/** The bytes `body` was parsed from, where keepRawJson parsed it. */
export const rawJsonOf = (body: unknown): Buffer | undefined =>
  typeof body === 'object' && body !== null ? rawBodies.get(body) : undefined;
