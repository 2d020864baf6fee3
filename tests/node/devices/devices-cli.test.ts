import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPrinterEmulator, type PrinterEmulator } from '../../../drivers/emulators';
import { runNodeScript } from '../../support/serve-process';

const root = process.cwd();
let outdir = '';
let cli = '';
let emulator: PrinterEmulator | null = null;

beforeAll(async () => {
  // Built the way scripts/build-main.mjs builds dist/devices/cli.js, inside dist/ so node_modules resolve.
  outdir = mkdtempSync(join(root, 'dist', '.devices-cli-test-'));
  cli = join(outdir, 'cli.js');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/main/devices/devices-cli.ts'],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
afterEach(async () => {
  await emulator?.stop();
  emulator = null;
});

const runCli = (...args: string[]) => runNodeScript(cli, args);

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
    const badProfile = join(outdir, 'bad.json');
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
