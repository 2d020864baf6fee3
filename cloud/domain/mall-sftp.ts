/**
 * The mall export's SFTP sender (ssh2): logs in with the store's password or private key (sealed
 * in the database with the server's key, cloud/domain/secrets.ts), only to a server showing the
 * pinned host key, and writes `<directory>/<file>.tmp` then renames it, so a mall's pick-up job
 * never reads half a file. Connecting and the whole transfer are bounded: a server that accepts
 * the connection and never answers fails the run (logged; the schedule tries again), it does not
 * hang the scheduler. Every failure is an SftpError with a stable code the console translates.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import type { MallSftpProbe, MallSftpSettings } from '../hq/contract';
import type { MallFile, MallFileSender, SftpTarget } from './mall-file';

export type { SftpTarget } from './mall-file';
import type { SecretBox } from './secrets';

export type SftpErrorCode =
  | 'SFTP_NOT_SET' // sender 'sftp' with no destination saved
  | 'SFTP_NO_SECRET' // no password or key stored
  | 'SFTP_HOST_KEY_NOT_PINNED' // nothing is sent to a server whose key is not pinned
  | 'SFTP_HOST_KEY_MISMATCH' // the server showed another key than the pinned one
  | 'SFTP_AUTH_FAILED' // the server refused the user name and password or key
  | 'SFTP_TIMEOUT' // no answer in time (connecting or transferring)
  | 'SFTP_CONNECT_FAILED' // no connection (refused, unknown host, reset)
  | 'SFTP_REMOTE_ERROR'; // the server refused a file operation (no such folder, no permission)

export class SftpError extends Error {
  constructor(
    readonly code: SftpErrorCode,
    message: string,
    /** the host key the server showed, when it got that far */
    readonly fingerprint: string | null = null,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SftpError';
  }
}

/** A password, or a private key with its optional passphrase: the JSON sealed in mall_export.sftp_secret. */
export type SftpSecret = { password: string } | { privateKey: string; passphrase?: string };

export interface SftpTimeouts {
  /** TCP connect, key exchange and login (ssh2's readyTimeout) */
  connectTimeoutMs: number;
  /** the whole run, connect included: whatever a server does, the sender answers by then */
  totalTimeoutMs: number;
}

export const DEFAULT_SFTP_TIMEOUTS: SftpTimeouts = { connectTimeoutMs: 20_000, totalTimeoutMs: 90_000 };

export interface MallSftpSender extends MallFileSender {
  readonly kind: 'sftp';
  seal(secret: SftpSecret): Buffer;
  /** Connects and checks the folder; with no pinned key, only reports the key shown (no login). */
  test(target: SftpTarget): Promise<MallSftpProbe>;
}

/** `SHA256:<base64 without =>` of the host key blob, as `ssh-keygen -lf` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function sftpDestination(settings: MallSftpSettings, fileName?: string): string {
  const dir = remoteDir(settings.directory);
  const path = fileName === undefined ? dir : dir === '.' ? fileName : posix.join(dir, fileName);
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `sftp://${settings.username}@${host}:${settings.port}/${path.replace(/^\//, '/')}`;
}

function remoteDir(directory: string): string {
  const d = directory.trim().replace(/\/+$/, '');
  return d === '' ? '.' : d;
}

function call<T>(run: (cb: (error: Error | null | undefined, value?: T) => void) => void, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => {
      if (error) reject(new SftpError('SFTP_REMOTE_ERROR', `${what}: ${error.message}`));
      else resolve(value as T);
    });
  });
}

/**
 * One session: connects (only to the pinned key; with `probeOnly` and no pin, records the key and
 * stops before logging in), runs `work` on the SFTP channel, always closes, and answers within
 * the total timeout whatever the server does.
 */
