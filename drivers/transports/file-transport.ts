import { open, type FileHandle } from 'node:fs/promises';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  TransportClosedError,
  TransportOpenError,
  TransportTimeoutError,
  TransportWriteError,
  type Transport,
  type TransportClosed,
} from './transport';

/**
 * Opening can block too: a FIFO with no reader (a print server's pipe that stopped), a device node
 * whose driver waits for the printer. Node cannot cancel the open either: past `timeoutMs` the
 * caller is told (TRANSPORT_TIMEOUT, nothing sent), and the handle is closed if the open ever returns.
 */
function openWithin(path: string, uri: string, timeoutMs: number): Promise<FileHandle> {
  return new Promise<FileHandle>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new TransportTimeoutError('connect', false, `${uri}: the device did not open within ${timeoutMs} ms (nothing reads it?)`));
    }, timeoutMs);
    open(path, 'a').then(
      (handle) => {
        clearTimeout(timer);
        if (late) void handle.close().catch(() => undefined);
        else resolve(handle);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!late) reject(error as Error);
      },
    );
  });
}

/**
 * A file or device node opened for appending: a capture file for support (`file:///var/tmp/x.bin`)
 * or a printer device such as /dev/usb/lp0. Write-only: reading a usblp node blocks a libuv pool
 * thread until the printer answers, so status over USB is not offered.
 *
 * A write on a device node can hang (printer offline with a full buffer). Node cannot cancel a
 * pending fs write; on timeout we report it, stop accepting writes, and release the handle once
 * the stuck write returns.
 */
export async function openFileTransport(path: string, uri: string, openTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<Transport> {
  let handle: FileHandle;
  try {
    handle = await openWithin(path, uri, openTimeoutMs);
  } catch (cause) {
    if (cause instanceof TransportTimeoutError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EACCES'
          ? 'permission denied (for /dev/usb/lp*, add the user to the lp group)'
          : (cause as Error).message;
    throw new TransportOpenError(`${uri}: ${hint}`, code, { cause });
  }
  let handedOff = 0;
  let finished: TransportClosed | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  let resolveClosed!: (c: TransportClosed) => void;
  const closed = new Promise<TransportClosed>((r) => (resolveClosed = r));

  const finish = (info: TransportClosed): void => {
    if (finished !== null) return;
    finished = info;
    resolveClosed(info);
    // Waits for a stuck write before closing the descriptor (FileHandle.close would wait anyway).
    void inFlight.finally(() => handle.close().catch(() => undefined));
  };

  return {
    uri,
    closed,
    write(bytes, options = {}) {
      if (finished !== null) return Promise.reject(finished.error ?? new TransportClosedError(handedOff > 0, `${uri}: closed`));
      const timeoutMs = options.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
      handedOff += bytes.length;
      const write = handle.write(bytes).then(
        () => undefined,
        (cause: NodeJS.ErrnoException) => {
          const error = new TransportWriteError(true, `${uri}: ${cause.message}`, { cause });
          finish({ reason: 'error', error });
          throw error;
        },
      );
      inFlight = write.catch(() => undefined);
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const error = new TransportTimeoutError('write', true, `${uri}: device did not take the data within ${timeoutMs} ms`);
          finish({ reason: 'timeout', error });
          reject(error);
        }, timeoutMs);
        write.then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          (e: unknown) => {
            clearTimeout(timer);
            reject(e);
          },
        );
      });
    },
    close() {
      finish({ reason: 'local' });
      return closed.then(() => undefined);
    },
  };
}
