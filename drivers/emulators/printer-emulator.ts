import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { decodeEscPos, type DecodeOptions } from '../escpos/decoder';

/**
 * A network receipt printer on a real TCP socket, for tests and the demo mode. Each connection
 * is one job: it captures the bytes, answers DLE EOT status requests from a configurable state
 * the way an Epson TM does (wherever they appear in the stream), and decodes the job to a text
 * transcript.
 *
 * Misbehaviours, switchable at run time:
 *   refuse          stop listening: connections get ECONNREFUSED (printer off or busy)
 *   hang            accept, never read, never answer: writes pile up and time out
 *   drop            reset the connection after `afterBytes` bytes (cable pulled mid-job)
 *   garbage-status  answer status requests with bytes that are not ESC/POS status
 */
export type EmulatorBehaviour =
  | { readonly mode: 'normal' }
  | { readonly mode: 'refuse' }
  | { readonly mode: 'hang' }
  | { readonly mode: 'drop'; readonly afterBytes: number }
  | { readonly mode: 'garbage-status' };

export interface EmulatedState {
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paperNearEnd: boolean;
  readonly paperOut: boolean;
  readonly drawerPin3High: boolean;
  readonly error: boolean;
}

export interface EmulatedJob {
  readonly id: number;
  readonly bytes: Buffer;
  readonly transcript: string;
  /** The n of each DLE EOT n received. */
  readonly statusRequests: readonly number[];
  /** True when the job holds more than status requests (something to print or do). */
  readonly printed: boolean;
  readonly state: 'open' | 'closed' | 'dropped';
}

export interface PrinterEmulator {
  readonly host: string;
  readonly port: number;
  /** tcp://127.0.0.1:PORT */
  readonly uri: string;
  jobs(): EmulatedJob[];
  /** Jobs that carried printable data, in arrival order. */
  printedJobs(): EmulatedJob[];
  /** Resolves when at least `count` connections have ended (closed or dropped). */
  waitForClosedJobs(count: number): Promise<EmulatedJob[]>;
  setState(state: Partial<EmulatedState>): void;
  setBehaviour(behaviour: EmulatorBehaviour): Promise<void>;
  /** Connections currently open (a hung printer holds them). */
  openConnections(): number;
  stop(): Promise<void>;
}

export interface PrinterEmulatorOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly state?: Partial<EmulatedState>;
  readonly behaviour?: EmulatorBehaviour;
  /** How to decode Chinese in transcripts; default Big5-HKSCS in FS & mode. */
  readonly decode?: DecodeOptions;
}

const HEALTHY: EmulatedState = {
  online: true,
  coverOpen: false,
  paperNearEnd: false,
  paperOut: false,
  drawerPin3High: false,
  error: false,
};

/** The four reply bytes (DLE EOT 1..4) an Epson TM sends for a state; see drivers/status/printer-status.ts for the bits. */
export function statusBytesFor(s: EmulatedState): [number, number, number, number] {
  const offline = !s.online || s.coverOpen || s.paperOut || s.error;
  return [
    0x12 | (s.drawerPin3High ? 0x04 : 0) | (offline ? 0x08 : 0),
    0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0),
    0x12 | (s.error ? 0x20 : 0),
    0x12 | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0),
  ];
}

interface Connection {
  readonly id: number;
  readonly socket: Socket;
  chunks: Buffer[];
  received: number;
  scanFrom: number;
  statusRequests: number[];
  state: EmulatedJob['state'];
}