async function session<T>(
  target: SftpTarget,
  box: SecretBox,
  timeouts: SftpTimeouts,
  work: (sftp: SFTPWrapper) => Promise<T>,
  seen: { fingerprint: string | null },
): Promise<T> {
  const { settings } = target;
  if (settings.hostKeySha256 === null) throw new SftpError('SFTP_HOST_KEY_NOT_PINNED', 'pin the server’s host key first (Test connection)');
  if (!target.sealedSecret) throw new SftpError('SFTP_NO_SECRET', 'no password or private key is set');
  const secret = JSON.parse(box.open(target.sealedSecret)) as SftpSecret;
  const client = new Client();
  let mismatch = false;
  let settled = false;
  return new Promise<T>((resolve, reject) => {
    const finish = (error: unknown, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.on('error', () => undefined); // late errors from a socket being torn down
      client.end();
      client.destroy();
      if (error) reject(error);
      else resolve(value as T);
    };
    const timer = setTimeout(
      () =>
        finish(
          new SftpError(
            'SFTP_TIMEOUT',
            `no answer from ${settings.host}:${settings.port} within ${timeouts.totalTimeoutMs} ms`,
            seen.fingerprint,
          ),
        ),
      timeouts.totalTimeoutMs,
    );
    client.on('error', (error: Error & { level?: string }) => {
      if (mismatch)
        finish(
          new SftpError(
            'SFTP_HOST_KEY_MISMATCH',
            `the server showed host key ${seen.fingerprint}, not the pinned ${settings.hostKeySha256}: refused`,
            seen.fingerprint,
          ),
        );
      else if (error.level === 'client-authentication')
        finish(
          new SftpError(
            'SFTP_AUTH_FAILED',
            `${settings.username}@${settings.host} was refused: check the user name and password or key`,
            seen.fingerprint,
          ),
        );
      else if (error.level === 'client-timeout' || /timed out/i.test(error.message))
        finish(
          new SftpError(
            'SFTP_TIMEOUT',
            `no answer from ${settings.host}:${settings.port} within ${timeouts.connectTimeoutMs} ms`,
            seen.fingerprint,
          ),
        );
      else finish(new SftpError('SFTP_CONNECT_FAILED', `${settings.host}:${settings.port}: ${error.message}`, seen.fingerprint));
    });
    client.on('close', () =>
      finish(new SftpError('SFTP_CONNECT_FAILED', `${settings.host}:${settings.port} closed the connection`, seen.fingerprint)),
    );
    client.on('ready', () => {
      client.sftp((error, sftp) => {
        if (error) return finish(new SftpError('SFTP_REMOTE_ERROR', `no SFTP on ${settings.host}: ${error.message}`, seen.fingerprint));
        work(sftp).then(
          (value) => finish(null, value),
          (failure: unknown) => finish(failure),
        );
      });
    });
    const config: ConnectConfig = {
      host: settings.host,
      port: settings.port,
      username: settings.username,
      readyTimeout: timeouts.connectTimeoutMs,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        seen.fingerprint = hostKeyFingerprint(key);
        mismatch = seen.fingerprint !== settings.hostKeySha256;
        return !mismatch;
      },
      ...('password' in secret ? { password: secret.password } : { privateKey: secret.privateKey, passphrase: secret.passphrase }),
    };
    try {
      client.connect(config);
    } catch (error) {
      // ssh2 throws synchronously for a private key it cannot read
      finish(new SftpError('SFTP_AUTH_FAILED', `the private key cannot be used: ${(error as Error).message}`));
    }
  });
}

