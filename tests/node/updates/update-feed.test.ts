import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withTimeout } from '../../support/bounded.mjs';
import {
  downloadUpdate,
  feedBaseUrl,
  fetchUpdateInfo,
  parseUpdateInfo,
  pickFile,
  UpdateError,
} from '../../../src/main/updates/update-feed';
import { useTempDirs } from '../helpers/temp-dir';
import { publishRelease, sha512Base64, startStaticFeed, type StaticFeed } from './static-feed';

const tempDir = useTempDirs();
let feed: StaticFeed | null = null;
afterEach(async () => {
  await feed?.close();
  feed = null;
});

/** An installer-sized body: 3 MB of varied bytes, so a cut or a changed byte shows. */
function installerBytes(seed: number): Buffer {
  const bytes = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await withTimeout(promise, 20_000, 'the update call to settle');
  } catch (error) {
    if (error instanceof UpdateError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'resolved';
}

describe('the update feed (electron-updater generic provider format)', () => {
  it('reads latest-linux.yml as electron-builder writes it, then downloads the AppImage and verifies its SHA-512', async () => {
    const site = tempDir();
    const bytes = installerBytes(7);
    const yml = publishRelease(site, {
      version: '1.4.0',
      installer: 'suanpan-1.4.0-x86_64.AppImage',
      bytes,
      feedFile: 'latest-linux.yml',
      stagingPercentage: 40,
    });
    // The file really is electron-builder's shape (its writer quotes the date, nests files).
    expect(yml).toContain("releaseDate: '2026-12-03T02:00:00.000Z'");
    expect(yml).toMatch(/^files:\n {2}- url: suanpan-1\.4\.0-x86_64\.AppImage\n {4}sha512: /m);
    feed = await startStaticFeed(site);

    const info = await withTimeout(fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 5_000 }), 10_000, 'the feed');
    expect(info).toEqual({
      version: '1.4.0',
      files: [{ url: 'suanpan-1.4.0-x86_64.AppImage', sha512: sha512Base64(bytes), size: bytes.length }],
      releaseDate: '2026-12-03T02:00:00.000Z',
      stagingPercentage: 40,
    });
    expect(feed.requests).toEqual(['/feed/latest-linux.yml']);

    const folder = join(tempDir(), 'updates');
    const result = await withTimeout(
      downloadUpdate(feed.url, pickFile(info, 'appimage'), folder, { timeoutMs: 5_000 }),
      20_000,
      'the download',
    );
    expect(result).toEqual({ file: join(folder, 'suanpan-1.4.0-x86_64.AppImage'), bytes: bytes.length });
    expect(readFileSync(result.file).equals(bytes)).toBe(true);
    expect(readdirSync(folder)).toEqual(['suanpan-1.4.0-x86_64.AppImage']);
  });

  it('reads latest.yml for Windows and picks the NSIS .exe', async () => {
    const site = tempDir();
    publishRelease(site, {
      version: '2.0.0-beta.2',
      installer: 'Suanpan-Setup-2.0.0-beta.2.exe',
      bytes: Buffer.from('MZ installer'),
      feedFile: 'latest.yml',
    });
    feed = await startStaticFeed(site);
    const info = await fetchUpdateInfo(`${feed.url}/`, 'win32', { timeoutMs: 5_000 });
    expect(info.version).toBe('2.0.0-beta.2');
    expect(pickFile(info, 'nsis').url).toBe('Suanpan-Setup-2.0.0-beta.2.exe');
    expect(() => pickFile(info, 'deb')).toThrow(/no \.deb file/);
  });

  it('throws the download away when its SHA-512 does not match the feed (nothing is left that looks installable)', async () => {
    const site = tempDir();
    const bytes = installerBytes(3);
    publishRelease(site, {
      version: '1.4.0',
      installer: 'suanpan-1.4.0-x86_64.AppImage',
      bytes,
      feedFile: 'latest-linux.yml',
      sha512: sha512Base64(installerBytes(4)),
    });
    feed = await startStaticFeed(site);
    const info = await fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 5_000 });
    const folder = join(tempDir(), 'updates');
    expect(await codeOf(downloadUpdate(feed.url, pickFile(info, 'appimage'), folder, { timeoutMs: 5_000 }))).toMatch(
      /^UPDATE_CHECKSUM: .*does not match the feed's SHA-512/,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a download longer than the feed says', async () => {
    const site = tempDir();
    const bytes = installerBytes(5);
    publishRelease(site, { version: '1.4.0', installer: 'a.AppImage', bytes, feedFile: 'latest-linux.yml', size: bytes.length - 1 });
    feed = await startStaticFeed(site);
    const info = await fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 5_000 });
    const folder = join(tempDir(), 'updates');
    expect(await codeOf(downloadUpdate(feed.url, pickFile(info, 'appimage'), folder, { timeoutMs: 5_000 }))).toMatch(
      /^UPDATE_CHECKSUM: .*larger than the feed says/,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('says 404 when there is no feed file, and when the installer is missing', async () => {
    const site = tempDir();
    feed = await startStaticFeed(site);
    expect(await codeOf(fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 5_000 }))).toBe(
      'UPDATE_FEED: The update feed answered HTTP 404 for /feed/latest-linux.yml',
    );
    const file = { url: 'gone.AppImage', sha512: sha512Base64(Buffer.from('x')), size: 1 };
    expect(await codeOf(downloadUpdate(feed.url, file, join(tempDir(), 'u'), { timeoutMs: 5_000 }))).toBe(
      'UPDATE_DOWNLOAD: The update server answered HTTP 404 for gone.AppImage',
    );
  });

  it('says 500 when the server fails', async () => {
    const site = tempDir();
    publishRelease(site, { version: '1.4.0', installer: 'a.AppImage', bytes: Buffer.from('x'), feedFile: 'latest-linux.yml' });
    feed = await startStaticFeed(site);
    feed.fault = 'error-500';
    expect(await codeOf(fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 5_000 }))).toBe(
      'UPDATE_FEED: The update feed answered HTTP 500 for /feed/latest-linux.yml',
    );
  });

  it('gives up on a server that hangs, before the headers or in the middle of the installer, within its bound', async () => {
    const site = tempDir();
    const bytes = installerBytes(9);
    publishRelease(site, { version: '1.4.0', installer: 'a.AppImage', bytes, feedFile: 'latest-linux.yml' });
    feed = await startStaticFeed(site);
    const info = await fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 5_000 });

    feed.fault = 'hang-before-headers';
    expect(await codeOf(fetchUpdateInfo(feed.url, 'linux', { timeoutMs: 300 }))).toBe(
      'UPDATE_FEED: The update feed did not answer (no answer within 300 ms)',
    );

    feed.fault = 'hang-mid-body';
    const folder = join(tempDir(), 'updates');
    expect(await codeOf(downloadUpdate(feed.url, pickFile(info, 'appimage'), folder, { timeoutMs: 300 }))).toMatch(
      /^UPDATE_DOWNLOAD: The update download broke off after \d+ bytes/,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('takes only https feeds (plain http on loopback alone) and files on the feed’s own server', () => {
    expect(() => feedBaseUrl('http://updates.example.com/suanpan')).toThrow(/must be an https/);
    expect(() => feedBaseUrl('https://user:pw@updates.example.com/')).toThrow(/user name or password/);
    expect(feedBaseUrl('https://updates.example.com/suanpan?x=1').href).toBe('https://updates.example.com/suanpan/');
    const info = parseUpdateInfo(
      `version: 1.2.3\nfiles:\n  - url: https://evil.example/a.exe\n    sha512: ${sha512Base64(Buffer.from('a'))}\n`,
    );
    return expect(codeOf(downloadUpdate('https://updates.example.com/', pickFile(info, 'nsis'), tempDir()))).resolves.toMatch(
      /^UPDATE_FEED: .*another server/,
    );
  });

  it('reads the older feed shape (path and sha512 only) and refuses what is not a feed', () => {
    const sha = sha512Base64(Buffer.from('old'));
    expect(
      parseUpdateInfo(`version: 1.0.1\npath: Suanpan-Setup-1.0.1.exe\nsha512: ${sha}\nreleaseDate: '2026-01-01T00:00:00.000Z'\n`).files,
    ).toEqual([{ url: 'Suanpan-Setup-1.0.1.exe', sha512: sha, size: null }]);
    expect(() => parseUpdateInfo('<html>Welcome to nginx</html>')).toThrow(UpdateError);
    expect(() => parseUpdateInfo(`version: latest\npath: a.exe\nsha512: ${sha}\n`)).toThrow(/semantic version/);
    expect(() => parseUpdateInfo('version: 1.0.0\n')).toThrow(/names no file/);
    expect(() => parseUpdateInfo(`version: 1.0.0\npath: a.exe\nsha512: abc\n`)).toThrow(/SHA-512/);
  });
});
