/**
 * The diagnostics bundle's zip writer, read back by the tools IT and support use: Info-ZIP's
 * `unzip -t` (every CRC checked) and Python's zipfile.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipFiles } from '../../../src/main/diagnostics/zip-writer';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

/** Python's zipfile: every entry's name and bytes (base64), CRCs checked by testzip(). */
function readWithPython(file: string): Record<string, string> {
  const script = [
    'import base64, json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'bad = z.testzip()',
    'assert bad is None, bad',
    'print(json.dumps({i.filename: base64.b64encode(z.read(i.filename)).decode() for i in z.infolist()}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, string>;
}

describe('zip writer', () => {
  it('writes deflated, stored, empty and UTF-8-named entries that unzip and Python read back byte for byte', async () => {
    const dir = tempDir();
    const noise = randomBytes(50_000); // incompressible: stored
    const text = '港式奶茶 milk tea HK$18.00\n'.repeat(20_000); // compresses well: deflated
    const zip = await zipFiles([
      { name: 'README.txt', data: 'hello\n', modifiedAt: new Date(2026, 11, 3, 14, 32, 10) },
      { name: 'logs/register.log', data: text },
      { name: 'noise.bin', data: noise },
      { name: 'empty.txt', data: '' },
      { name: '健康狀態.json', data: '{"ok":true}\n' },
    ]);
    expect(zip.length).toBeLessThan(Buffer.byteLength(text) / 10 + noise.length + 2_000);
    const file = join(dir, 'bundle.zip');
    writeFileSync(file, zip);

    const tested = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(tested).toContain('No errors detected');
    const listing = execFileSync('unzip', ['-Z', '-v', file], { encoding: 'utf8' });
    expect(listing).toMatch(/compression method:\s+deflated/);
    expect(listing).toMatch(/compression method:\s+none \(stored\)/);

    const read = readWithPython(file);
    expect(Object.keys(read)).toEqual(['README.txt', 'logs/register.log', 'noise.bin', 'empty.txt', '健康狀態.json']);
    expect(Buffer.from(read['logs/register.log']!, 'base64').toString('utf8')).toBe(text);
    expect(Buffer.from(read['noise.bin']!, 'base64').equals(noise)).toBe(true);
    expect(read['empty.txt']).toBe('');

    execFileSync('unzip', ['-q', file, '-d', join(dir, 'out')]);
    expect(readFileSync(join(dir, 'out', '健康狀態.json'), 'utf8')).toBe('{"ok":true}\n');
    const info = execFileSync(
      'python3',
      ['-c', 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo("README.txt").date_time)', file],
      {
        encoding: 'utf8',
      },
    );
    expect(info.trim()).toBe('(2026, 12, 3, 14, 32, 10)');
  });

  it('refuses names that would escape the folder it is unpacked into, and duplicates', async () => {
    for (const name of ['../evil', '/etc/passwd', 'a/../../b', 'a\\b', ''])
      await expect(zipFiles([{ name, data: 'x' }])).rejects.toThrow(/not allowed/);
    await expect(
      zipFiles([
        { name: 'a', data: '1' },
        { name: 'a', data: '2' },
      ]),
    ).rejects.toThrow(/duplicate/);
  });
});
