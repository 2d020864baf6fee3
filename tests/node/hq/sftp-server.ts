/**
 * A real SFTP server for tests (ssh2's Server on 127.0.0.1, a random port, a freshly generated host
 * key): password or public-key login for one user, files written under a temporary root. Enough
 * of SFTP for an upload: OPEN/WRITE/CLOSE, STAT, RENAME, REMOVE and REALPATH. A silent server
 * (accepts TCP, never says a word) is separate: `startSilentServer`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { join, normalize } from 'node:path';
import ssh2, { type Connection } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader (Playwright's) sees only some of its named exports
const { Server, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;

export interface TestSftpServer {
  port: number;
  /** SHA256:… of the server's host key, as ssh-keygen prints it */
  fingerprint: string;
  logins: { ok: number; refused: number };
  close(): Promise<void>;
}

/**
 * A new ed25519 host key and its fingerprint. ssh2 now and then writes a key its own parser refuses
 * ("Malformed OpenSSH private key": seen once in CI): such a key is made again, at most 5 times.
 */
export function hostKeyPair(): { private: string; fingerprint: string } {
  for (let attempt = 1; ; attempt += 1) {
    const pair = utils.generateKeyPairSync('ed25519');
    let parsed: ReturnType<typeof utils.parseKey>;
    try {
      parsed = utils.parseKey(pair.private);
    } catch (error) {
      parsed = error instanceof Error ? error : new Error(String(error));
    }
    if (parsed instanceof Error) {
      if (attempt < 5) continue;
      throw parsed;
    }
    const blob = (Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH();
    return { private: pair.private, fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}` };
  }
}

export async function startSftpServer(options: {
  root: string;
  username: string;
  password?: string;
  /** the client's public key (OpenSSH line) allowed to log in */
  publicKey?: string;
  hostKey?: { private: string; fingerprint: string };
}): Promise<TestSftpServer> {
  const hostKey = options.hostKey ?? hostKeyPair();
  const allowed = options.publicKey ? utils.parseKey(options.publicKey) : null;
  const logins = { ok: 0, refused: 0 };
  const clients = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const userOk = ctx.username === options.username;
      if (ctx.method === 'password' && userOk && options.password !== undefined) {
        const a = Buffer.from(ctx.password);
        const b = Buffer.from(options.password);
        if (a.length === b.length && timingSafeEqual(a, b)) {
          logins.ok += 1;
          return ctx.accept();
        }
      }
      if (ctx.method === 'publickey' && userOk && allowed && !(allowed instanceof Error)) {
        const key = Array.isArray(allowed) ? allowed[0] : allowed;
        if (ctx.key.algo === key.type && ctx.key.data.equals(key.getPublicSSH())) {
          if (!ctx.signature || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) {
            if (ctx.signature) logins.ok += 1;
            return ctx.accept();
          }
        }
      }
      if (ctx.method !== 'none') logins.refused += 1;
      ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          const handles = new Map<number, number>();
          let next = 0;
          const local = (path: string) => {
            const inside = normalize(join(options.root, path.startsWith('/') ? path : `/${path}`));
            if (!inside.startsWith(options.root)) throw new Error('outside the root');
            return inside;
          };
          const guard = (reqid: number, work: () => void) => {
            try {
              work();
            } catch {
              sftp.status(reqid, STATUS_CODE.FAILURE);
            }
          };
          sftp.on('OPEN', (reqid, filename) =>
            guard(reqid, () => {
              const fd = openSync(local(filename), 'w');
              const id = next++;
              handles.set(id, fd);
              const handle = Buffer.alloc(4);
              handle.writeUInt32BE(id, 0);
              sftp.handle(reqid, handle);
            }),
          );
          sftp.on('WRITE', (reqid, handle, offset, data) =>
            guard(reqid, () => {
              writeSync(handles.get(handle.readUInt32BE(0))!, data, 0, data.length, offset);
              sftp.status(reqid, STATUS_CODE.OK);
            }),
          );
          sftp.on('CLOSE', (reqid, handle) =>
            guard(reqid, () => {
              const id = handle.readUInt32BE(0);
              closeSync(handles.get(id)!);
              handles.delete(id);
              sftp.status(reqid, STATUS_CODE.OK);
            }),
          );
          const stat = (reqid: number, path: string) =>
            guard(reqid, () => {
              const target = local(path);
              if (!existsSync(target)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
              const s = statSync(target);
              sftp.attrs(reqid, {
                mode: s.mode,
                uid: 0,
                gid: 0,
                size: s.size,
                atime: Math.floor(s.atimeMs / 1000),
                mtime: Math.floor(s.mtimeMs / 1000),
              });
            });
          sftp.on('STAT', stat);
          sftp.on('LSTAT', stat);
          sftp.on('REALPATH', (reqid, path) =>
            sftp.name(reqid, [{ filename: normalize(`/${path}`), longname: normalize(`/${path}`), attrs: {} as never }]),
          );
          sftp.on('RENAME', (reqid, from, to) =>
            guard(reqid, () => {
              // plain SFTP (v3) semantics: refuse to replace a file that is there
              if (existsSync(local(to))) return sftp.status(reqid, STATUS_CODE.FAILURE);
              renameSync(local(from), local(to));
              sftp.status(reqid, STATUS_CODE.OK);
            }),
          );
          sftp.on('REMOVE', (reqid, path) =>
            guard(reqid, () => {
              unlinkSync(local(path));
              sftp.status(reqid, STATUS_CODE.OK);
            }),
          );
        });
      });
    });
  });
  mkdirSync(options.root, { recursive: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    fingerprint: hostKey.fingerprint,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}

/** Accepts TCP connections and never answers: the server a sender must not wait on forever. */
export async function startSilentServer(): Promise<{ port: number; accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: NetServer = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
