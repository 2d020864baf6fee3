import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { decodeTspl, type TsplLabel } from '../labels/tspl';
import { decodeZpl, type ZplLabel } from '../labels/zpl';

/**
 * A network label printer on a real TCP socket (raw port 9100, as Zebra and TSC printers listen):
 * each connection is one job; it records the bytes and decodes them as ZPL or TSPL on request.
 * Used by tests and by the demo mode; `refuse` stops listening (printer off).
 */
export interface LabelPrinterEmulator {
  readonly uri: string;
  readonly port: number;
  /** Jobs whose connection has closed, in arrival order. */
  jobs(): Buffer[];
  waitForJobs(count: number): Promise<Buffer[]>;
  /** Every label of every closed job, decoded in the emulator's language. */
  zplLabels(): ZplLabel[];
  tsplLabels(): TsplLabel[];
  stop(): Promise<void>;
}

export async function startLabelPrinterEmulator(
  options: { readonly port?: number; readonly codeSystem?: 'big5hkscs' | 'gb18030' } = {},
): Promise<LabelPrinterEmulator> {
  const done: Buffer[] = [];
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: (jobs: Buffer[]) => void }[] = [];
  const notify = () => {
    for (const w of [...waiters])
      if (done.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve([...done]);
      }
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (chunks.length > 0) done.push(Buffer.concat(chunks));
      notify();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `tcp://127.0.0.1:${port}`,
    port,
    jobs: () => [...done],
    waitForJobs: (count) =>
      new Promise((resolve) => {
        waiters.push({ count, resolve });
        notify();
      }),
    zplLabels: () => done.flatMap((job) => decodeZpl(job)),
    tsplLabels: () => done.flatMap((job) => decodeTspl(job, options.codeSystem ?? 'big5hkscs')),
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
