/**
 * Serves the built console (dist/console, from `npm run build`) under /hq/. Files are read once at
 * start; any path that is not a file is the page itself (the console routes in the browser). Every
 * answer carries a strict CSP: scripts, styles and connections from this origin only, no inline
 * anything, no framing.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

interface StaticFile {
  body: Buffer;
  type: string;
  immutable: boolean;
}

function readTree(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(dir, path).split('\\').join('/');
        // Vite's hashed assets never change under their name; the page itself must be revalidated.
        files.set(rel, {
          body: readFileSync(path),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          immutable: rel.startsWith('assets/'),
        });
      }
    }
  };
  walk(dir);
  return files;
}

export function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONSOLE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin');
}

export function consoleStatic(app: FastifyInstance, dir: string | undefined): void {
  const files = dir !== undefined && existsSync(join(dir, 'index.html')) ? readTree(dir) : null;

  const send = (reply: FastifyReply, path: string) => {
    securityHeaders(reply);
    if (!files) {
      return reply.status(503).type('text/plain; charset=utf-8').send('The head office console is not built: run npm run build');
    }
    const file = files.get(path) ?? (path.startsWith('assets/') ? undefined : files.get('index.html'));
    if (!file) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return reply
      .header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .type(file.type)
      .send(file.body);
  };

  app.get('/hq', (_request, reply) => reply.redirect('/hq/'));
  app.get('/hq/', (_request, reply) => send(reply, 'index.html'));
  app.get('/hq/*', (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (path.startsWith('api/')) return reply.status(404).send({ error: 'NOT_FOUND', message: `No route ${request.method} /hq/${path}` });
    return send(reply, path);
  });
}
