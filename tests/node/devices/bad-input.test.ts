import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { HardwareConfig } from '../../../src/shared/hardware-schemas';
import type { RegisterStatus } from '../../../src/shared/schemas';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { call, login, MILK_TEA, receiptJobs, sell, until, usePrinterRigs } from './device-test-kit';

const printers = usePrinterRigs();

/** A port nothing listens on: bind, note the port, close. */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('bad hardware input is a typed error and checkout goes on', () => {
  it('refuses an unknown URI scheme and a profile that does not parse, and saves nothing', async () => {
    const { emulator, register, dataDir } = await printers.start({ staff: DEMO_MANAGER });
    const scheme = await register.dispatch('hardware:set-printer', { printer: { uri: 'lpt://printer', profile: 'epson-tm-t88' } });
    expect(scheme).toMatchObject({ ok: false, error: { code: 'DEVICE_URI_INVALID', message: expect.stringContaining('tcp') } });
    const unknown = await register.dispatch('hardware:set-printer', { printer: { uri: emulator.uri, profile: 'no-such-printer' } });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'PRINTER_PROFILE_INVALID', message: expect.stringContaining('epson-tm-t88') },
    });
    const file = join(dataDir, 'broken-profile.json');
    writeFileSync(file, JSON.stringify({ name: 'broken', description: 'x', paper: { widthMm: 80, columns: 42, dots: 512 } }));
    const broken = await register.dispatch('hardware:set-printer', { printer: { uri: emulator.uri, profile: file } });
    expect(broken).toMatchObject({
      ok: false,
      error: { code: 'PRINTER_PROFILE_INVALID', message: expect.stringContaining('broken-profile.json') },
    });
    const notJson = join(dataDir, 'not-json.json');
    writeFileSync(notJson, '{ nope');
    expect(await register.dispatch('hardware:test-print', { uri: emulator.uri, profile: notJson })).toMatchObject({
      ok: false,
      error: { code: 'PRINTER_PROFILE_INVALID' },
    });
    expect((await call<HardwareConfig>(register)('hardware:config', {})).printer).toEqual({ uri: emulator.uri, profile: 'epson-tm-t88' });

    const receipt = await sell(register, [MILK_TEA], 'card');
    await until('the receipt', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
  });

  it('a saved profile file that breaks shows as an error; sales still queue their receipts, which print once IT fixes it', async () => {
    const dataDir = printers.tempDir();
    const file = join(dataDir, 'shop-printer.json');
    writeFileSync(file, readFileSync('drivers/escpos/profiles/epson-tm-t88.json', 'utf8').replace('"epson-tm-t88"', '"shop-printer"'));
    const { emulator, register: first } = await printers.start({ dataDir, hardware: { printerProfile: file }, staff: null });
    printers.close(first);
    writeFileSync(file, '{ "name": "shop-printer", ');
    const register = await printers.reopen(dataDir, {});
    await login(register, DEMO_MANAGER);
    const config = await call<HardwareConfig>(register)('hardware:config', {});
    expect(config.problem).toMatch(/shop-printer\.json/);
    expect((await call<RegisterStatus>(register)('register:status', {})).printer).toMatchObject({
      state: 'error',
      message: expect.stringContaining('shop-printer.json'),
    });
    const receipt = await sell(register, [MILK_TEA], 'card');
    expect((await call<RegisterStatus>(register)('register:status', {})).printer.queued).toBe(1);
    await call(register)('hardware:set-printer', { printer: { uri: emulator.uri, profile: 'epson-tm-t88' } });
    await until('the receipt', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
  });

  it('reports a printer that does not exist on the hardware screen, while sales still complete and wait to print', async () => {
    const uri = `tcp://127.0.0.1:${await deadPort()}`;
    const register = await printers.open(printers.tempDir(), { printer: uri });
    await login(register, DEMO_MANAGER);
    expect(await register.dispatch('hardware:test-print', {})).toMatchObject({
      ok: false,
      error: { code: 'DEVICE_FAILED', message: expect.stringMatching(/ECONNREFUSED|refused/i) },
    });
    expect(await register.dispatch('hardware:open-drawer', {})).toMatchObject({ ok: false, error: { code: 'DEVICE_FAILED' } });
    expect(await register.dispatch('hardware:status', {})).toMatchObject({ ok: false, error: { code: 'DEVICE_FAILED' } });
    const receipt = await sell(register, [MILK_TEA], 'cash');
    expect(receipt.receiptNo).toBe('MK01-01-000001');
    await until('offline', async () => (await call<RegisterStatus>(register)('register:status', {})).printer.state === 'offline');
    expect((await call<RegisterStatus>(register)('register:status', {})).printer).toMatchObject({
      queued: 1,
      message: expect.stringMatching(/refused/i),
    });
  });

  it('names a printer that answers garbage to status', async () => {
    const { register } = await printers.start({ emulator: { behaviour: { mode: 'garbage-status' } }, staff: DEMO_MANAGER });
    expect(await register.dispatch('hardware:status', {})).toMatchObject({ ok: false, error: { code: 'PRINTER_STATUS_GARBLED' } });
    expect(await register.dispatch('hardware:test-print', {})).toMatchObject({ ok: false, error: { code: 'PRINTER_STATUS_GARBLED' } });
    const receipt = await sell(register, [MILK_TEA], 'card');
    expect(receipt.total).toBe(1800);
    await until('shown as an error', async () => (await call<RegisterStatus>(register)('register:status', {})).printer.state === 'error');
  });

  it('keeps the hardware screen to those allowed to set it up', async () => {
    const { register } = await printers.start();
    expect(await register.dispatch('hardware:set-printer', { printer: null })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await register.dispatch('hardware:test-print', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('prints the test page and reports live status for a healthy printer', async () => {
    const { emulator, register } = await printers.start({ emulator: { state: { paperNearEnd: true } }, staff: DEMO_MANAGER });
    expect(await call(register)('hardware:status', {})).toMatchObject({
      online: true,
      paperNearEnd: true,
      paperOut: false,
      coverOpen: false,
      drawerOpen: false,
    });
    expect(await call(register)('hardware:test-print', {})).toEqual({ uri: emulator.uri, confirmed: true });
    const page = emulator.printedJobs().find((j) => j.transcript.includes('打印測試'))!;
    expect(page.transcript).toContain('嘢 峯');
    expect(page.transcript).toContain('HK$27.00');
    expect(page.transcript).toMatch(/\[qr "https:\/\/suanpan.hk\/test/);
    expect(await call(register)('hardware:open-drawer', {})).toEqual({ uri: emulator.uri });
    expect(emulator.printedJobs().filter((j) => j.transcript.includes('[drawer'))).toHaveLength(1);
  });
});
