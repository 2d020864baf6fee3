import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrinterEmulator, type PrinterEmulator } from '../../../drivers/emulators/printer-emulator';
import { drawerKickBytes, encodeReceipt } from '../../../drivers/escpos/encoder';
import { getProfile } from '../../../drivers/escpos/profile';
import { kickDrawer, printJob, readPrinterStatus } from '../../../drivers/printer/print-job';
import { queryPrinterStatus } from '../../../drivers/status/printer-status';
import { openTransport } from '../../../drivers/transports/open-transport';
import { TransportOpenError, TransportTimeoutError, type Transport } from '../../../drivers/transports/transport';

const profile = getProfile('epson-tm-t88');
const receipt = encodeReceipt(
  { blocks: [{ type: 'text', text: '港式奶茶 ×2' }, { type: 'pair', left: '總計 TOTAL', right: 'HK$36.00' }, { type: 'cut' }] },
  { profile },
);
const emulators: PrinterEmulator[] = [];
const start = async (...args: Parameters<typeof startPrinterEmulator>): Promise<PrinterEmulator> => {
  const e = await startPrinterEmulator(...args);
  emulators.push(e);
  return e;
};
const tcpSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

describe('printing to a network printer (TCP emulator)', () => {
  it('prints a job, confirmed by a status reply after it, and the emulator decodes the receipt', async () => {
    const printer = await start();
    const result = await printJob({ uri: printer.uri, profile, bytes: receipt });
    expect(result).toMatchObject({
      kind: 'printed',
      confirmed: true,
      status: { kind: 'status', status: { online: true, paperOut: false } },
    });
    const [job] = await printer.waitForClosedJobs(1);
    expect(job!.statusRequests).toEqual([1, 2, 3, 4, 1]);
    expect(job!.transcript).toContain('港式奶茶 ×2');
    expect(job!.transcript).toContain('總計 TOTAL                        HK$36.00');
    expect(job!.transcript).toContain('[cut partial]');
  });

  it('kicks the drawer with the real-time pulse and the profile timing', async () => {
    const printer = await start();
    expect(await kickDrawer({ uri: printer.uri, profile })).toEqual({ kind: 'sent' });
    const [job] = await printer.waitForClosedJobs(1);
    expect(job!.bytes).toEqual(Buffer.from(drawerKickBytes(profile)));
    expect(job!.transcript).toBe('[drawer-realtime pin2 on=100ms off=100ms]');
  });

  it('a refused connection fails before sending anything, and the job prints once the printer is back', async () => {
    const printer = await start({ behaviour: { mode: 'refuse' } });
    const refused = await printJob({ uri: printer.uri, profile, bytes: receipt });
    expect(refused).toMatchObject({
      kind: 'failed',
      mayHavePrinted: false,
      error: { code: 'TRANSPORT_OPEN_FAILED', osCode: 'ECONNREFUSED' },
    });
    expect((refused as { error: Error }).error).toBeInstanceOf(TransportOpenError);
    await printer.setBehaviour({ mode: 'normal' });
    expect(await printJob({ uri: printer.uri, profile, bytes: receipt })).toMatchObject({ kind: 'printed', confirmed: true });
    await printer.waitForClosedJobs(1);
    expect(printer.printedJobs()).toHaveLength(1);
  });

  it('a hung printer (accepts, never reads) times out on status; nothing of the job was sent', async () => {
    const printer = await start({ behaviour: { mode: 'hang' } });
    const result = await printJob({ uri: printer.uri, profile, bytes: receipt, statusTimeoutMs: 200 });
    expect(result).toMatchObject({ kind: 'failed', mayHavePrinted: false, error: { code: 'TRANSPORT_TIMEOUT', phase: 'read' } });
    expect(printer.jobs()[0]!.bytes.length).toBe(0); // it never read a byte
  });

  it('a write the hung printer never takes times out, closes the socket exactly once and leaks nothing', async () => {
    const printer = await start({ behaviour: { mode: 'hang' } });
    const before = tcpSockets();
    const transport = await openTransport(printer.uri);
    const closedEvents: string[] = [];
    void transport.closed.then((c) => closedEvents.push(c.reason));
    // 32 MiB cannot fit in the loopback socket buffers of a peer that does not read.
    const error = await transport.write(new Uint8Array(32 * 1024 * 1024), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportTimeoutError);
    expect(error).toMatchObject({ phase: 'write', mayHavePrinted: true });
    await transport.close();
    await transport.close();
    await expect(transport.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'TRANSPORT_TIMEOUT' });
    expect(closedEvents).toEqual(['timeout']);
    // A hung printer does not read, so it never notices the close; stopping it frees its side.
    await printer.stop();
    await new Promise((r) => setImmediate(r));
    expect(tcpSockets()).toBe(before);
  });

  it('a connection dropped mid-job is a failure that may have printed', async () => {
    const printer = await start({ behaviour: { mode: 'drop', afterBytes: 40 } });
    const big = encodeReceipt(
      { blocks: Array.from({ length: 200 }, (_, k) => ({ type: 'text', text: `line ${k} 港式奶茶` }) as const) },
      { profile },
    );
    const result = await printJob({ uri: printer.uri, profile, bytes: big });
    expect(result).toMatchObject({ kind: 'failed', mayHavePrinted: true, error: { code: 'TRANSPORT_CLOSED' } });
    const [job] = await printer.waitForClosedJobs(1);
    expect(job!.state).toBe('dropped');
    expect(job!.bytes.length).toBe(40);
  });

  it('garbage status answers are a typed result, and the job still prints (unconfirmed)', async () => {
    const printer = await start({ behaviour: { mode: 'garbage-status' } });
    const transport = await openTransport(printer.uri);
    const status = await queryPrinterStatus(transport, { timeoutMs: 500 });
    await transport.close();
    expect(status).toMatchObject({ kind: 'garbled', code: 'PRINTER_STATUS_GARBLED', bytes: [0xff] });
    expect(await readPrinterStatus({ uri: printer.uri, profile, timeoutMs: 500 })).toMatchObject({ kind: 'garbled' });
    expect(await printJob({ uri: printer.uri, profile, bytes: receipt })).toMatchObject({
      kind: 'printed',
      confirmed: false,
      status: { kind: 'garbled' },
    });
    await printer.waitForClosedJobs(3);
    expect(printer.printedJobs()).toHaveLength(1);
  });

  it('cover open or paper out holds the job (nothing sent); it prints when the printer is ready', async () => {
    const printer = await start({ state: { coverOpen: true } });
    const held = await printJob({ uri: printer.uri, profile, bytes: receipt });
    expect(held).toMatchObject({ kind: 'not-ready', mayHavePrinted: false, status: { coverOpen: true, online: false } });
    printer.setState({ coverOpen: false, paperOut: true });
    expect(await printJob({ uri: printer.uri, profile, bytes: receipt })).toMatchObject({ kind: 'not-ready', status: { paperOut: true } });
    printer.setState({ paperOut: false, paperNearEnd: true, drawerPin3High: true });
    expect(await printJob({ uri: printer.uri, profile, bytes: receipt })).toMatchObject({
      kind: 'printed',
      status: { status: { paperNearEnd: true, drawerOpen: true } },
    });
    await printer.waitForClosedJobs(3);
    expect(printer.printedJobs()).toHaveLength(1);
  });

  it('a printer that never completes the handshake times out on connect', async () => {
    // A listener whose process is stopped: the kernel completes handshakes only until its accept
    // queue (backlog 1 → 2 connections) is full, then drops SYNs, so the next connect hangs.
    // Loopback only: tests never send traffic to other addresses.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      process.kill(child.pid!, 'SIGSTOP');
      const fillers: Transport[] = [];
      let error: unknown;
      for (let k = 0; k < 5 && error === undefined; k++) {
        await openTransport(`tcp://127.0.0.1:${port}`, { connectTimeoutMs: 300 }).then(
          (t) => fillers.push(t),
          (e: unknown) => (error = e),
        );
      }
      expect(error).toBeInstanceOf(TransportTimeoutError);
      expect(error).toMatchObject({ phase: 'connect', mayHavePrinted: false });
      child.kill('SIGKILL');
      await Promise.all(fillers.map((t) => t.close()));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
