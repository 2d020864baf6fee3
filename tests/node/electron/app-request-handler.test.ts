import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppRequestHandler } from '../../../src/main/electron/app-request-handler';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/electron/security';
import { useTempDirs } from '../helpers/temp-dir';

describe('the app:// scheme', () => {
  const tempDir = useTempDirs();
  let handle: (request: Request) => Promise<Response>;

  beforeEach(() => {
    const base = tempDir();
    const renderer = join(base, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Suanpan</title>');
    writeFileSync(join(renderer, 'assets', 'index-3f2a.js'), 'export {};');
    writeFileSync(join(renderer, 'assets', 'notes.txt'), 'not for the page');
    writeFileSync(join(renderer, '.env'), 'SECRET=1');
    writeFileSync(join(base, 'register.db'), 'sales');
    handle = createAppRequestHandler(renderer);
  });

  const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

  it('serves the entry page with its type and the CSP', async () => {
    const response = await get('app://suanpan/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Suanpan</title>');
  });

  it('serves a module script as JavaScript', async () => {
    const response = await get('app://suanpan/assets/index-3f2a.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('export {};');
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://suanpan/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses other methods, still with the CSP', async () => {
    const response = await get('app://suanpan/index.html', 'POST');
    expect(response.status).toBe(405);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    ['a file outside the renderer folder', 'app://suanpan/..%2fregister.db'],
    ['a dot-file', 'app://suanpan/.env'],
    ['a file of a type the page never loads', 'app://suanpan/assets/notes.txt'],
    ['a folder', 'app://suanpan/assets'],
    ['a missing file', 'app://suanpan/assets/missing.js'],
    ['another host', 'app://suanpan.evil/index.html'],
  ])('answers 404 with the CSP for %s', async (_name, url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toBe('Not found');
  });
});
