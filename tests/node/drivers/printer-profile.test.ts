import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtInProfileNames,
  getProfile,
  loadProfileFile,
  ProfileError,
  resolveProfile,
  UnknownProfileError,
} from '../../../drivers/escpos/profile';

const dir = mkdtempSync(join(tmpdir(), 'suanpan-profile-'));
const base = getProfile('epson-tm-t88');
const writeProfile = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

describe('printer profiles', () => {
  it('ships four valid profiles with the paper geometry of their model', () => {
    expect(builtInProfileNames).toEqual(['epson-tm-t88', 'epson-tm-t20', 'xprinter-xp58', 'generic-no-chinese']);
    expect(getProfile('epson-tm-t88').paper).toEqual({ widthMm: 80, columns: 42, dots: 512 });
    expect(getProfile('epson-tm-t20').paper).toEqual({ widthMm: 80, columns: 48, dots: 576 });
    expect(getProfile('xprinter-xp58').paper).toEqual({ widthMm: 58, columns: 32, dots: 384 });
    expect(getProfile('generic-no-chinese').codeSystem).toBe('none');
  });

  it('loads a custom profile file', async () => {
    const path = writeProfile('custom.json', { ...base, name: 'my-printer' });
    expect((await resolveProfile(path)).name).toBe('my-printer');
  });

  it.each([
    ['a bad enum value', { ...base, codeSystem: 'big5' }, 'codeSystem'],
    ['a drawer pin that does not exist', { ...base, drawer: { ...base.drawer, pin: 3 } }, 'drawer.pin'],
    ['a pulse longer than ESC p can send', { ...base, drawer: { ...base.drawer, onMs: 600 } }, 'drawer.onMs'],
    ['a missing field', { ...base, status: undefined }, 'status'],
    ['columns that do not fit the dots', { ...base, paper: { widthMm: 58, columns: 48, dots: 384 } }, 'paper.columns'],
    ['Chinese mode without a code system', { ...base, codeSystem: 'none' }, 'chineseMode'],
  ])('rejects %s with a typed error naming the file and the field', async (_what, value, field) => {
    const path = writeProfile(`bad-${field}.json`, value);
    const error = await loadProfileFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect(error).toMatchObject({ code: 'PRINTER_PROFILE_INVALID', source: path, field });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain(field);
  });

  it('refuses an unknown field without quoting the file: the count of keys, never their names', async () => {
    const path = writeProfile('bad-extra.json', { ...base, colour: 'red' });
    const error = await loadProfileFile(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PRINTER_PROFILE_INVALID', source: path, field: '(root)' });
    expect((error as Error).message).toContain('1 key(s) a profile does not have');
    expect((error as Error).message).not.toContain('colour');
  });

  it('says which file holds broken JSON', async () => {
    const path = writeProfile('broken.json', '{ "name": ');
    await expect(loadProfileFile(path)).rejects.toMatchObject({ code: 'PRINTER_PROFILE_INVALID', field: '(json)', source: path });
  });

  it('names the built-in profiles when asked for an unknown one', () => {
    expect(() => getProfile('epson-tm-t99')).toThrow(UnknownProfileError);
    expect(() => getProfile('epson-tm-t99')).toThrow(/epson-tm-t88, epson-tm-t20/);
  });
});
