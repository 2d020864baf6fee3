/**
 * The diagnostics bundle (issue 17), from `npm run diagnostics` (built as scripts/build-main.mjs
 * builds it) and from the health panel's channel, after a busy day: a zip that `unzip` and Python
 * read, holding what support needs and no PIN, pepper, key, token, passphrase, phone or card number.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HealthReport } from '../../../src/shared/diagnostics-schemas';
import { loadMigrations } from '../../../src/main/db/migrate';
import { createRotatingLogger } from '../../../src/main/log-file';
import { logTail } from '../../../src/main/diagnostics/bundle';
import { runNodeScript } from '../../support/serve-process';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { unwrap, useDemoRegisters } from '../helpers/register-session';
import { useTempDirs } from '../helpers/temp-dir';
import { useBuiltCli } from '../helpers/built-cli';
import { SECRETS, driveBusyDay, secretForms } from './busy-day';

const root = process.cwd();
const builtCli = useBuiltCli('src/main/diagnostics/diagnostics-cli.ts');
const openRegister = useDemoRegisters();
const tempDir = useTempDirs();
const latestSchema = loadMigrations(join(root, 'migrations')).length;
const BUSY_SALES = 12;
/** A busy day hashes PINs and derives a backup key (scrypt): on a loaded machine it takes a while; a bound, not a budget. */
const BUSY = { timeout: 240_000 };

/** Every entry of the zip as text, read by Python's zipfile after `unzip -t` checked every CRC. */
function unpack(file: string): Record<string, string> {
  expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
  const script =
    'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Record<
    string,
    string
  >;
}

function expectNoSecrets(entries: Record<string, string>, zip: Buffer, forms: string[]): void {
  const everything = Object.values(entries).join('\n');
  const leaked = forms.filter((form) => everything.includes(form) || zip.includes(Buffer.from(form)));
  expect(leaked).toEqual([]);
  // PINs could hide inside longer digit runs only by chance; as words they must not appear at all.
  for (const pin of [SECRETS.cashierPin, SECRETS.managerPin, SECRETS.wrongPin])
    expect(everything).not.toMatch(new RegExp(`(?<!\\d)${pin}(?!\\d)`));
}

/** `legacyLine`: also a line as an older, careless version might have written it (the bundle redacts it again). */
async function busyRegister({ legacyLine = true } = {}) {
  const dataDir = tempDir();
  const session = await openRegister({ dataDir, config: { log: createRotatingLogger({ dir: join(dataDir, 'logs') }) } });
  await driveBusyDay(session, BUSY_SALES);
  if (legacyLine)
    appendFileSync(
      join(dataDir, 'logs', 'register.log'),
      `${JSON.stringify({ time: new Date().toISOString(), level: 'warn', message: `legacy line for ${SECRETS.memberPhone}`, pin: SECRETS.wrongPin, cloudToken: SECRETS.token })}\n`,
    );
  return session;
}

