import type { SerialPort } from 'serialport';
import { loadSerialPort } from './serialport-module';
import {
  createReceiveBuffer,
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

export interface SerialSettings {
  readonly path: string;
  readonly baudRate: number;
  readonly dataBits: 7 | 8;
  readonly parity: 'none' | 'even' | 'odd';
  readonly stopBits: 1 | 2;
  readonly flow: 'none' | 'rtscts' | 'xonxoff';
}

/**
 * A serial port (RS-232, or a USB virtual COM port) through the serialport package.
 *
 * The port is always reading: besides feeding `read`, that is what notices an unplugged USB
 * adapter (the poller sees the hang-up and the port closes), so a pole display learns it is gone
 * before its next write. A write resolves after `drain`, when the OS has sent the bytes.
 */
export async function openSerialTransport(settings: SerialSettings, uri: string): Promise<Transport> {
  const Port = await loadSerialPort();
  const port = new Port({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    parity: settings.parity,
    stopBits: settings.stopBits,
    rtscts: settings.flow === 'rtscts',
    xon: settings.flow === 'xonxoff',
    xoff: settings.flow === 'xonxoff',
    autoOpen: false,
  });
  return new Promise<Transport>((resolve, reject) => {
    port.open((e) => {
      if (e) {
        const code = (e as NodeJS.ErrnoException).code ?? /\b(E[A-Z]+)\b/.exec(e.message)?.[1];
        const hint =
          code === 'ENOENT' || /No such file/.test(e.message)
            ? 'no such serial port (unplugged, or wrong name?)'
            : code === 'EACCES'
              ? 'permission denied (add the user to the dialout group)'
              : e.message;
        reject(new TransportOpenError(`${uri}: ${hint}`, code, { cause: e }));
        return;
      }
      resolve(wrapPort(port, uri, settings.baudRate));
    });
  });
}

function wrapPort(port: SerialPort, uri: string, baudRate: number): Transport {
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
    if (port.isOpen) port.close(() => undefined);
    const error = info.error ?? new TransportClosedError(handedOff > 0, `${uri}: port closed`);
    received.fail(error);
    for (const fail of pendingWrites) fail(error);
    pendingWrites.clear();
    resolveClosed(info);
  };

  port.on('data', (chunk: Buffer) => received.push(chunk));
  // serialport emits 'error' for failed writes and 'close' (possibly twice, the second time with
  // `disconnected`) when the device goes away; `finish` makes the first one count.
  port.on('error', (e: Error) =>
    finish({ reason: 'error', error: new TransportClosedError(handedOff > 0, `${uri}: ${e.message}`, { cause: e }) }),
  );
  port.on('close', (e?: Error & { disconnected?: boolean }) => {
    if (closing && e === undefined) finish({ reason: 'local' });
    else
      finish({
        reason: 'remote',
        error: new TransportClosedError(handedOff > 0, `${uri}: ${e?.disconnected ? 'device disconnected' : 'port closed'}`, { cause: e }),
      });
  });

  return {
    uri,
    closed,
    write(bytes, options = {}) {
      if (finished !== null) return Promise.reject(finished.error ?? new TransportClosedError(handedOff > 0, `${uri}: port is closed`));
      // A raster receipt at 9600 baud (10 bits a byte on the wire) takes about a minute: no
      // timeout shorter than twice the wire time can be meant.
      const wireMs = Math.ceil((bytes.length * 10 * 1000) / baudRate);
      const timeoutMs = Math.max(options.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS, 2 * wireMs + 1000);
      handedOff += bytes.length;
      return guardedWrite(
        pendingWrites,
        timeoutMs,
        () =>
          new TransportTimeoutError('write', true, `${uri}: device did not take the data within ${timeoutMs} ms (flow control holding?)`),
        (error) => finish({ reason: 'timeout', error }),
        (settle) =>
          port.write(Buffer.from(bytes), (e) => {
            if (e) return settle(new TransportWriteError(true, `${uri}: ${e.message}`, { cause: e }));
            port.drain((d) => settle(d ? new TransportWriteError(true, `${uri}: ${d.message}`, { cause: d }) : undefined));
          }),
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
        if (port.isOpen) port.close((e) => (e ? finish({ reason: 'local' }) : undefined));
        else finish({ reason: 'local' });
      }
      return closed.then(() => undefined);
    },
  };
}
