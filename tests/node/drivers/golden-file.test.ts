/** The golden-file check itself: a missing golden file fails unless asked to write it, and always in CI. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden-file';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

describe('golden files', () => {
  it('a missing golden file fails and is not written, locally and in CI', () => {
    const path = join(tempDir(), 'receipt.txt');
    expect(() => expectGolden(path, 'HK$18.00\n', {})).toThrow(/missing/);
    expect(() => expectGolden(path, 'HK$18.00\n', { CI: 'true' })).toThrow(/missing/);
    expect(existsSync(path)).toBe(false);
  });

  it('UPDATE_GOLDEN=1 writes it outside CI, never in CI', () => {
    const path = join(tempDir(), 'receipt.bin');
    expect(() => expectGolden(path, Buffer.from([0x1b, 0x40]), { UPDATE_GOLDEN: '1', CI: 'true' })).toThrow(/missing/);
    expect(existsSync(path)).toBe(false);
    expectGolden(path, Buffer.from([0x1b, 0x40]), { UPDATE_GOLDEN: '1' });
    expect(readFileSync(path)).toEqual(Buffer.from([0x1b, 0x40]));
  });

  it('a golden file that differs fails, in CI even when UPDATE_GOLDEN=1 is set', () => {
    const path = join(tempDir(), 'receipt.txt');
    writeFileSync(path, 'HK$18.00\n');
    expectGolden(path, 'HK$18.00\n', { CI: 'true' });
    expect(() => expectGolden(path, 'HK$19.00\n', { CI: 'true', UPDATE_GOLDEN: '1' })).toThrow(/differs/);
    expect(readFileSync(path, 'utf8')).toBe('HK$18.00\n');
  });
});
