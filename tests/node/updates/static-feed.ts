/**
 * A real static HTTP server for update-feed tests: serves files from a folder as a web server or a
 * CDN would, and can be told to answer 500 or to hang (accept, send headers or nothing, then stall).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { serializeToYaml } from 'builder-util/out/util.js';

export type FeedFault = 'none' | 'error-500' | 'hang-before-headers' | 'hang-mid-body';

export interface StaticFeed {
  url: string;
  fault: FeedFault;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startStaticFeed(folder: string): Promise<StaticFeed> {
  const sockets = new Set<Socket>();
  const state: StaticFeed = {
    url: '',
    fault: 'none',
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    state.requests.push(path);
    if (state.fault === 'error-500') {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    }
    if (state.fault === 'hang-before-headers') return;
    const file = join(folder, path.replace(/^\/feed\//, ''));
    if (!path.startsWith('/feed/') || path.includes('..') || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const size = statSync(file).size;
    response.writeHead(200, { 'content-type': file.endsWith('.yml') ? 'text/yaml' : 'application/octet-stream', 'content-length': size });
    if (state.fault === 'hang-mid-body' && !file.endsWith('.yml')) {
      // Half the bytes, then nothing: the connection stays open.
      createReadStream(file, { end: Math.floor(size / 2) - 1 }).on('data', (chunk) => response.write(chunk));
      return;
    }
    createReadStream(file).pipe(response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
  return state;
}

export function sha512Base64(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('base64');
}

/**
 * Publishes a release into `folder` as electron-builder does: the installer and the feed file,
 * written with electron-builder's own YAML writer (builder-util's serializeToYaml) in the shape
 * app-builder-lib's updateInfoBuilder gives it.
 */
export function publishRelease(
  folder: string,
  options: {
    version: string;
    installer: string;
    bytes: Buffer;
    feedFile: string;
    sha512?: string;
    stagingPercentage?: number;
    size?: number;
  },
): string {
  writeFileSync(join(folder, options.installer), options.bytes);
  const sha512 = options.sha512 ?? sha512Base64(options.bytes);
  const info: Record<string, unknown> = {
    version: options.version,
    files: [{ url: options.installer, sha512, size: options.size ?? options.bytes.length }],
    path: options.installer,
    sha512,
    releaseDate: '2026-12-03T02:00:00.000Z',
    releaseNotes: 'Faster receipts.\nFixes:\n  - 找續 rounding on the pole display',
  };
  if (options.stagingPercentage !== undefined) info.stagingPercentage = options.stagingPercentage;
  const text = serializeToYaml(info, false, true);
  writeFileSync(join(folder, options.feedFile), text);
  return text;
}
