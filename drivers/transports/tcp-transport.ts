import { connect, type Socket } from 'node:net';
import {
  createReceiveBuffer,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  TransportClosedError,
  TransportOpenError,
  TransportTimeoutError,
  TransportWriteError,
  type Transport,
  type TransportClosed,
  type TransportError,
} from './transport';
import { guardedWrite } from './guarded-write';

export interface TcpTransportOptions {
  readonly connectTimeoutMs?: number;
}

/**
 * A raw TCP connection to a network printer (port 9100, "JetDirect"/"RAW"). Reads carry the
 * printer's real-time status replies.
 *
 * Every way the connection can end (our close, the printer closing, an error, a timeout) goes
 * through one `finish`, which runs once: it destroys the socket, fails pending reads and
 * resolves `closed`. A write that times out destroys the socket, because we cannot know how much
 * of the job the printer has.
 */
export function openTcpTransport(host: string, port: number, options: TcpTransportOptions = {}): Promise<Transport> {
  const uri = `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  return new Promise<Transport>((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new TransportTimeoutError(
          'connect',
          false,
          `${uri}: no connection within ${connectTimeoutMs} ms (is the printer on and on this network?)`,
        ),
      );
    }, connectTimeoutMs);
    const onError = (error: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new TransportOpenError(`${uri}: ${describeConnectError(error)}`, error.code, { cause: error }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(wrapSocket(socket, uri));
    });
  });
}

function describeConnectError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (printer busy with another host, or wrong port)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable (check the address and the network cable)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    default:
      return error.message;
  }
}

function wrapSocket(socket: Socket, uri: string): Transport {
  const received = createReceiveBuffer();
  let handedOff = 0;
  let finished: TransportClosed | null = null;
  let closing = false;
  let resolveClosed!: (c: TransportClosed) => void;
  const closed = new Promise<TransportClosed>((r) => (resolveClosed = r));
  const pendingWrites = new Set<(e: TransportError) => void>();

  const finish = (info: TransportClosed): void => {
    if (finished !== null) return;
    finished = info;
    socket.destroy();
    const error = info.error ?? new TransportClosedError(handedOff > 0, `${uri}: connection closed`);
    received.fail(error);
    for (const fail of pendingWrites) fail(error);
    pendingWrites.clear();
    resolveClosed(info);
  };

  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', (e: NodeJS.ErrnoException) => {
    finish({
      reason: 'error',
      error: new TransportClosedError(handedOff > 0, `${uri}: ${e.code === 'ECONNRESET' ? 'connection reset by the printer' : e.message}`, {
        cause: e,
      }),
    });
  });
  socket.on('close', () =>
    finish(
      closing
        ? { reason: 'local' }
        : { reason: 'remote', error: new TransportClosedError(handedOff > 0, `${uri}: the printer closed the connection`) },
    ),
  );

  return {
    uri,
    closed,
    write(bytes, options = {}) {
      if (finished !== null)
        return Promise.reject(finished.error ?? new TransportClosedError(handedOff > 0, `${uri}: connection is closed`));
      const timeoutMs = options.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
      handedOff += bytes.length;
      return guardedWrite(
        pendingWrites,
        timeoutMs,
        () => new TransportTimeoutError('write', true, `${uri}: printer did not take the data within ${timeoutMs} ms`),
        (error) => finish({ reason: 'timeout', error }),
        // The callback fires once the bytes are in the kernel's send buffer (or with an error).
        (settle) => socket.write(bytes, (e) => settle(e ? new TransportWriteError(true, `${uri}: ${e.message}`, { cause: e }) : undefined)),
      );
    },
    read(length, timeoutMs) {
      return received.read(
        length,
        timeoutMs,
        () => new TransportTimeoutError('read', handedOff > 0, `${uri}: no reply within ${timeoutMs} ms`),
      );
    },
    discardInput() {
      received.discard();
    },
    close() {
      if (finished === null && !closing) {
        closing = true;
        // end() sends FIN after queued data; a printer that never reads would keep us waiting,
        // so give it a moment and then destroy.
        const grace = setTimeout(() => finish({ reason: 'local' }), 1000);
        socket.once('close', () => clearTimeout(grace));
        socket.end();
        void closed.then(() => clearTimeout(grace));
      }
      return closed.then(() => undefined);
    },
  };
}
