/**
 * The fleet preset file on the built kiosk host (issue 17): IT's file enrols the register with a
 * real cloud (PostgreSQL), sets the store, printer, time zone and update feed at the first start,
 * is not applied again over what IT changes later, and never puts its enrolment code in a log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listRegisters } from '../../../cloud/domain/registers';
import { useTestDatabase, useTestServer } from '../cloud/helpers';
import { createCloudShop, enrolmentCode } from '../sync/helpers';
import { useTempDirs } from '../helpers/temp-dir';
import { stopChild } from '../../support/bounded.mjs';
import { runServe, startServe, type ServeProcess } from '../../support/serve-process';

const database = useTestDatabase();
const server = useTestServer(database, { logger: false });
const tempDir = useTempDirs();

interface Health {
  status: { store: { code: string }; timeZone: string; sync: { state: string } };
}

async function health(serve: ServeProcess): Promise<Health['status']> {
  return ((await (await fetch(new URL('/healthz', serve.url))).json()) as Health).status;
}

async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, boundMs = 30_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${boundMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const setting = (db: Database.Database, key: string): unknown => {
  const row = db.prepare('SELECT value FROM setting WHERE key = ?').get(key) as { value: string } | undefined;
  return row === undefined ? undefined : JSON.parse(row.value);
};

describe('the preset file on the kiosk host', () => {
  it('enrols, sets store, printer, time zone and update feed at the first start; logs no secret; is not applied twice', async () => {
    const shop = await createCloudShop(database().pool);
    const code = await enrolmentCode(database().pool, shop.store);
    const dataDir = tempDir();
    const presetFile = join(tempDir(), 'preset.json');
    writeFileSync(
      presetFile,
      JSON.stringify({
        cloud: { url: server.base, enrolCode: code },
        store: { code: 'MK01', nameZh: '旺角店', nameEn: 'Mong Kok' },
        timeZone: 'Asia/Singapore',
        printer: { uri: 'tcp://127.0.0.1:9', profile: 'epson-tm-t20' },
        updates: { feedUrl: 'https://updates.example.com/suanpan/', installHour: 3 },
        kiosk: { autostart: true },
      }),
    );

    const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--preset', presetFile]);
    const status = await until(
      () => health(serve),
      (s) => s.sync.state !== 'not-enrolled',
      'the register to enrol from the preset',
    );
    expect(status).toMatchObject({ store: { code: 'MK01' }, timeZone: 'Asia/Singapore' });
    const registers = await listRegisters(database().pool, { merchantId: shop.merchantId });
    expect(registers.map((r) => r.store.code)).toEqual(['MK01']);
    expect(await stopChild(serve.child, 'the kiosk host')).toBe(0);

    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    expect(setting(db, 'hardware.printer')).toEqual({ uri: 'tcp://127.0.0.1:9', profile: 'epson-tm-t20' });
    expect(setting(db, 'updates.settings')).toEqual({
      feedUrl: 'https://updates.example.com/suanpan/',
      checkEveryMinutes: 60,
      autoInstall: true,
      installHour: 3,
    });
    expect(setting(db, 'preset.applied')).toMatchObject({ file: presetFile });
    expect(db.prepare('SELECT store_code, cloud_url FROM sync_enrolment').get()).toEqual({ store_code: 'MK01', cloud_url: server.base });
    const audit = db.prepare("SELECT staff_id, detail FROM audit_log WHERE kind = 'sync.enrolled'").all() as {
      staff_id: number | null;
      detail: string;
    }[];
    expect(audit.map((a) => [a.staff_id, JSON.parse(a.detail).by])).toEqual([[null, 'preset']]);
    db.close();

    // The code is a secret: not in what the host printed, nor in its log file.
    const log = readFileSync(join(dataDir, 'logs', 'register.log'), 'utf8');
    expect(log).toContain('preset file applied');
    expect(log).toContain('enrolled with the cloud from the preset file');
    for (const text of [serve.stdout(), serve.stderr(), log]) expect(text).not.toContain(code);

    // IT moves the printer in the back office; the next start keeps it (the same preset is not applied again).
    const rw = new Database(join(dataDir, 'register.db'));
    rw.prepare("UPDATE setting SET value = ? WHERE key = 'hardware.printer'").run(
      JSON.stringify({ uri: 'tcp://10.0.0.20:9100', profile: 'epson-tm-t88' }),
    );
    rw.close();
    const again = await startServe(['--data-dir', dataDir, '--port', '0', '--preset', presetFile]);
    expect(await stopChild(again.child, 'the kiosk host')).toBe(0);
    const after = new Database(join(dataDir, 'register.db'), { readonly: true });
    expect(setting(after, 'hardware.printer')).toEqual({ uri: 'tcp://10.0.0.20:9100', profile: 'epson-tm-t88' });
    after.close();
    expect(readFileSync(join(dataDir, 'logs', 'register.log'), 'utf8').match(/preset file applied/g)).toHaveLength(1);
  });

  it('a preset file that is not valid stops the start, naming the file and the field but not its contents', async () => {
    const presetFile = join(tempDir(), 'preset.json');
    writeFileSync(presetFile, JSON.stringify({ cloud: { url: 'ftp://cloud.example.com', enrolCode: 'SECRET-CODE-1234' } }));
    const run = await runServe(['--data-dir', tempDir(), '--port', '0', '--preset', presetFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The preset file ${presetFile} is not valid: cloud.url: an https:// address`);
    expect(run.stdout + run.stderr).not.toContain('SECRET-CODE-1234');
    const missing = await runServe(['--data-dir', tempDir(), '--port', '0', '--preset', join(tempDir(), 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/The preset file .*nope\.json does not exist/);
  });
});
