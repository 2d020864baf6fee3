import { spawn } from 'node:child_process';
import { openFileTransport } from './file-transport';
import {
  DEFAULT_WRITE_TIMEOUT_MS,
  TransportClosedError,
  TransportTimeoutError,
  TransportWriteError,
  UnsupportedTransportError,
  type Transport,
  type TransportClosed,
} from './transport';

export interface SpoolerOptions {
  /** The CUPS client command; tests point it at a stand-in script. Default 'lp'. */
  readonly command?: string;
  readonly platform?: NodeJS.Platform;
}

/**
 * The operating system's print queue, with the job passed through untouched (raw).
 *
 * Linux and macOS (CUPS): each write() is one job, `lp -d NAME -o raw` with the bytes on stdin;
 * it resolves when lp has queued the job and rejects with lp's own message otherwise. Queued is
 * as far as a spooler lets us see: status (DLE EOT) needs tcp://, serial:// or usb://.
 *
 * Windows: the printer is shared under NAME and we write to \\localhost\NAME. Writing to a shared
 * printer spools the bytes with the RAW datatype, like `copy /b job.bin \\localhost\NAME`, with no
 * native module (the alternative, winspool's OpenPrinter/StartDocPrinter("RAW")/WritePrinter,
 * needs FFI). IT shares the printer once ("Share this printer" in its properties).
 */
export function openSpoolerTransport(name: string, uri: string, options: SpoolerOptions = {}): Promise<Transport> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') return openFileTransport(windowsSharePath(name), uri);
  return Promise.resolve(createLpTransport(name, uri, options.command ?? 'lp'));
}

/** The UNC path a shared Windows printer is written to. */
export function windowsSharePath(name: string): string {
  return `\\\\localhost\\${name}`;
}

function createLpTransport(name: string, uri: string, command: string): Transport {
  let finished: TransportClosed | null = null;
  let resolveClosed!: (c: TransportClosed) => void;
  const closed = new Promise<TransportClosed>((r) => (resolveClosed = r));
  const running = new Set<ReturnType<typeof spawn>>();

  return {
    uri,
    closed,
    write(bytes, options = {}) {
      if (finished !== null) return Promise.reject(new TransportClosedError(false, `${uri}: closed`));
      const timeoutMs = options.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
      return new Promise<void>((resolve, reject) => {
        const child = spawn(command, ['-d', name, '-o', 'raw'], { stdio: ['pipe', 'ignore', 'pipe'] });
        running.add(child);
        let stderr = '';
        let settled = false;
        const settle = (error?: Error): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          running.delete(child);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          // lp may have queued the job before it hung: it may print.
          settle(new TransportTimeoutError('write', true, `${uri}: ${command} did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
        child.on('error', (e: NodeJS.ErrnoException) => {
          settle(
            e.code === 'ENOENT'
              ? new UnsupportedTransportError(
                  `${uri}: "${command}" not found; install the CUPS client (apt install cups-client) or use tcp:// or usb://`,
                  { cause: e },
                )
              : new TransportWriteError(false, `${uri}: cannot run ${command}: ${e.message}`, { cause: e }),
          );
        });
        child.on('close', (code) => {
          if (code === 0) settle();
          else settle(new TransportWriteError(false, `${uri}: ${command} exited with ${code}: ${stderr.trim() || 'no message'}`));
        });
        // EPIPE when lp exits early is reported by the exit status above.
        child.stdin.on('error', () => undefined);
        child.stdin.end(Buffer.from(bytes));
      });
    },
    close() {
      if (finished === null) {
        finished = { reason: 'local' };
        for (const child of running) child.kill('SIGKILL');
        resolveClosed(finished);
      }
      return closed.then(() => undefined);
    },
  };
}
