/**
 * One backup is one file: a readable header (format line + manifest JSON line), then the payload,
 * gzip of [4-byte length][secrets JSON][register.db bytes]. With a backup key the payload is
 * AES-256-GCM encrypted (the manifest is the authenticated data, the 16-byte tag ends the file), so
 * a copy on a USB disk hands out neither the PIN pepper, the audit key, the cloud token nor the
 * customers; without one the file carries the database alone and stays in the register's folder.
 *
 * Everything streams (gzip on libuv's thread pool, AES in small chunks), so a backup of a large
 * database never holds the event loop for long.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
  scrypt as scryptCb,
  type ScryptOptions,
} from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { BackupError } from './backup-errors';

export const BACKUP_MAGIC = 'SUANPAN-BACKUP 1';
export const BACKUP_EXTENSION = '.spbak';
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_SECRETS_BYTES = 1024 * 1024;
/** scrypt cost for the backup passphrase: 2^15 × 8 × 128 B = 32 MiB, about 100 ms. */
export const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

export const BackupKind = z.enum(['scheduled', 'manual', 'pre-migration', 'pre-restore', 'pre-update']);
export type BackupKind = z.infer<typeof BackupKind>;

export const BackupManifest = z.strictObject({
  createdAt: z.number().int(),
  kind: BackupKind,
  appVersion: z.string().max(64),
  schemaVersion: z.number().int().min(0),
  storeCode: z.string().max(16).nullable(),
  registerCode: z.string().max(8).nullable(),
  lastReceiptNo: z.string().max(64).nullable(),
  receiptSeq: z.number().int().min(0),
  outboxSeq: z.number().int().min(0),
  outboxAckedSeq: z.number().int().min(0),
  unsynced: z.number().int().min(0),
  enrolled: z.boolean(),
  dbBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  secrets: z.array(z.string().max(64)).max(16),
  encryption: z
    .strictObject({
      cipher: z.literal('aes-256-gcm'),
      kdf: z.literal('scrypt'),
      salt: z.base64(),
      N: z.number().int(),
      r: z.number().int(),
      p: z.number().int(),
      iv: z.base64(),
      /** HMAC of a fixed text under the key: a wrong passphrase is told apart from a damaged file before decrypting. */
      keyCheck: z.base64(),
    })
    .nullable(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** The key scheduled backups encrypt with, derived once from IT's passphrase (kept in secrets/backup-key). */
export interface BackupKey {
  salt: Buffer;
  key: Buffer;
}

function scrypt(passphrase: string, salt: Buffer): Promise<Buffer> {
  const options: ScryptOptions = { ...KDF, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function deriveBackupKey(passphrase: string, salt: Buffer = randomBytes(16)): Promise<BackupKey> {
  return { salt, key: await scrypt(passphrase, salt) };
}

function keyCheck(key: Buffer): Buffer {
  return createHmac('sha256', key).update('suanpan backup key check').digest();
}

export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Writes the archive to `out` (which must not exist: the caller writes a `.partial` name and
 * renames it once verified) and fsyncs it.
 */
export async function writeArchive(options: {
  out: string;
  dbFile: string;
  secrets: Record<string, Buffer>;
  manifest: Omit<BackupManifest, 'encryption' | 'secrets' | 'dbBytes' | 'sha256'>;
  key: BackupKey | null;
}): Promise<BackupManifest> {
  const { sha256, bytes } = await hashFile(options.dbFile);
  const secrets = options.key ? options.secrets : {};
  const iv = randomBytes(12);
  const manifest: BackupManifest = {
    ...options.manifest,
    dbBytes: bytes,
    sha256,
    secrets: Object.keys(secrets).sort(),
    encryption: options.key
      ? {
          cipher: 'aes-256-gcm',
          kdf: 'scrypt',
          salt: options.key.salt.toString('base64'),
          ...KDF,
          iv: iv.toString('base64'),
          keyCheck: keyCheck(options.key.key).toString('base64'),
        }
      : null,
  };
  const header = Buffer.from(`${BACKUP_MAGIC}\n${JSON.stringify(manifest)}\n`, 'utf8');
  const secretsJson = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.toString('base64')]))));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(secretsJson.length);

  const handle = await open(options.out, 'wx', 0o600);
  try {
    await handle.write(header);
    const sink = createWriteStream('', { fd: handle.fd, autoClose: false, start: header.length });
    const cipher = options.key ? createCipheriv('aes-256-gcm', options.key.key, iv).setAAD(header) : null;
    async function* frame() {
      yield length;
      yield secretsJson;
      yield* createReadStream(options.dbFile);
    }
    if (cipher) await pipeline(frame, createGzip({ level: 6 }), cipher, sink);
    else await pipeline(frame, createGzip({ level: 6 }), sink);
    if (cipher) {
      const { size } = await handle.stat();
      await handle.write(cipher.getAuthTag(), 0, TAG_BYTES, size);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return manifest;
}

/** The header of a backup file: its manifest, and where the payload starts. */
export async function readManifest(file: string): Promise<{ manifest: BackupManifest; payloadStart: number; size: number }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw new BackupError('BACKUP_INVALID', `The backup ${file} cannot be opened: ${String(cause)}`, { cause });
  }
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    await handle.read(buffer, 0, buffer.length, 0);
    const first = buffer.indexOf(0x0a);
    const second = first < 0 ? -1 : buffer.indexOf(0x0a, first + 1);
    if (first < 0 || second < 0 || buffer.subarray(0, first).toString('utf8') !== BACKUP_MAGIC)
      throw new BackupError('BACKUP_INVALID', `${file} is not a Suanpan backup`);
    let parsed;
    try {
      parsed = BackupManifest.safeParse(JSON.parse(buffer.subarray(first + 1, second).toString('utf8')));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) throw new BackupError('BACKUP_INVALID', `The header of ${file} is damaged or from a newer Suanpan`);
    return { manifest: parsed.data, payloadStart: second + 1, size };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a backup back: checks the tag (encrypted) and the database's SHA-256, writes the database
 * to `dbOut` when given (else only checks), and answers the secrets it carries.
 * `key`: the stored key (used when its salt matches) or a passphrase typed for this restore.
 */
export async function extractArchive(options: {
  file: string;
  dbOut: string | null;
  key?: BackupKey | null;
  passphrase?: string | null;
}): Promise<{ manifest: BackupManifest; secrets: Record<string, Buffer> }> {
  const { manifest, payloadStart, size } = await readManifest(options.file);
  let decipher = null;
  if (manifest.encryption) {
    const salt = Buffer.from(manifest.encryption.salt, 'base64');
    let key: Buffer;
    if (options.passphrase) key = (await deriveBackupKey(options.passphrase, salt)).key;
    else if (options.key && options.key.salt.equals(salt)) key = options.key.key;
    else throw new BackupError('BACKUP_PASSPHRASE', 'This backup is encrypted: type the backup passphrase IT set when it was made');
    const check = Buffer.from(manifest.encryption.keyCheck, 'base64');
    const expected = keyCheck(key);
    if (check.length !== expected.length || !timingSafeEqual(check, expected))
      throw new BackupError('BACKUP_PASSPHRASE', 'The backup passphrase is wrong');
    if (size < payloadStart + TAG_BYTES) throw new BackupError('BACKUP_INVALID', `${options.file} is cut short`);
    const tag = Buffer.alloc(TAG_BYTES);
    const handle = await open(options.file, 'r');
    try {
      await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
    } finally {
      await handle.close();
    }
    const header = Buffer.alloc(payloadStart);
    const headHandle = await open(options.file, 'r');
    try {
      await headHandle.read(header, 0, payloadStart, 0);
    } finally {
      await headHandle.close();
    }
    decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(manifest.encryption.iv, 'base64')).setAAD(header).setAuthTag(tag);
  }
  const end = (manifest.encryption ? size - TAG_BYTES : size) - 1;

  const hash = createHash('sha256');
  let dbBytes = 0;
  let pending = Buffer.alloc(0);
  let secretsLength: number | null = null;
  let secrets: Record<string, Buffer> | null = null;
  const dbSink = options.dbOut ? createWriteStream(options.dbOut, { flags: 'wx', mode: 0o600 }) : null;

  async function* unframe(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      let rest: Buffer = chunk;
      if (secrets === null) {
        pending = Buffer.concat([pending, chunk]);
        if (secretsLength === null && pending.length >= 4) {
          secretsLength = pending.readUInt32BE(0);
          if (secretsLength > MAX_SECRETS_BYTES) throw new BackupError('BACKUP_INVALID', `${options.file} is damaged`);
        }
        if (secretsLength === null || pending.length < 4 + secretsLength) continue;
        const parsed = z.record(z.string(), z.base64()).safeParse(JSON.parse(pending.subarray(4, 4 + secretsLength).toString('utf8')));
        if (!parsed.success) throw new BackupError('BACKUP_INVALID', `${options.file} is damaged`);
        secrets = Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
        rest = pending.subarray(4 + secretsLength);
        pending = Buffer.alloc(0);
      }
      hash.update(rest);
      dbBytes += rest.length;
      if (rest.length > 0) yield rest;
    }
  }
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const source = createReadStream(options.file, { start: payloadStart, end });
  try {
    if (decipher) await pipeline(source, decipher, createGunzip(), unframe, dbSink ?? discard);
    else await pipeline(source, createGunzip(), unframe, dbSink ?? discard);
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    // The key passed its check: a tag or gzip failure is a damaged or altered file.
    throw new BackupError('BACKUP_INVALID', `${options.file} is damaged, altered or cut short: ${String(cause)}`, { cause });
  }
  if (secrets === null || dbBytes !== manifest.dbBytes || hash.digest('hex') !== manifest.sha256)
    throw new BackupError('BACKUP_INVALID', `${options.file} does not match its own checksum: it is damaged`);
  return { manifest, secrets };
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