/** Only the host key: connects, records the key the server shows, and stops before logging in. */
function fingerprintOnly(settings: MallSftpSettings, timeouts: SftpTimeouts): Promise<string> {
  const client = new Client();
  return new Promise<string>((resolve, reject) => {
    let seen: string | null = null;
    let settled = false;
    const finish = (error: SftpError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.on('error', () => undefined);
      client.end();
      client.destroy();
      if (seen !== null) resolve(seen);
      else reject(error ?? new SftpError('SFTP_CONNECT_FAILED', `${settings.host}:${settings.port} showed no host key`));
    };
    const timer = setTimeout(
      () =>
        finish(new SftpError('SFTP_TIMEOUT', `no answer from ${settings.host}:${settings.port} within ${timeouts.connectTimeoutMs} ms`)),
      timeouts.connectTimeoutMs,
    );
    client.on('error', (error: Error & { level?: string }) =>
      finish(
        error.level === 'client-timeout'
          ? new SftpError('SFTP_TIMEOUT', `no answer from ${settings.host}:${settings.port} within ${timeouts.connectTimeoutMs} ms`)
          : new SftpError('SFTP_CONNECT_FAILED', `${settings.host}:${settings.port}: ${error.message}`),
      ),
    );
    client.on('close', () => finish(null));
    client.connect({
      host: settings.host,
      port: settings.port,
      username: settings.username,
      readyTimeout: timeouts.connectTimeoutMs,
      hostVerifier: (key: Buffer) => {
        seen = hostKeyFingerprint(key);
        queueMicrotask(() => finish(null));
        return false; // no credentials go to a server that is not pinned yet
      },
    });
  });
}

async function upload(sftp: SFTPWrapper, settings: MallSftpSettings, file: MallFile): Promise<string> {
  const dir = remoteDir(settings.directory);
  const target = dir === '.' ? file.fileName : posix.join(dir, file.fileName);
  const temporary = `${target}.tmp`;
  await call<void>((cb) => sftp.writeFile(temporary, file.content, cb), `writing ${temporary}`);
  // the OpenSSH rename replaces a file already there in one step; plain SFTP rename refuses to, so
  // without the extension an older file of the same name is removed first
  try {
    await call<void>((cb) => sftp.ext_openssh_rename(temporary, target, cb), `renaming ${temporary}`);
  } catch {
    try {
      await call<void>((cb) => sftp.rename(temporary, target, cb), `renaming ${temporary}`);
    } catch {
      await call<void>((cb) => sftp.unlink(target, cb), `replacing ${target}`).catch(() => undefined);
      await call<void>((cb) => sftp.rename(temporary, target, cb), `renaming ${temporary} to ${target}`);
    }
  }
  return target;
}

export function createSftpSender(box: SecretBox, timeouts: SftpTimeouts = DEFAULT_SFTP_TIMEOUTS): MallSftpSender {
  return {
    kind: 'sftp',
    seal: (secret) => box.seal(JSON.stringify(secret)),
    async send(file) {
      const target = file.sftp;
      if (!target) throw new SftpError('SFTP_NOT_SET', 'this store has no SFTP destination set');
      await session(target, box, timeouts, (sftp) => upload(sftp, target.settings, file), { fingerprint: null });
      return sftpDestination(target.settings, file.fileName);
    },
    async test(target) {
      const seen = { fingerprint: null as string | null };
      try {
        if (target.settings.hostKeySha256 === null) {
          const fingerprint = await fingerprintOnly(target.settings, timeouts);
          return {
            ok: false,
            fingerprint,
            code: 'SFTP_HOST_KEY_NOT_PINNED',
            message: `the server shows host key ${fingerprint}: pin it if it is the mall's (nothing was sent)`,
          };
        }
        await session(
          target,
          box,
          timeouts,
          async (sftp) => {
            const dir = remoteDir(target.settings.directory);
            const stats = await call<{ isDirectory(): boolean }>((cb) => sftp.stat(dir, cb), `the folder ${dir}`);
            if (!stats.isDirectory()) throw new SftpError('SFTP_REMOTE_ERROR', `${dir} is not a folder`);
          },
          seen,
        );
        return { ok: true, fingerprint: seen.fingerprint, code: null, message: null };
      } catch (error) {
        if (!(error instanceof SftpError)) throw error;
        return { ok: false, fingerprint: error.fingerprint ?? seen.fingerprint, code: error.code, message: error.message };
      }
    },
  };
}
