/**
 * The update feed as electron-updater's generic provider reads it: `<feed>/latest.yml` (Windows),
 * `<feed>/latest-linux.yml` (Linux), `<feed>/latest-mac.yml` (macOS), written by electron-builder
 * (`version`, `files[{url, sha512, size}]`, the older `path`/`sha512`, `releaseDate`, and the
 * optional `stagingPercentage`), and the installer it names, relative to the feed's folder.
 *
 * The download is verified as electron-updater verifies it: the base64 SHA-512 of the bytes must
 * equal the feed's, and the size its `size`. The file is written as `.partial` and renamed only
 * once it checks out, so a cut connection never leaves something that looks installable.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { PosError, type ErrorCode } from '../../shared/errors';
import { isSemver } from './semver';
import { parseYamlSubset, YamlSubsetError } from './update-yaml';

export type UpdateErrorCode = Extract<ErrorCode, 'UPDATE_FEED' | 'UPDATE_DOWNLOAD' | 'UPDATE_CHECKSUM' | 'UPDATE_INSTALL'>;

export class UpdateError extends PosError {
  declare readonly code: UpdateErrorCode;
  constructor(code: UpdateErrorCode, message: string) {
    super(code, message);
    this.name = 'UpdateError';
  }
}

/** The installer kinds electron-updater knows for this app's targets. */
export type InstallerKind = 'nsis' | 'appimage' | 'deb';

const EXTENSION: Record<InstallerKind, string> = { nsis: '.exe', appimage: '.AppImage', deb: '.deb' };

/** The feed file for a platform, as electron-updater names its default channel's file. */
export function feedFileName(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return 'latest-linux.yml';
}

const Sha512 = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 SHA-512 (88 characters)');
const Count = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

const UpdateFile = z.object({
  url: z.string().min(1).max(1000),
  sha512: Sha512,
  size: Count.optional(),
});

const RawUpdateInfo = z.object({
  version: z.string().refine(isSemver, 'a semantic version like 1.2.3'),
  files: z.array(UpdateFile).optional(),
  path: z.string().min(1).max(1000).optional(),
  sha512: Sha512.optional(),
  releaseDate: z.string().max(64).optional(),
  releaseName: z.string().max(200).optional(),
  stagingPercentage: z
    .string()
    .regex(/^\d{1,3}(\.\d+)?$/)
    .transform(Number)
    .refine((n) => n >= 0 && n <= 100, '0 to 100')
    .optional(),
});

export interface UpdateFileInfo {
  url: string;
  sha512: string;
  size: number | null;
}

export interface UpdateInfo {
  version: string;
  files: UpdateFileInfo[];
  releaseDate: string | null;
  stagingPercentage: number | null;
}

/** Parses a latest.yml; a feed that is not one is UPDATE_FEED with what was wrong. */
export function parseUpdateInfo(text: string): UpdateInfo {
  let document;
  try {
    document = parseYamlSubset(text);
  } catch (error) {
    if (error instanceof YamlSubsetError) throw new UpdateError('UPDATE_FEED', `The update feed is not readable YAML (${error.message})`);
    throw error;
  }
  const parsed = RawUpdateInfo.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpdateError(
      'UPDATE_FEED',
      `The update feed is not an electron-builder feed: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  const raw = parsed.data;
  // electron-updater 2.15+ reads `files`; older feeds carry only `path` and `sha512`.
  const files: UpdateFileInfo[] =
    raw.files && raw.files.length > 0
      ? raw.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size ?? null }))
      : raw.path !== undefined && raw.sha512 !== undefined
        ? [{ url: raw.path, sha512: raw.sha512, size: null }]
        : [];
  if (files.length === 0) throw new UpdateError('UPDATE_FEED', 'The update feed names no file');
  return { version: raw.version, files, releaseDate: raw.releaseDate ?? null, stagingPercentage: raw.stagingPercentage ?? null };
}

/** The installer for this machine: the first file with the kind's extension, as electron-updater picks it. */
export function pickFile(info: UpdateInfo, kind: InstallerKind): UpdateFileInfo {
  const found = info.files.find((f) => new URL(f.url, 'https://feed.invalid/').pathname.endsWith(EXTENSION[kind]));
  if (!found) throw new UpdateError('UPDATE_FEED', `The update feed has no ${EXTENSION[kind]} file for version ${info.version}`);
  return found;
}

/**
 * The feed's folder as a URL ending in `/` (electron-updater's newBaseUrl). HTTPS only, except
 * loopback, where a local mirror or a test serves plain HTTP; no credentials in the URL.
 */
export function feedBaseUrl(feedUrl: string): URL {
  let url: URL;
  try {
    url = new URL(feedUrl);
  } catch {
    throw new UpdateError('UPDATE_FEED', `The update feed address is not a URL: ${feedUrl.slice(0, 200)}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new UpdateError('UPDATE_FEED', 'The update feed must be an https:// address');
  if (url.username || url.password) throw new UpdateError('UPDATE_FEED', 'The update feed address must not carry a user name or password');
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The file's URL: relative to the feed's folder, and on the feed's origin (a feed cannot send the register elsewhere). */
export function fileUrl(base: URL, file: UpdateFileInfo): URL {
  const url = new URL(file.url, base);
  if (url.origin !== base.origin) throw new UpdateError('UPDATE_FEED', `The update feed names a file on another server (${url.origin})`);
  return url;
}

export interface FetchOptions {
  /** The whole request of the feed file, or the wait for the next bytes of a download. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Reads and parses the feed file; never hangs past `timeoutMs`. */
export async function fetchUpdateInfo(feedUrl: string, platform: NodeJS.Platform, options: FetchOptions = {}): Promise<UpdateInfo> {
  const base = feedBaseUrl(feedUrl);
  const url = new URL(feedFileName(platform), base);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'cache-control': 'no-cache' } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpdateError('UPDATE_FEED', `The update feed answered HTTP ${response.status} for ${url.pathname}`);
    }
    text = await response.text();
  } catch (error) {
    if (error instanceof UpdateError) throw error;
    throw new UpdateError('UPDATE_FEED', `The update feed did not answer (${describe(error, timeoutMs)})`);
  }
  return parseUpdateInfo(text);
}

