/**
 * A printer profile path cannot read any file (issue 11, item 5): built-in names, or a .json file
 * inside the register's data folder (not secrets/, not through a link out of it), and errors never
 * quote a file's contents.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import { useDemoRegisters } from '../helpers/register-session';
import { useTempDirs } from '../helpers/temp-dir';
import { MANAGER } from '../staff/staff-helpers';

const openTill = useDemoRegisters();
const tempDir = useTempDirs();

const SECRET = 'root:$6$SECRETHASHxyz:19000:0:99999:7:::';
const NOBODY_LISTENS = 'tcp://127.0.0.1:9';

describe('printer profile paths', () => {
  it('refuses files outside the data folder, in secrets/ or linked out of it, quoting none of their contents', async () => {
    const till = await openTill({ staff: MANAGER });
    const outside = join(tempDir(), 'shadow');
    writeFileSync(outside, `${SECRET}\n`);
    writeFileSync(`${outside}.json`, `${SECRET}\n`);
    const profiles = join(till.dataDir, 'printer-profiles');
    mkdirSync(profiles);
    symlinkSync(`${outside}.json`, join(profiles, 'linked-out.json'));
    symlinkSync(join(till.dataDir, 'secrets', 'audit-key'), join(profiles, 'audit-key.json'));
    writeFileSync(join(till.dataDir, 'secrets', 'stolen.json'), JSON.stringify({ name: 'x' }));
    writeFileSync(join(profiles, 'not-json.json'), SECRET);
    writeFileSync(join(profiles, 'odd-keys.json'), JSON.stringify({ SECRETHASHxyz: 1 }));

    const attempts = [
      outside,
      `${outside}.json`,
      '/etc/shadow',
      '/etc/passwd',
      '../../../../etc/passwd.json',
      'linked-out.json',
      'audit-key.json',
      join(till.dataDir, 'secrets', 'stolen.json'),
      '../secrets/stolen.json',
      'not-json.json',
      'odd-keys.json',
      '/dev/zero',
    ];
    for (const profile of attempts) {
      const result: Result<unknown> = await till.reg.dispatch('hardware:test-print', { uri: NOBODY_LISTENS, profile });
      expect(result, profile).toMatchObject({ ok: false, error: { code: 'PRINTER_PROFILE_INVALID' } });
      const message = result.ok ? '' : result.error.message;
      expect(message, profile).not.toMatch(/SECRETHASH|root:|\$6\$/);
    }
    if (existsSync('/etc/shadow')) expect(readFileSync('/etc/passwd', 'utf8')).toContain('root:'); // the real files were there to read
  });

  it('reads a profile file from the data folder’s printer-profiles/ by name or by full path', async () => {
    const till = await openTill({ staff: MANAGER });
    const profiles = join(till.dataDir, 'printer-profiles');
    mkdirSync(profiles);
    writeFileSync(
      join(profiles, 'shop.json'),
      readFileSync('drivers/escpos/profiles/epson-tm-t88.json', 'utf8').replace('"epson-tm-t88"', '"shop-printer"'),
    );
    for (const profile of ['shop.json', join(profiles, 'shop.json')]) {
      // The profile is accepted; only the printer is missing.
      expect(await till.reg.dispatch('hardware:test-print', { uri: NOBODY_LISTENS, profile })).toMatchObject({
        ok: false,
        error: { code: 'DEVICE_FAILED' },
      });
    }
  });
});