export async function startPrinterEmulator(options: PrinterEmulatorOptions = {}): Promise<PrinterEmulator> {
  const host = options.host ?? '127.0.0.1';
  const decode = options.decode ?? { codeSystem: 'big5hkscs', chineseMode: 'fs-ampersand' };
  let state: EmulatedState = { ...HEALTHY, ...options.state };
  let behaviour: EmulatorBehaviour = options.behaviour ?? { mode: 'normal' };
  const connections: Connection[] = [];
  const waiters: Array<{ count: number; resolve: (jobs: EmulatedJob[]) => void }> = [];
  let nextId = 1;
  let server: Server | null = null;
  let port = options.port ?? 0;

  const toJob = (c: Connection): EmulatedJob => {
    const bytes = Buffer.concat(c.chunks);
    return {
      id: c.id,
      bytes,
      transcript: decodeEscPos(bytes, decode),
      statusRequests: [...c.statusRequests],
      printed: bytes.length > c.statusRequests.length * 3,
      state: c.state,
    };
  };
  const jobs = (): EmulatedJob[] => connections.map(toJob);
  const closedCount = (): number => connections.filter((c) => c.state !== 'open').length;
  const notify = (): void => {
    for (const w of [...waiters]) {
      if (closedCount() >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(jobs());
      }
    }
  };

  const onConnection = (socket: Socket): void => {
    const c: Connection = { id: nextId++, socket, chunks: [], received: 0, scanFrom: 0, statusRequests: [], state: 'open' };
    connections.push(c);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (c.state === 'open') c.state = 'closed';
      notify();
    });
    if (behaviour.mode === 'hang') {
      // Never read: the kernel buffers fill and the client's writes stop completing.
      socket.pause();
      return;
    }
    socket.on('data', (chunk: Buffer) => onData(c, chunk));
  };

  const onData = (c: Connection, chunk: Buffer): void => {
    if (c.state !== 'open') return;
    if (behaviour.mode === 'drop' && c.received + chunk.length >= behaviour.afterBytes) {
      c.chunks.push(chunk.subarray(0, behaviour.afterBytes - c.received));
      c.received = behaviour.afterBytes;
      c.state = 'dropped';
      c.socket.resetAndDestroy();
      return;
    }
    c.chunks.push(chunk);
    c.received += chunk.length;
    answerStatusRequests(c);
  };

  const answerStatusRequests = (c: Connection): void => {
    const all = Buffer.concat(c.chunks);
    let i = c.scanFrom;
    for (; i + 2 < all.length; i++) {
      if (all[i] === 0x10 && all[i + 1] === 0x04 && all[i + 2]! >= 1 && all[i + 2]! <= 4) {
        const n = all[i + 2]!;
        c.statusRequests.push(n);
        const reply = behaviour.mode === 'garbage-status' ? [0xff, 0x00] : [statusBytesFor(state)[n - 1]!];
        c.socket.write(Buffer.from(reply));
        i += 2;
      }
    }
    c.scanFrom = i;
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer(onConnection);
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });

  /**
   * Closes the listening socket at once, so new connections are refused. (`server.close`'s
   * callback would wait for open connections to end, which a hung one never does.)
   */
  const stopListening = (): Server | null => {
    const s = server;
    server = null;
    s?.close();
    return s;
  };

  // Listen even when starting in 'refuse' mode: it reserves the port, so the URI stays the same
  // when the printer "comes back".
  await listen();
  if (behaviour.mode === 'refuse') stopListening();

  return {
    host,
    get port() {
      return port;
    },
    get uri() {
      return `tcp://${host}:${port}`;
    },
    jobs,
    printedJobs: () => jobs().filter((j) => j.printed),
    waitForClosedJobs(count) {
      return new Promise((resolve) => {
        waiters.push({ count, resolve });
        notify();
      });
    },
    setState(s) {
      state = { ...state, ...s };
    },
    async setBehaviour(b) {
      behaviour = b;
      if (b.mode === 'refuse') stopListening();
      else if (server === null) await listen();
    },
    openConnections: () => connections.filter((c) => c.state === 'open').length,
    async stop() {
      const s = stopListening();
      const closing = s === null ? Promise.resolve() : new Promise<void>((resolve) => s.once('close', () => resolve()));
      for (const c of connections) c.socket.destroy();
      await closing;
    },
  };
}