function describe(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? 'network error';
}

export interface DownloadResult {
  file: string;
  bytes: number;
}

/** Largest installer accepted: far over an Electron app's ~150 MB, far under a full disk. */
const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;

/**
 * Downloads `file` into `folder`, verifying size and SHA-512 on the way; the bytes land under
 * their final name only when both match. A stall longer than `timeoutMs` between chunks aborts.
 */
export async function downloadUpdate(
  feedUrl: string,
  file: UpdateFileInfo,
  folder: string,
  options: FetchOptions & { onProgress?: (bytes: number, total: number | null) => void } = {},
): Promise<DownloadResult> {
  const url = fileUrl(feedBaseUrl(feedUrl), file);
  const name = basename(decodeURIComponent(url.pathname));
  if (!/^[\w.+-]{1,200}$/.test(name) || name.startsWith('.'))
    throw new UpdateError('UPDATE_FEED', `The update file's name is not acceptable: ${name.slice(0, 80)}`);
  await mkdir(folder, { recursive: true });
  const target = join(folder, name);
  const partial = `${target}.${process.pid}.partial`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error('stalled')), timeoutMs);
  };
  const hash = createHash('sha512');
  let bytes = 0;
  try {
    arm();
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, { signal: controller.signal });
    } catch (error) {
      throw new UpdateError('UPDATE_DOWNLOAD', `The update did not download (${describe(error, timeoutMs)})`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new UpdateError('UPDATE_DOWNLOAD', `The update server answered HTTP ${response.status} for ${name}`);
    }
    const out = createWriteStream(partial, { mode: 0o600 });
    const closed = new Promise<void>((resolve, reject) => {
      out.once('close', resolve);
      out.once('error', reject);
    });
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        arm();
        bytes += chunk.byteLength;
        if (bytes > MAX_DOWNLOAD_BYTES || (file.size !== null && bytes > file.size))
          throw new UpdateError('UPDATE_CHECKSUM', `The update file ${name} is larger than the feed says`);
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        options.onProgress?.(bytes, file.size);
      }
    } catch (error) {
      out.destroy();
      await closed.catch(() => undefined);
      if (error instanceof UpdateError) throw error;
      throw new UpdateError('UPDATE_DOWNLOAD', `The update download broke off after ${bytes} bytes (${describe(error, timeoutMs)})`);
    }
    out.end();
    await closed;
    if (file.size !== null && bytes !== file.size)
      throw new UpdateError('UPDATE_CHECKSUM', `The update file ${name} has ${bytes} bytes; the feed says ${file.size}`);
    const digest = hash.digest('base64');
    if (digest !== file.sha512)
      throw new UpdateError('UPDATE_CHECKSUM', `The update file ${name} does not match the feed's SHA-512: it was not kept`);
    await rename(partial, target);
    return { file: target, bytes };
  } finally {
    clearTimeout(timer);
    await rm(partial, { force: true });
  }
}
