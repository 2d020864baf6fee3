/**
 * Answers app:// requests from the built renderer folder. Uses only the web-standard Request and
 * Response (global in Node and in Electron's main process), so it is tested without Electron.
 */
import { readFile } from 'node:fs/promises';
import { contentTypeFor } from './content-types';
import { CONTENT_SECURITY_POLICY, resolveAppFile } from './security';

export type ReadAppFile = (file: string) => Promise<Uint8Array<ArrayBuffer>>;

/** On every response, errors included: a 404 page is still a document the CSP must cover. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

export function createAppRequestHandler(rendererDir: string, read: ReadAppFile = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveAppFile(rendererDir, request.url);
    const contentType = file === null ? null : contentTypeFor(file);
    if (file === null || contentType === null) return plain(404, 'Not found');
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await read(file);
    } catch {
      return plain(404, 'Not found');
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentType };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
