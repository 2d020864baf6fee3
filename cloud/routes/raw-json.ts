/**
 * A JSON body parser that also keeps the body's bytes: the push route cuts each sale document out
 * of them to store it as it came (domain/payload-bytes.ts). Parsing, and its errors, are Fastify's
 * own (prototype poisoning refused, as app.ts sets for every route); a large body is parsed in
 * pieces by that same parser (parseObjectInPieces: a push's text is too big a string to make whole).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseObjectInPieces } from '../domain/payload-bytes';

const rawBodies = new WeakMap<object, Buffer>();

/** Below this a body is parsed whole: its text is a small string. */
const PIECES_FROM_BYTES = 16 * 1024;

/** On `scope` (an encapsulated plugin), JSON bodies are parsed as everywhere else, and their bytes kept. */
export function keepRawJson(scope: FastifyInstance): void {
  const parse = scope.getDefaultJsonParser('error', 'error');
  /** Fastify's parser answers at once: its value, or it throws its error. */
  const parseText = (request: FastifyRequest, text: string): unknown => {
    let result: { error: Error | null; parsed: unknown } | undefined;
    parse(request, text, (error, parsed) => (result = { error, parsed }));
    if (!result) throw new Error('the JSON parser did not answer at once');
    if (result.error) throw result.error;
    return result.parsed;
  };
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const inPieces = bytes.length >= PIECES_FROM_BYTES ? parseObjectInPieces(bytes, (text) => parseText(request, text)) : undefined;
    if (inPieces) {
      rawBodies.set(inPieces, bytes);
      done(null, inPieces);
      return;
    }
    parse(request, bytes.toString('utf8'), (error, parsed) => {
      if (!error && typeof parsed === 'object' && parsed !== null) rawBodies.set(parsed, bytes);
      done(error, parsed);
    });
  });
}

/** The bytes `body` was parsed from, where keepRawJson parsed it. */
export const rawJsonOf = (body: unknown): Buffer | undefined =>
  typeof body === 'object' && body !== null ? rawBodies.get(body) : undefined;
