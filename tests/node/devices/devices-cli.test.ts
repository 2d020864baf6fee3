import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrinterEmulator, type PrinterEmulator } from '../../../drivers/emulators';
import { runNodeScript } from '../../support/serve-process';
import { useBuiltCli } from '../helpers/built-cli';

const builtCli = useBuiltCli('src/main/devices/devices-cli.ts');
let emulator: PrinterEmulator | null = null;
afterEach(async () => {
  await emulator?.stop();
  emulator = null;
});

const runCli = (...args: string[]) => runNodeScript(builtCli(), args);

describe('npm run devices (the built CLI)', () => {
  it('prints the test page and opens the drawer on the emulator, exit 0', async () => {
    emulator = await startPrinterEmulator();
    const printed = await runCli('print-test', emulator.uri);
    expect(printed).toMatchObject({ code: 0, stdout: expect.stringContaining('printed the test page') });
    const page = emulator.printedJobs().find((j) => j.transcript.includes('打印測試'));
    expect(page?.transcript).toContain('嘢 峯');
    const drawer = await runCli('drawer', emulator.uri, '--profile', 'epson-tm-t20');
    expect(drawer.code).toBe(0);
    expect(emulator.printedJobs().filter((j) => j.transcript.includes('[drawer'))).toHaveLength(1);
    expect(await runCli('status', emulator.uri)).toMatchObject({ code: 0, stdout: expect.stringContaining('online') });
  });

  it('lists serial ports and HID devices', async () => {
    const listed = await runCli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Serial ports:');
    expect(listed.stdout).toContain('HID devices:');
  });

  it('exits 1 with a clear message when the device fails', async () => {
    emulator = await startPrinterEmulator({ behaviour: { mode: 'refuse' } });
    expect(await runCli('print-test', emulator.uri)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error DEVICE_FAILED: .*refused/),
    });
    expect(await runCli('drawer', emulator.uri)).toMatchObject({ code: 1, stderr: expect.stringContaining('DEVICE_FAILED') });
    expect(await runCli('print-test', 'lpt://printer')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/DEVICE_URI_INVALID.*unknown scheme "lpt"/),
    });
    expect(await runCli('print-test', 'tcp://127.0.0.1:9100', '--profile', 'no-such-model')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('PRINTER_PROFILE_INVALID'),
    });
    const badProfile = join(dirname(builtCli()), 'bad.json');
    writeFileSync(badProfile, '{"name": "x"}');
    expect(await runCli('drawer', 'tcp://127.0.0.1:9100', '--profile', badProfile)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/PRINTER_PROFILE_INVALID.*bad\.json/),
    });
    await emulator.setBehaviour({ mode: 'garbage-status' });
    expect(await runCli('status', emulator.uri)).toMatchObject({ code: 1, stderr: expect.stringContaining('PRINTER_STATUS_GARBLED') });
    expect(await runCli('print-test', emulator.uri)).toMatchObject({ code: 1, stderr: expect.stringContaining('PRINTER_STATUS_GARBLED') });
  });

  it('exits 2 on a usage mistake', async () => {
    expect(await runCli('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });
    expect(await runCli('drawer')).toMatchObject({ code: 2, stderr: expect.stringContaining('drawer takes <uri>') });
  });
});
