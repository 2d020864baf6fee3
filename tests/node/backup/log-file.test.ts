/**
 * The log on disk (issue 17): rotated by size, and a busy day's logs never hold a PIN, a token,
 * card digits or a customer's phone in full.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRotatingLogger, redact } from '../../../src/main/log-file';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

describe('register log file', () => {
  it('redacts secret-named fields, card digits and phone numbers at any depth', () => {
    const safe = redact({
      pin: '9999',
      request: { staffId: 3, pin: '1234', cloudToken: 'tok_live_abcdef', note: 'card 4111 1111 1111 1111 declined' },
      member: { phone: '+852 9123 4567', name: '陳大文' },
      enrolmentCode: '7KQ2-M9XD-4TRB',
      list: ['call 21234567'],
    });
    const text = JSON.stringify(safe);
    for (const leaked of ['9999', '1234"', 'tok_live', '4111 1111', '4111111111111111', '9123 4567', '21234567', '7KQ2'])
      expect(text).not.toContain(leaked);
    expect(text).toContain('…1111');
    expect(text).toContain('陳大文');
  });

  it('rotates by size and keeps at most maxFiles files; a busy day leaves no secret in them', () => {
    const dir = tempDir();
    const log = createRotatingLogger({ dir, maxBytes: 4096, maxFiles: 3 });
    for (let i = 0; i < 500; i++) {
      log.info('sale completed', { receiptNo: `MK01-01-${String(i).padStart(6, '0')}`, requestId: `r${i}` });
      log.warn('login failed', { staffId: 1, pin: '2345' });
      log.error('card refused', { detail: 'PAN 5500-0000-0000-0004 refused', token: 'secret-token-value' });
    }
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['register.1.log', 'register.2.log', 'register.log']);
    const all = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (const line of all.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    for (const leaked of ['2345', '5500-0000', '5500000000000004', 'secret-token-value']) expect(all).not.toContain(leaked);
    expect(all).toContain('MK01-01-000499');
  });
});