describe('diagnostics bundle', () => {
  it('npm run diagnostics bundles a running register: health, integrity, migrations, settings, the log tail, no secret', BUSY, async () => {
    const session = await busyRegister();
    const out = join(session.dataDir, 'support.zip');
    const run = await runNodeScript(builtCli(), ['--data-dir', session.dataDir, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ok: ${out}`);

    const zip = readFileSync(out);
    const entries = unpack(out);
    expect(Object.keys(entries).sort()).toEqual(
      [
        'README.txt',
        'health.json',
        'integrity.txt',
        'logs/register.log',
        'migrations.json',
        'queues.json',
        'secrets.txt',
        'settings.json',
      ].sort(),
    );
    const health = HealthReport.parse(JSON.parse(entries['health.json']!));
    expect(health.source).toBe('cli');
    expect(health.store).toEqual({ code: 'MK01', registerCode: '01' });
    expect(health.versions.schema).toBe(latestSchema);
    expect(health.versions.schemaLatest).toBe(latestSchema);
    expect(health.versions.node).toBe(process.versions.node);
    expect(health.versions.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(health.database.bytes).toBeGreaterThan(100_000);
    expect(health.disk.freeBytes).toBeGreaterThan(0);
    expect(health.sync).toMatchObject({ state: 'not-enrolled', pendingSales: BUSY_SALES, tokenStored: true });
    expect(health.backup.keySet).toBe(true);
    expect(entries['integrity.txt']).toBe('ok\n');
    const migrations = JSON.parse(entries['migrations.json']!) as { applied: number; latest: number; migrations: { applied: boolean }[] };
    expect(migrations.applied).toBe(latestSchema);
    expect(migrations.migrations.every((m) => m.applied)).toBe(true);
    const queues = JSON.parse(entries['queues.json']!) as { unsyncedOutboxByKind: { kind: string; rows: number }[] };
    expect(queues.unsyncedOutboxByKind).toContainEqual(expect.objectContaining({ kind: 'document.sale', rows: BUSY_SALES }));
    expect(JSON.parse(entries['settings.json']!)).toHaveProperty(['checkout.cashRoundingStep'], 10);
    expect(entries['secrets.txt']).toMatch(/pin-pepper\s+32 bytes\s+mode 600/);
    const logLines = entries['logs/register.log']!.trim().split('\n');
    expect(logLines.length).toBeLessThanOrEqual(1_000);
    // the register may log after it (its scheduled work), so the legacy line is found, not assumed last
    const legacy = logLines.find((line) => line.includes('legacy line for'));
    expect(legacy).toContain('legacy line for …24');
    expect(legacy).toContain('"pin":"[redacted]"');

    expectNoSecrets(entries, zip, secretForms(join(session.dataDir, 'secrets')));
  });

  it('the health panel makes the same bundle through diagnostics:bundle, for managers only', BUSY, async () => {
    const session = await busyRegister();
    const denied = await session.reg.dispatch('diagnostics:bundle', {});
    expect(denied.ok).toBe(false); // nobody logged in
    await session.as({ id: DEMO_CASHIER.id, pin: SECRETS.cashierPin });
    const cashier = await session.reg.dispatch('diagnostics:bundle', {});
    expect(cashier.ok ? null : cashier.error.code).toBe('FORBIDDEN');
    await session.call('staff:logout');
    await session.as({ id: 3, pin: SECRETS.managerPin });

    const bundle = unwrap<{ name: string; file: string; bytes: number; base64: string | null }>(
      await session.reg.dispatch('diagnostics:bundle', {}),
    );
    expect(bundle.name).toMatch(/^suanpan-diagnostics-MK01-01-\d{8}T\d{6}Z\.zip$/);
    expect(bundle.file).toBe(join(session.dataDir, 'diagnostics', bundle.name));
    expect(existsSync(bundle.file)).toBe(true);
    const zip = Buffer.from(bundle.base64!, 'base64');
    expect(zip.equals(readFileSync(bundle.file))).toBe(true);
    expect(zip.length).toBe(bundle.bytes);
    const copy = join(tempDir(), 'download.zip');
    writeFileSync(copy, zip);
    const entries = unpack(copy);
    const health = HealthReport.parse(JSON.parse(entries['health.json']!));
    expect(health.source).toBe('register');
    expect(health.devices.printer.state).toBe('not-configured');
    expect(['checking', 'ok']).toContain(health.database.state);
    expectNoSecrets(entries, zip, secretForms(join(session.dataDir, 'secrets')));

    const live = unwrap<HealthReport>(await session.reg.dispatch('health:status', {}));
    expect(live.sync.pendingSales).toBe(BUSY_SALES);
    expect(live.backup.keySet).toBe(true);
  });

  it(
    'a busy day (PINs, approvals, card sales, member phones, a token and a passphrase) leaves none of them in the log files',
    BUSY,
    async () => {
      const session = await busyRegister({ legacyLine: false });
      // A request's line is written after its answer (setImmediate); these answers came in-process.
      await new Promise((resolve) => setImmediate(resolve));
      const dir = join(session.dataDir, 'logs');
      const text = readdirSync(dir)
        .map((name) => readFileSync(join(dir, name), 'utf8'))
        .join('');
      const lines = text.trim().split('\n');
      // one line per request: logins (one refused), approvals, sales, a full card number refused, members
      expect(lines.length).toBeGreaterThan(3 * BUSY_SALES);
      expect(text).toContain('"refused":"PIN_INVALID"');
      expect(text).toContain('"channel":"member:enrol"');
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      const leaked = secretForms(join(session.dataDir, 'secrets')).filter((form) => text.includes(form));
      expect(leaked).toEqual([]);
    },
  );

  it('keeps the last 1,000 log lines across the rotated files, oldest first', () => {
    const dataDir = tempDir();
    const log = createRotatingLogger({ dir: join(dataDir, 'logs'), maxBytes: 40_000, maxFiles: 5 });
    for (let i = 0; i < 1_500; i++) log.info('sale completed', { n: i });
    const tail = logTail(dataDir);
    expect(tail).toHaveLength(1_000);
    expect(JSON.parse(tail[0]!)).toMatchObject({ n: 500 });
    expect(JSON.parse(tail.at(-1)!)).toMatchObject({ n: 1_499 });
  });
});
